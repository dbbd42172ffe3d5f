import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../kit/stack.ts';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import { withoutCost } from '../kit/http.ts';

/**
 * Bob is a member of Acme only; Globex is another tenant. Every way to reach a Globex object
 * answers as if it did not exist, and costs the same upstream calls as an id nobody has: the
 * object and Bob's memberships are read together, whatever the answer.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let bob: string;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
  bob = await tokenFor(stack, s.bob.id);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

/** Bob's own memberships, read once per request: what a denial decided before any read costs. */
const ONLY_VIEWER_MEMBERSHIPS = { 'GET /user_management/organization_memberships': 1 };

/** The upstream calls of one request as Bob. */
async function callsOf(query: string, variables?: Record<string, unknown>) {
  stack.resetCalls();
  const { body } = await send(stack, bob, query, variables);
  return { body, calls: stack.calls() };
}
const ABSENT = { org: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ', om: 'om_01ZZZZZZZZZZZZZZZZZZZZZZZZ', user: 'user_01ZZZZZZZZZZZZZZZZZZZZZZZZ' };

describe('single reads of another tenant answer null, like an absent id', () => {
  it('organization(id): refused at the cost of an absent id, read alongside his memberships', async () => {
    const query = 'query($id: ID!) { organization(id: $id) { name } }';
    const foreign = await callsOf(query, { id: s.globex.id });
    const absent = await callsOf(query, { id: ABSENT.org });
    expect(withoutCost(foreign.body)).toEqual({ data: { organization: null } });
    expect(withoutCost(absent.body)).toEqual({ data: { organization: null } });
    expect(foreign.calls).toEqual({ ...ONLY_VIEWER_MEMBERSHIPS, 'GET /organizations/:id': 1 });
    expect(absent.calls).toEqual(foreign.calls);
  });

  it('organizationByExternalId', async () => {
    const { body } = await send(stack, bob, `{ organizationByExternalId(externalId: "${s.globex.external_id}") { name } }`);
    expect(withoutCost(body)).toEqual({ data: { organizationByExternalId: null } });
  });

  it('user(id) of someone outside his organizations: null, at the cost of an absent id', async () => {
    const query = 'query($id: ID!) { user(id: $id) { email } }';
    const foreign = await callsOf(query, { id: s.globexOnly().id });
    const absent = await callsOf(query, { id: ABSENT.user });
    expect(withoutCost(foreign.body)).toEqual({ data: { user: null } });
    expect(withoutCost(absent.body)).toEqual({ data: { user: null } });
    // His memberships and the other user's, with the user: one wave.
    expect(foreign.calls).toEqual({ 'GET /user_management/organization_memberships': 2, 'GET /user_management/users/:id': 1 });
    expect(absent.calls).toEqual(foreign.calls);
  });

  it('userByExternalId of someone outside his organizations: null, at the cost of an unknown external id', async () => {
    const store = stack.emulator.store;
    const acmeMembers = new Set([...store.memberships.values()].filter((m) => m.organization_id === s.acme.id).map((m) => m.user_id));
    const stranger = [...store.users.values()].find((u) => u.external_id && !acmeMembers.has(u.id));
    expect(stranger?.external_id).toBeTruthy();
    const query = 'query($e: String!) { userByExternalId(externalId: $e) { email } }';
    const foreign = await callsOf(query, { e: stranger!.external_id });
    const unknown = await callsOf(query, { e: 'ext_nobody_has_this' });
    expect(withoutCost(foreign.body)).toEqual({ data: { userByExternalId: null } });
    expect(withoutCost(unknown.body)).toEqual({ data: { userByExternalId: null } });
    expect(unknown.calls).toEqual(foreign.calls);
  });

  it('membership, directory, directory user and group, SSO connection by id', async () => {
    const ids = {
      m: s.membershipOf(s.carol.id, s.globex.id).id,
      d: s.directoryOf(s.globex.id).id,
      du: s.directoryUserOf(s.globex.id).id,
      g: s.directoryGroupOf(s.globex.id).id,
      c: s.connectionOf(s.globex.id).id,
    };
    const { body } = await send(
      stack,
      bob,
      `query($m: ID!, $d: ID!, $du: ID!, $g: ID!, $c: ID!) {
        organizationMembership(id: $m) { id } directory(id: $d) { id } directoryUser(id: $du) { id }
        directoryGroup(id: $g) { id } ssoConnection(id: $c) { id }
      }`,
      ids,
    );
    expect(withoutCost(body)).toEqual({ data: { organizationMembership: null, directory: null, directoryUser: null, directoryGroup: null, ssoConnection: null } });
  });

  it('node and nodes: hidden items are null in place, Acme ones resolve', async () => {
    const { body } = await send(
      stack,
      bob,
      'query($ids: [ID!]!, $g: ID!) { node(id: $g) { id } nodes(ids: $ids) { id ... on Organization { name } ... on Directory { name } } }',
      { g: s.globex.id, ids: [s.acme.id, s.globex.id, s.directoryOf(s.globex.id).id, s.directoryOf(s.acme.id).id, ABSENT.om] },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data?.nodes as ({ id: string } | null)[];
    expect(body.data?.node).toBeNull();
    expect(nodes.map((n) => n?.id ?? null)).toEqual([s.acme.id, null, null, s.directoryOf(s.acme.id).id, null]);
    // Each organization is read alongside the decision, Globex' too: hidden and absent cost alike.
    expect(stack.calls()['GET /organizations/:id']).toBe(2);
  });

  it('nodes of users: a co-member resolves with his fields, a stranger is null', async () => {
    const { body } = await send(stack, bob, 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { email } } }', {
      ids: [s.carol.id, s.globexOnly().id, s.bob.id],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes).toEqual([{ id: s.carol.id, email: 'carol@globex.test' }, null, { id: s.bob.id, email: 'bob@acme.test' }]);
  });

  it('node() of another tenant costs what an absent id costs', async () => {
    const foreign = await callsOf(`{ node(id: "${s.globex.id}") { id } }`);
    const absent = await callsOf(`{ node(id: "${ABSENT.org}") { id } }`);
    expect(withoutCost(foreign.body)).toEqual({ data: { node: null } });
    expect(absent.calls).toEqual(foreign.calls);
  });

  it.each([
    ['organizationMembership', 'om'],
    ['directory', 'd'],
    ['ssoConnection', 'c'],
  ])('%s(id) of another tenant costs what an absent id costs', async (field, kind) => {
    const foreignIds: Record<string, string> = {
      om: s.membershipOf(s.carol.id, s.globex.id).id,
      d: s.directoryOf(s.globex.id).id,
      c: s.connectionOf(s.globex.id).id,
    };
    const absentIds: Record<string, string> = {
      om: ABSENT.om,
      d: 'directory_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      c: 'conn_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
    };
    const query = `query($id: ID!) { ${field}(id: $id) { id } }`;
    const foreign = await callsOf(query, { id: foreignIds[kind] });
    const absent = await callsOf(query, { id: absentIds[kind] });
    expect(withoutCost(foreign.body)).toEqual({ data: { [field]: null } });
    expect(withoutCost(absent.body)).toEqual({ data: { [field]: null } });
    expect(absent.calls).toEqual(foreign.calls);
  });
});

