import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { seeded} from '../kit/callers.ts';
import { send, startAcmeAdminStack } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';
import { wavesOf } from '../kit/waves.ts';

/**
 * No read waits for one it does not need. Every WorkOS call is delayed at the emulator, so a
 * read that waited for another starts only after that one ended: the waves are counted from
 * when each call arrived and ended, not timed.
 */
const LATENCY_MS = 150;
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
beforeAll(async () => {
  ({ stack, s, alice } = await startAcmeAdminStack());
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.emulator.faults.add({ path: '**', latencyMs: LATENCY_MS });
  stack.resetCalls();
});

async function run(token: string, query: string, variables?: Record<string, unknown>) {
  const { body } = await send(stack, token, query, variables);
  expect(body.errors).toBeUndefined();
  const log = stack.emulator.requests.log();
  return { body, calls: stack.calls(), total: log.length, waves: wavesOf(log) };
}

const ORGANIZATION_SCREEN = `query($id: ID!) { organization(id: $id) {
  name
  memberships(first: 5) { edges { node { role { slug } user { email } } } }
  directories { edges { node { name } } }
  ssoConnections { edges { node { name } } }
} }`;

describe('children that need only the parent’s id start with it', () => {
  it('an organization and its three lists: one wave, for a service', async () => {
    const { calls, waves } = await run(stack.serviceToken, ORGANIZATION_SCREEN, { id: s.acme.id });
    expect(calls).toEqual({
      'GET /organizations/:id': 1,
      'GET /user_management/organization_memberships': 1,
      'GET /directories': 1,
      'GET /connections': 1,
    });
    expect(waves).toBe(1);
  });

  it('the same screen for a signed-in user: her memberships alongside, still one wave', async () => {
    const { calls, waves } = await run(alice, ORGANIZATION_SCREEN, { id: s.acme.id });
    expect(calls).toEqual({
      'GET /organizations/:id': 1,
      'GET /user_management/organization_memberships': 2,
      'GET /directories': 1,
      'GET /connections': 1,
    });
    expect(waves).toBe(1);
  });

  it('a list a scope check guards starts with the check’s read, not after it', async () => {
    const { calls, waves } = await run(alice, `{ users(organizationId: "${s.acme.id}", first: 5) { edges { node { email } } } }`);
    expect(calls).toEqual({ 'GET /user_management/users': 1, 'GET /user_management/organization_memberships': 1 });
    expect(waves).toBe(1);
  });

  it('the session’s organization through the viewer, with its members: one wave', async () => {
    const { calls, waves } = await run(alice, '{ viewer { organization { name memberships(first: 5) { edges { node { user { email } } } } } } }');
    expect(calls).toEqual({ 'GET /organizations/:id': 1, 'GET /user_management/organization_memberships': 2 });
    expect(waves).toBe(1);
  });

  it('a directory’s users and groups start with it; a group’s members need the group: two waves', async () => {
    const directory = s.directoryOf(s.acme.id).id;
    const { calls, waves } = await run(
      stack.serviceToken,
      `query($id: ID!) { directory(id: $id) { name users(first: 5) { edges { node { email groups { edges { node { name } } } } } } groups(first: 3) { edges { node { name users(first: 2) { edges { node { email } } } } } } } }`,
      { id: directory },
    );
    const groups = [...stack.emulator.store.directoryGroups.values()].filter((g) => g.directory_id === directory).length;
    expect(calls).toEqual({ 'GET /directories/:id': 1, 'GET /directory_users': 1 + Math.min(3, groups), 'GET /directory_groups': 1 });
    expect(waves).toBe(2);
  });
});

describe('what a payload holds is not fetched again', () => {
  it('a membership’s organization id and name, and its user, come with the membership page', async () => {
    const { body, calls } = await run(stack.serviceToken, `{ organization(id: "${s.acme.id}") { memberships(first: 20) { edges { node { organizationName organization { id name } user { email } } } } } }`);
    const edges = (body.data?.organization as { memberships: { edges: { node: { organization: { name: string } } }[] } }).memberships.edges;
    expect(edges.every((e) => e.node.organization.name === 'Acme Corp')).toBe(true);
    expect(calls).toEqual({ 'GET /organizations/:id': 1, 'GET /user_management/organization_memberships': 1 });
  });

  it('more than the payload holds loads the organization: once per organization', async () => {
    const { calls, waves } = await run(stack.serviceToken, `{ user(id: "${s.carol.id}") { memberships { edges { node { organization { name domains { domain } } } } } } }`);
    const orgs = [...stack.emulator.store.memberships.values()].filter((m) => m.user_id === s.carol.id).length;
    expect(calls).toEqual({ 'GET /user_management/users/:id': 1, 'GET /user_management/organization_memberships': 1, 'GET /organizations/:id': orgs });
    expect(waves).toBe(2);
  });

  it('a directory’s organization by id costs nothing; its name loads it', async () => {
    const directory = s.directoryOf(s.acme.id).id;
    const byId = await run(stack.serviceToken, `{ directory(id: "${directory}") { organization { id } } }`);
    expect(byId.calls).toEqual({ 'GET /directories/:id': 1 });
    stack.resetCalls();
    const byName = await run(stack.serviceToken, `{ directory(id: "${directory}") { organization { id name } } }`);
    expect(byName.calls).toEqual({ 'GET /directories/:id': 1, 'GET /organizations/:id': 1 });
  });

  it('a directory user’s groups come with the user', async () => {
    const { calls } = await run(stack.serviceToken, `{ directoryUser(id: "${s.directoryUserOf(s.acme.id).id}") { email groups(first: 2) { edges { node { name } } pageInfo { hasNextPage } } } }`);
    expect(calls).toEqual({ 'GET /directory_users/:id': 1 });
  });

  it('a user’s organizations by name: one membership page, no organization read', async () => {
    const { calls, waves } = await run(stack.serviceToken, `{ user(id: "${s.carol.id}") { email organizations { edges { node { id name } } } } }`);
    expect(calls).toEqual({ 'GET /user_management/users/:id': 1, 'GET /user_management/organization_memberships': 1 });
    expect(waves).toBe(1);
  });
});
