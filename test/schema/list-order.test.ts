import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.ts';
import { seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/** `order: ASC | DESC` on every list WorkOS orders, with `first`/`after` and `last`/`before` right in both orders. */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const ids = (body: { data?: Record<string, unknown> | null }, field = 'organizations') =>
  (body.data?.[field] as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
const oldestFirst = () => [...stack.emulator.store.organizations.keys()].sort();

describe('order', () => {
  it('every connection field takes `order`', () => {
    const missing: string[] = [];
    for (const type of Object.values(buildSchema().getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const isConnection = isObjectType(named) && 'edges' in named.getFields() && 'pageInfo' in named.getFields();
        if (isConnection && !field.args.some((a) => a.name === 'order')) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('ASC: the oldest first, paging on after the last cursor; one upstream call each, with order=asc', async () => {
    const first = await send(stack, stack.serviceToken, '{ organizations(first: 3, order: ASC) { edges { node { id } } pageInfo { endCursor hasNextPage hasPreviousPage } } }');
    expect(ids(first.body)).toEqual(oldestFirst().slice(0, 3));
    const end = (first.body.data?.organizations as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const next = await send(stack, stack.serviceToken, `{ organizations(first: 3, after: "${end}", order: ASC) { edges { node { id } } } }`);
    expect(ids(next.body)).toEqual(oldestFirst().slice(3, 6));
    expect(stack.calls()).toEqual({ 'GET /organizations': 2 });
  });

  it('last in either order: the end of the list, still in the order asked for', async () => {
    const asc = await send(stack, stack.serviceToken, '{ organizations(last: 2, order: ASC) { edges { node { id } } pageInfo { hasPreviousPage hasNextPage } } }');
    expect(ids(asc.body)).toEqual(oldestFirst().slice(-2));
    expect((asc.body.data?.organizations as { pageInfo: unknown }).pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: false });
    const desc = await send(stack, stack.serviceToken, '{ organizations(last: 2) { edges { node { id } } } }');
    expect(ids(desc.body)).toEqual(oldestFirst().slice(0, 2).reverse());
  });

  it('last with before in ASC: the items just before the cursor', async () => {
    const all = oldestFirst();
    const { body } = await send(stack, stack.serviceToken, `{ organizations(last: 2, before: "${all[5]}", order: ASC) { edges { node { id } } } }`);
    expect(ids(body)).toEqual(all.slice(3, 5));
  });

  it('nested lists too: an organization’s members, invitations and a user’s organizations', async () => {
    const alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    const { body } = await send(
      stack,
      alice,
      `{ organization(id: "${s.acme.id}") {
          memberships(first: 3, order: ASC) { edges { node { id } } }
          invitations(first: 2, order: ASC, states: [PENDING]) { edges { node { email } } }
        }
        viewer { user { organizations(order: ASC) { edges { node { name } } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const org = body.data?.organization as { memberships: { edges: { node: { id: string } }[] }; invitations: { edges: { node: { email: string } }[] } };
    const acmeMemberships = [...stack.emulator.store.memberships.values()].filter((m) => m.organization_id === s.acme.id).map((m) => m.id).sort();
    expect(org.memberships.edges.map((e) => e.node.id)).toEqual(acmeMemberships.slice(0, 3));
    expect(org.invitations.edges.map((e) => e.node.email)).toEqual(['new.hire@acme.test', 'billing@acme.test']);
    const viewer = body.data?.viewer as { user: { organizations: { edges: { node: { name: string } }[] } } };
    expect(viewer.user.organizations.edges.map((e) => e.node.name)).toEqual(['Acme Corp', 'Globex Corporation']);
  });
});