describe('lists', () => {
  it('organizations lists only his own', async () => {
    const { body } = await send(stack, bob, '{ organizations(first: 50) { edges { node { name } } } }');
    expect(body.data?.organizations).toEqual({ edges: [{ node: { name: 'Acme Corp' } }] });
  });

  it.each([['users'], ['directories'], ['ssoConnections']])('%s of another organization are refused, at the cost of an absent organization', async (field) => {
    const query = `query($org: ID!) { ${field}(organizationId: $org) { edges { node { id } } } }`;
    const foreign = await callsOf(query, { org: s.globex.id });
    const absent = await callsOf(query, { org: ABSENT.org });
    expect(codes(foreign.body)).toEqual(['FORBIDDEN']);
    expect(foreign.body.data?.[field] ?? null).toBeNull();
    expect(codes(absent.body)).toEqual(['FORBIDDEN']);
    // The list is read alongside his memberships, and nothing of it is returned.
    expect(Object.values(foreign.calls).reduce((a, b) => a + b, 0)).toBe(2);
    expect(absent.calls).toEqual(foreign.calls);
  });

  it('an absent organization is refused the same way', async () => {
    const { body } = await send(stack, bob, `{ users(organizationId: "${ABSENT.org}") { edges { node { id } } } }`);
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['FORBIDDEN', 'Not allowed.']]);
  });

  it.each([['users'], ['directories'], ['ssoConnections']])('%s without an organization are for service callers', async (field) => {
    const { body } = await send(stack, bob, `{ ${field} { edges { node { id } } } }`);
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('his own organization’s lists work', async () => {
    const { body } = await send(
      stack,
      bob,
      `{ users(organizationId: "${s.acme.id}", first: 3) { edges { node { id } } }
         directories(organizationId: "${s.acme.id}") { edges { node { id users(first: 2) { edges { node { email groups { edges { node { name } } } } } } } } }
         ssoConnections(organizationId: "${s.acme.id}") { edges { node { id organization { name } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect((body.data?.users as { edges: unknown[] }).edges).toHaveLength(3);
  });
});

describe('nested relations do not leak another organization', () => {
  it('a co-member’s organizations and memberships show only what Bob can read', async () => {
    // Carol is Globex' admin and a member of Acme, with Bob.
    const { body } = await send(
      stack,
      bob,
      `query($carol: ID!) { user(id: $carol) {
        email
        organizations { edges { node { name } } }
        memberships { edges { node { organization { name } organizationName } } }
      } }`,
      { carol: s.carol.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.user).toEqual({
      email: 'carol@globex.test',
      organizations: { edges: [{ node: { name: 'Acme Corp' } }] },
      memberships: { edges: [{ node: { organization: { name: 'Acme Corp' }, organizationName: 'Acme Corp' } }] },
    });
    // Her one membership page answers both lists; the organization's name comes with it.
    expect(stack.calls()).toEqual({ 'GET /user_management/organization_memberships': 2, 'GET /user_management/users/:id': 1 });
  });

  it('a co-member’s page info comes from what Bob can see, not from her hidden memberships', async () => {
    const { body } = await send(
      stack,
      bob,
      `query($carol: ID!) { user(id: $carol) {
        memberships(first: 1) { edges { cursor } pageInfo { hasNextPage endCursor startCursor } }
        organizations(first: 1) { edges { cursor } pageInfo { hasNextPage endCursor } }
      } }`,
      { carol: s.carol.id },
    );
    const acmeMembership = s.membershipOf(s.carol.id, s.acme.id).id;
    expect(body.data?.user).toEqual({
      memberships: { edges: [{ cursor: acmeMembership }], pageInfo: { hasNextPage: false, endCursor: acmeMembership, startCursor: acmeMembership } },
      organizations: { edges: [{ cursor: acmeMembership }], pageInfo: { hasNextPage: false, endCursor: acmeMembership } },
    });
    expect(JSON.stringify(body)).not.toContain(s.membershipOf(s.carol.id, s.globex.id).id);
    // Paging on from her only visible membership finds nothing more.
    const next = await send(stack, bob, `query($carol: ID!, $after: String!) { user(id: $carol) { memberships(first: 5, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } } }`, {
      carol: s.carol.id,
      after: acmeMembership,
    });
    expect(next.body.data?.user).toEqual({ memberships: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
  });

  it('through Acme’s members, Carol’s Globex stays hidden', async () => {
    const { body } = await send(
      stack,
      bob,
      `query($a: ID!) { organization(id: $a) { memberships(first: 50) { edges { node { user { email organizations { edges { node { name } } } } } } } } }`,
      { a: s.acme.id },
    );
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('Globex');
    expect(JSON.stringify(body)).toContain('carol@globex.test');
  });

  it('the service token sees both of Carol’s organizations', async () => {
    const { body } = await send(stack, stack.serviceToken, `{ user(id: "${s.carol.id}") { organizations { edges { node { name } } } } }`);
    const names = (body.data?.user as { organizations: { edges: { node: { name: string } }[] } }).organizations.edges.map((e) => e.node.name);
    expect(names.sort()).toEqual(['Acme Corp', 'Globex Corporation']);
  });
});

describe('membership status decides, per request', () => {
  it('a deactivated member loses access at the next request; reactivated, gets it back', async () => {
    const membership = s.membershipOf(s.erin.id, s.acme.id);
    const erin = await tokenFor(stack, s.erin.id);
    const read = async () => (await send(stack, erin, `{ organization(id: "${s.acme.id}") { name } }`)).body.data?.organization;
    expect(await read()).toEqual({ name: 'Acme Corp' });
    await send(stack, stack.serviceToken, `mutation { deactivateOrganizationMembership(input: { id: "${membership.id}" }) { __typename } }`);
    expect(await read()).toBeNull();
    await send(stack, stack.serviceToken, `mutation { reactivateOrganizationMembership(input: { id: "${membership.id}" }) { __typename } }`);
    expect(await read()).toEqual({ name: 'Acme Corp' });
  });
});
