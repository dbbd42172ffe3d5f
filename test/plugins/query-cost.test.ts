import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/**
 * The cost estimate against the calls actually made, on real screens: never below them (it is
 * an upper bound), and close enough to be useful (within 3×). Every answer reports both in
 * `extensions.cost`, and the calls it reports are the calls the emulator saw.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
  alice = await tokenFor(stack, s.alice.id);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

interface Cost {
  estimate: number;
  calls: number;
  budget: number;
  rateLimit?: { limit: number; remaining: number; windowSeconds: number };
}

const SHAPES: [string, (s: ReturnType<typeof seeded>) => [string, Record<string, unknown>?]][] = [
  ['an organization', (f) => [`{ organization(id: "${f.acme.id}") { id name domains { domain } } }`]],
  ['an organization with 50 members and their user fields', (f) => [`{ organization(id: "${f.acme.id}") { name memberships(first: 50) { edges { node { role { slug } user { email name } } } } } }`]],
  ['members with their organization by name', (f) => [`{ organization(id: "${f.acme.id}") { memberships(first: 20) { edges { node { organization { id name } } } } } }`]],
  ['a user with memberships and each organization’s name', (f) => [`{ user(id: "${f.carol.id}") { email memberships { edges { node { organizationName organization { name } } } } } }`]],
  [
    'an organization with its SSO connections and directories with users and groups',
    (f) => [`{ organization(id: "${f.acme.id}") { ssoConnections { edges { node { name } } } directories(first: 3) { edges { node { name users(first: 10) { edges { node { email groups { edges { node { name } } } } } } groups(first: 10) { edges { node { name } } } } } } } }`],
  ],
  // A signed-in user sees their own organizations only: far fewer calls than the bound, by design.
  ['10 organizations × 10 members × each member’s organizations (bound only for a user)', () => ['{ organizations(first: 10) { edges { node { name memberships(first: 10) { edges { node { user { email organizations(first: 10) { edges { node { name } } } } } } } } } } }']],
  ['a page size in a variable’s default', (f) => [`query($n: Int = 30) { organization(id: "${f.acme.id}") { memberships(first: $n) { edges { node { user { email } } } } } }`]],
  ['a page size sent for a variable with a default', (f) => [`query($n: Int = 30) { organization(id: "${f.acme.id}") { memberships(first: $n) { edges { node { id } } } } }`, { n: 5 }]],
  ['nodes of mixed types', (f) => [`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Organization { name } } }`, { ids: [f.acme.id, f.globex.id, f.carol.id, f.directoryOf(f.acme.id).id] }]],
  ['nodes from a default value', (f) => [`query($ids: [ID!]! = ["${f.acme.id}", "${f.globex.id}"]) { nodes(ids: $ids) { id } }`]],
  ['users of an organization', (f) => [`{ users(organizationId: "${f.acme.id}", first: 25) { edges { node { email } } } }`]],
  ['the viewer and their memberships', () => ['{ viewer { kind memberships { role { slug } organization { name } } } }']],
];

async function measure(token: string, query: string, variables?: Record<string, unknown>) {
  stack.resetCalls();
  const { body } = await send(stack, token, query, variables);
  expect(body.errors).toBeUndefined();
  return { cost: body.extensions?.cost as Cost, made: stack.totalCalls() };
}

describe.each([
  ['a service', () => stack.serviceToken],
  ['a signed-in admin', () => alice],
])('as %s', (_who, token) => {
  it.each(SHAPES)('%s: the estimate bounds the calls, within 3×', async (label, shape) => {
    const [query, variables] = shape(s);
    const { cost, made } = await measure(token(), query, variables);
    expect(cost.calls).toBe(made);
    expect(cost.estimate).toBeGreaterThanOrEqual(made);
    if (token() === alice && label.includes('bound only')) return;
    expect(cost.estimate).toBeLessThanOrEqual(Math.max(1, 3 * made));
  });
});

describe('extensions.cost', () => {
  it('reports the estimate, the calls, the budget and what is left of WorkOS’ general limit', async () => {
    const { body } = await send(stack, stack.serviceToken, `{ organization(id: "${s.acme.id}") { name } }`);
    expect(body.extensions?.cost).toEqual({ estimate: 1, calls: 1, budget: 1000, rateLimit: { limit: 6000, remaining: expect.any(Number), windowSeconds: 60 } });
    const { rateLimit } = body.extensions?.cost as Cost;
    expect(rateLimit!.remaining).toBeLessThan(6000);
  });

  it('a query answered from nothing upstream reports zero calls', async () => {
    const { body } = await send(stack, stack.serviceToken, '{ viewer { kind } }');
    expect(body.extensions?.cost).toMatchObject({ estimate: 0, calls: 0 });
  });

  it('ids in a default value count one by one: 1,200 ids are refused before any call', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `org_01${String(i).padStart(24, '0')}`);
    const { status, body } = await send(stack, stack.serviceToken, `query($ids: [ID!]! = ${JSON.stringify(ids)}) { nodes(ids: $ids) { id } }`);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['MAX_COST_EXCEEDED']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('no screen of schema/operations is refused at the default budget', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../schema/operations/', import.meta.url);
    const fragments = readFileSync(new URL('fragments.graphql', dir), 'utf8');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql') && f !== 'fragments.graphql')) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      // Queries only: the mutations' estimates are their writes.
      if (!/^\s*query\b/m.test(source)) continue;
      const { body } = await send(stack, stack.serviceToken, `${source}\n${fragments}`, { id: s.acme.id, organizationId: s.acme.id, userId: s.carol.id, directoryId: s.directoryOf(s.acme.id).id });
      expect(body.errors?.some((e) => e.extensions?.code === 'MAX_COST_EXCEEDED') ?? false, file).toBe(false);
    }
  });
});
