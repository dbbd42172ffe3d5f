import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../kit/stack.ts';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';

/**
 * Bob is a member of Acme only; Globex is another tenant. Every way to reach a Globex object
 * answers as if it did not exist, and where the id alone decides, without fetching it.
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

/** Bob's own memberships, read once per request, are the only upstream call a pre-fetch denial may cost. */
const ONLY_VIEWER_MEMBERSHIPS = { 'GET /user_management/organization_memberships': 1 };
const ABSENT = { org: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ', om: 'om_01ZZZZZZZZZZZZZZZZZZZZZZZZ', user: 'user_01ZZZZZZZZZZZZZZZZZZZZZZZZ' };

describe('single reads of another tenant answer null, like an absent id', () => {
  it('organization(id): refused without fetching it', async () => {
    const { body } = await send(stack, bob, 'query($a: ID!, $b: ID!) { a: organization(id: $a) { name } b: organization(id: $b) { name } }', {
      a: s.globex.id,
      b: ABSENT.org,
    });
    expect(body).toEqual({ data: { a: null, b: null } });
    expect(stack.calls()).toEqual(ONLY_VIEWER_MEMBERSHIPS);
  });

  it('organizationByExternalId', async () => {
    const { body } = await send(stack, bob, `{ organizationByExternalId(externalId: "${s.globex.external_id}") { name } }`);
    expect(body).toEqual({ data: { organizationByExternalId: null } });
  });

  it('user(id) and userByExternalId of someone outside his organizations: no user fetch', async () => {
    const stranger = s.globexOnly();
    const { body } = await send(stack, bob, 'query($a: ID!, $b: ID!) { a: user(id: $a) { email } b: user(id: $b) { email } }', { a: stranger.id, b: ABSENT.user });
    expect(body).toEqual({ data: { a: null, b: null } });
    expect(stack.calls()['GET /user_management/users/:id']).toBeUndefined();
    if (stranger.external_id) {
      const ext = await send(stack, bob, `{ userByExternalId(externalId: "${stranger.external_id}") { email } }`);
      expect(ext.body).toEqual({ data: { userByExternalId: null } });
    }
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
    expect(body).toEqual({ data: { organizationMembership: null, directory: null, directoryUser: null, directoryGroup: null, ssoConnection: null } });
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
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
  });

  it('nodes of users: a co-member resolves with his fields, a stranger is null', async () => {
    const { body } = await send(stack, bob, 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { email } } }', {
      ids: [s.carol.id, s.globexOnly().id, s.bob.id],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes).toEqual([{ id: s.carol.id, email: 'carol@globex.test' }, null, { id: s.bob.id, email: 'bob@acme.test' }]);
  });

  it('node() of another tenant costs no fetch of it', async () => {
    await send(stack, bob, `{ node(id: "${s.globex.id}") { id } }`);
    expect(stack.calls()).toEqual(ONLY_VIEWER_MEMBERSHIPS);
  });
});

describe('lists', () => {
  it('organizations lists only his own', async () => {
    const { body } = await send(stack, bob, '{ organizations(first: 50) { edges { node { name } } } }');
    expect(body.data?.organizations).toEqual({ edges: [{ node: { name: 'Acme Corp' } }] });
  });

  it.each([['users'], ['directories'], ['ssoConnections']])('%s of another organization are refused without upstream calls', async (field) => {
    const { body } = await send(stack, bob, `{ ${field}(organizationId: "${s.globex.id}") { edges { node { id } } } }`);
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(body.data?.[field] ?? null).toBeNull();
    expect(stack.calls()).toEqual(ONLY_VIEWER_MEMBERSHIPS);
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
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
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
