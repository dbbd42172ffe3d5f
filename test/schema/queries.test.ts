import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { post } from '../kit/http.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const newestFirst = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? 1 : -1));

describe('single objects', () => {
  it('reads an organization with its domains', async () => {
    const acme = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Acme Corp')!;
    const { body } = await post(stack.url, `query($id: ID!) { organization(id: $id) { id name externalId metadata domains { domain state } createdAt } }`, { id: acme.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization).toEqual({
      id: acme.id,
      name: 'Acme Corp',
      externalId: acme.external_id,
      metadata: acme.metadata,
      domains: acme.domains.map((d) => ({ domain: d.domain, state: d.state })),
      createdAt: acme.created_at,
    });
    expect(stack.calls()).toEqual({ 'GET /organizations/:id': 1 });
  });

  it('returns null for an unknown id of the right shape (one upstream call)', async () => {
    const { body } = await post(stack.url, `{ organization(id: "org_01ZZZZZZZZZZZZZZZZZZZZZZZZ") { id } user(id: "user_01ZZZZZZZZZZZZZZZZZZZZZZZZ") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ organization: null, user: null });
    expect(stack.totalCalls()).toBe(2);
  });

  it('reads each kind of object by id', async () => {
    const s = stack.emulator.store;
    const user = [...s.users.values()][0];
    const membership = [...s.memberships.values()][0];
    const directory = [...s.directories.values()][0];
    const dUser = [...s.directoryUsers.values()][0];
    const group = [...s.directoryGroups.values()][0];
    const conn = [...s.connections.values()][0];
    const { body } = await post(
      stack.url,
      `query($u: ID!, $m: ID!, $d: ID!, $du: ID!, $g: ID!, $c: ID!) {
        user(id: $u) { id email firstName lastName emailVerified }
        organizationMembership(id: $m) { id status role { slug } user { id } organization { id } }
        directory(id: $d) { id name type state organization { id } }
        directoryUser(id: $du) { id email state directory { id } organization { id } }
        directoryGroup(id: $g) { id name directory { id } }
        ssoConnection(id: $c) { id name connectionType state domains { domain } organization { id } }
      }`,
      { u: user.id, m: membership.id, d: directory.id, du: dUser.id, g: group.id, c: conn.id },
    );
    expect(body.errors).toBeUndefined();
    const data = body.data as Record<string, Record<string, unknown>>;
    expect(data.user).toEqual({ id: user.id, email: user.email, firstName: user.first_name, lastName: user.last_name, emailVerified: user.email_verified });
    expect(data.organizationMembership).toMatchObject({
      id: membership.id,
      status: membership.status.toUpperCase(),
      role: { slug: membership.role.slug },
      user: { id: membership.user_id },
      organization: { id: membership.organization_id },
    });
    expect(data.directory).toMatchObject({ id: directory.id, name: directory.name, organization: { id: directory.organization_id } });
    expect(data.directoryUser).toMatchObject({ id: dUser.id, email: dUser.email, directory: { id: dUser.directory_id } });
    expect(data.directoryGroup).toMatchObject({ id: group.id, name: group.name, directory: { id: group.directory_id } });
    expect(data.ssoConnection).toMatchObject({
      id: conn.id,
      name: conn.name,
      connectionType: conn.connection_type,
      domains: conn.domains.map((d) => ({ domain: d.domain })),
    });
  });

  it('finds organizations and users by external id', async () => {
    const org = [...stack.emulator.store.organizations.values()].find((o) => o.external_id)!;
    const user = [...stack.emulator.store.users.values()].find((u) => u.external_id)!;
    const { body } = await post(
      stack.url,
      `query($o: String!, $u: String!) { organizationByExternalId(externalId: $o) { id } userByExternalId(externalId: $u) { id } missing: organizationByExternalId(externalId: "nope") { id } }`,
      { o: org.external_id, u: user.external_id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ organizationByExternalId: { id: org.id }, userByExternalId: { id: user.id }, missing: null });
  });
});

describe('node and nodes', () => {
  it('dispatch on the id prefix and keep the order, with null where absent', async () => {
    const s = stack.emulator.store;
    const org = [...s.organizations.values()][0];
    const dUser = [...s.directoryUsers.values()][0];
    const dir = [...s.directories.values()][0];
    const ids = [dUser.id, org.id, 'conn_01ZZZZZZZZZZZZZZZZZZZZZZZZ', dir.id];
    const { body } = await post(
      stack.url,
      `query($ids: [ID!]!, $one: ID!) {
        node(id: $one) { __typename id ... on Organization { name } }
        nodes(ids: $ids) { __typename id }
      }`,
      { ids, one: org.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.node).toEqual({ __typename: 'Organization', id: org.id, name: org.name });
    expect(body.data?.nodes).toEqual([
      { __typename: 'DirectoryUser', id: dUser.id },
      { __typename: 'Organization', id: org.id },
      null,
      { __typename: 'Directory', id: dir.id },
    ]);
    // The organization asked for twice is fetched once.
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
  });

  it('refuses a malformed or unknown-prefix id without calling WorkOS', async () => {
    const { body } = await post(stack.url, `{ node(id: "not-an-id") { id } }`);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0].message).toContain('Not a WorkOS object id');
    const other = await post(stack.url, `{ nodes(ids: ["org_01ZZZZZZZZZZZZZZZZZZZZZZZZ", "foo_01ZZZZZZZZZZZZZZZZZZZZZZZZ"]) { id } }`);
    expect(other.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('lists and relations', () => {
  it('lists organizations newest first, filtered by domain', async () => {
    const s = stack.emulator.store;
    const expected = newestFirst(s.organizations.values()).slice(0, 3).map((o) => o.id);
    const { body } = await post(stack.url, `{ organizations(first: 3) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
    expect(body.errors).toBeUndefined();
    const conn = body.data?.organizations as { edges: { cursor: string; node: { id: string } }[]; pageInfo: Record<string, unknown> };
    expect(conn.edges.map((e) => e.node.id)).toEqual(expected);
    expect(conn.edges.map((e) => e.cursor)).toEqual(expected);
    expect(conn.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: expected[0], endCursor: expected[2] });

    const { body: filtered } = await post(stack.url, `{ organizations(domains: ["acme.test"]) { edges { node { name } } } }`);
    expect(filtered.data?.organizations).toEqual({ edges: [{ node: { name: 'Acme Corp' } }] });
  });

  it('resolves every relation of an organization', async () => {
    const s = stack.emulator.store;
    const acme = [...s.organizations.values()].find((o) => o.name === 'Acme Corp')!;
    const members = newestFirst([...s.memberships.values()].filter((m) => m.organization_id === acme.id));
    const dirs = [...s.directories.values()].filter((d) => d.organization_id === acme.id);
    const conns = [...s.connections.values()].filter((c) => c.organization_id === acme.id);
    const { body } = await post(
      stack.url,
      `query($id: ID!) { organization(id: $id) {
        memberships(first: 100) { edges { node { id user { id email } organization { id } } } }
        users(first: 100) { edges { node { id } } }
        directories { edges { node { id } } }
        ssoConnections { edges { node { id } } }
      } }`,
      { id: acme.id },
    );
    expect(body.errors).toBeUndefined();
    const org = body.data?.organization as Record<string, { edges: { node: { id: string; user?: { id: string } } }[] }>;
    expect(org.memberships.edges.map((e) => e.node.id)).toEqual(members.map((m) => m.id));
    expect(org.memberships.edges.map((e) => e.node.user?.id)).toEqual(members.map((m) => m.user_id));
    expect(new Set(org.users.edges.map((e) => e.node.id))).toEqual(new Set(members.map((m) => m.user_id)));
    expect(org.directories.edges.map((e) => e.node.id).sort()).toEqual(dirs.map((d) => d.id).sort());
    expect(org.ssoConnections.edges.map((e) => e.node.id).sort()).toEqual(conns.map((c) => c.id).sort());
    // Members' users come embedded in the membership page; the organization is already loaded.
    expect(stack.calls()['GET /user_management/users/:id']).toBeUndefined();
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
  });

  it('resolves a user’s memberships and organizations', async () => {
    const s = stack.emulator.store;
    const counts = new Map<string, number>();
    for (const m of s.memberships.values()) counts.set(m.user_id, (counts.get(m.user_id) ?? 0) + 1);
    const [userId] = [...counts].find(([, n]) => n >= 2)!;
    const orgIds = newestFirst([...s.memberships.values()].filter((m) => m.user_id === userId)).map((m) => m.organization_id);
    const { body } = await post(
      stack.url,
      `query($id: ID!) { user(id: $id) { memberships { edges { node { organization { id } } } } organizations { edges { node { id } } } } }`,
      { id: userId },
    );
    expect(body.errors).toBeUndefined();
    const user = body.data?.user as Record<string, { edges: { node: { id?: string; organization?: { id: string } } }[] }>;
    expect(user.memberships.edges.map((e) => e.node.organization?.id)).toEqual(orgIds);
    expect(user.organizations.edges.map((e) => e.node.id)).toEqual(orgIds);
    // One membership page serves both fields; the organizations' ids come with the memberships.
    expect(stack.calls()).toEqual({ 'GET /user_management/users/:id': 1, 'GET /user_management/organization_memberships': 1 });
  });

  it('resolves directory users and groups both ways', async () => {
    const s = stack.emulator.store;
    const dir = [...s.directories.values()][0];
    const { body } = await post(
      stack.url,
      `query($id: ID!) { directory(id: $id) {
        organization { id }
        users(first: 5) { edges { node { id groups { edges { node { id } } } organization { id } } } }
        groups { edges { node { id users(first: 100) { edges { node { id } } } } } }
      } }`,
      { id: dir.id },
    );
    expect(body.errors).toBeUndefined();
    const d = body.data?.directory as {
      organization: { id: string };
      users: { edges: { node: { id: string; groups: { edges: { node: { id: string } }[] }; organization: { id: string } } }[] };
      groups: { edges: { node: { id: string; users: { edges: { node: { id: string } }[] } } }[] };
    };
    expect(d.organization.id).toBe(dir.organization_id);
    for (const { node } of d.users.edges) {
      const record = s.directoryUsers.get(node.id)!;
      expect(node.groups.edges.map((e) => e.node.id).sort()).toEqual([...record.group_ids].sort());
      expect(node.organization.id).toBe(dir.organization_id);
    }
    for (const { node } of d.groups.edges) {
      const members = [...s.directoryUsers.values()].filter((u) => u.group_ids.includes(node.id)).map((u) => u.id);
      expect(node.users.edges.map((e) => e.node.id).sort()).toEqual(members.sort());
    }
  });

  it('filters users, directories and SSO connections', async () => {
    const s = stack.emulator.store;
    const user = [...s.users.values()][3];
    const conn = [...s.connections.values()][0];
    const { body } = await post(
      stack.url,
      `query($email: String!, $org: ID!, $type: String!, $domain: String!) {
        users(email: $email) { edges { node { id } } }
        directories(organizationId: $org) { edges { node { organization { id } } } }
        ssoConnections(connectionType: $type, domain: $domain) { edges { node { id } } }
      }`,
      { email: user.email, org: conn.organization_id, type: conn.connection_type, domain: conn.domains[0].domain },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.users).toEqual({ edges: [{ node: { id: user.id } }] });
    const dirs = (body.data?.directories as { edges: { node: { organization: { id: string } } }[] }).edges;
    for (const e of dirs) expect(e.node.organization.id).toBe(conn.organization_id);
    expect(body.data?.ssoConnections).toEqual({ edges: [{ node: { id: conn.id } }] });
  });
});
