import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditLogExportStatusDocument,
  CreateOrganizationDocument,
  DeleteOrganizationDocument,
  DirectoryPageDocument,
  OnboardOrganizationDocument,
  OrganizationDetailDocument,
  OrganizationListDocument,
  RequestAuditLogExportDocument,
  UpdateOrganizationDocument,
  UserProfileDocument,
  type OrganizationListQuery,
} from '@workos-graphql-gateway/client/documents';
import { startStack, type Stack } from '../kit/stack.ts';

/**
 * Every operation in schema/operations/ runs, through its generated typed document, against
 * the real gateway and emulator, with graphql-request (stack.client sends the service token). A schema change that breaks a client breaks this file: at
 * type-check (results are typed from the documents) and here (the data must still be right).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { exportDelayMs: 30 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

const store = () => stack.emulator.store;
const newestFirst = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? 1 : -1));
const orgNamed = (name: string) => [...store().organizations.values()].find((o) => o.name === name)!;
const userWithEmail = (email: string) => [...store().users.values()].find((u) => u.email === email)!;
/** Lists are nullable in the schema (a failed page leaves the rest of the answer); here each must be there. */
function present<T>(value: T | null | undefined): T {
  expect(value).not.toBeNull();
  return value as T;
}

describe('queries', () => {
  it('OrganizationList pages through every organization with first/after', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: OrganizationListQuery = await stack.client.request(OrganizationListDocument, { first: 7, after });
      const { edges, pageInfo } = present(page.organizations);
      seen.push(...edges.map((e) => e.node.id));
      expect(edges.at(-1)?.cursor).toBe(pageInfo.endCursor);
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 20);
    expect(seen).toEqual(newestFirst(store().organizations.values()).map((o) => o.id));
    expect(pages).toBe(Math.ceil(store().organizations.size / 7));
  });

  it('OrganizationList filters by domain and returns the summary fragment', async () => {
    const acme = orgNamed('Acme Corp');
    const organizations = present((await stack.client.request(OrganizationListDocument, { domains: [acme.domains[0].domain] })).organizations);
    expect(organizations.edges.map((e) => e.node)).toEqual([
      {
        id: acme.id,
        name: 'Acme Corp',
        externalId: acme.external_id,
        domains: acme.domains.map((d) => ({ domain: d.domain, state: d.state })),
        createdAt: acme.created_at,
      },
    ]);
    expect(organizations.pageInfo.hasNextPage).toBe(false);
  });

  it('OrganizationDetail returns the members and their roles', async () => {
    const acme = orgNamed('Acme Corp');
    const { organization } = await stack.client.request(OrganizationDetailDocument, { id: acme.id });
    expect(organization).toMatchObject({ id: acme.id, name: 'Acme Corp', metadata: acme.metadata, updatedAt: acme.updated_at });
    const expected = newestFirst([...store().memberships.values()].filter((m) => m.organization_id === acme.id));
    expect(organization?.memberships?.edges.map(({ node }) => ({ id: node.id, role: node.role.slug, email: node.user?.email }))).toEqual(
      expected.map((m) => ({ id: m.id, role: m.role.slug, email: store().users.get(m.user_id)?.email })),
    );
    const alice = organization?.memberships?.edges.find((e) => e.node.user?.email === 'alice@acme.test');
    expect(alice?.node).toMatchObject({ status: 'ACTIVE', role: { slug: 'admin' }, roles: [{ slug: 'admin' }] });
  });

  it('OrganizationDetail is null for an unknown id', async () => {
    const result = await stack.client.request(OrganizationDetailDocument, { id: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(result.organization).toBeNull();
  });

  it('UserProfile lists the organizations the user belongs to', async () => {
    const alice = userWithEmail('alice@acme.test');
    const { user } = await stack.client.request(UserProfileDocument, { id: alice.id });
    expect(user).toMatchObject({ id: alice.id, email: alice.email, firstName: alice.first_name, emailVerified: alice.email_verified });
    const expected = [...store().memberships.values()].filter((m) => m.user_id === alice.id);
    expect(user?.memberships?.edges.map((e) => e.node.organization?.name).sort()).toEqual(expected.map((m) => m.organization_name).sort());
    expect(user?.memberships?.edges.map((e) => e.node.organization?.name)).toContain('Acme Corp');
  });

  it('DirectoryPage returns the directory with its groups and users', async () => {
    const directory = [...store().directories.values()].find((d) => [...store().directoryGroups.values()].some((g) => g.directory_id === d.id))!;
    const groups = newestFirst([...store().directoryGroups.values()].filter((g) => g.directory_id === directory.id));
    const users = newestFirst([...store().directoryUsers.values()].filter((u) => u.directory_id === directory.id));
    const { directory: page } = await stack.client.request(DirectoryPageDocument, { id: directory.id });
    expect(page).toMatchObject({ id: directory.id, name: directory.name, type: directory.type, organization: { id: directory.organization_id } });
    expect(page?.groups?.edges.map((e) => e.node.name)).toEqual(groups.slice(0, 50).map((g) => g.name));
    expect(page?.users?.edges.map((e) => e.node.email)).toEqual(users.slice(0, 50).map((u) => u.email));
    const member = users.find((u) => u.group_ids.length > 0)!;
    const shown = page?.users?.edges.find((e) => e.node.id === member.id)?.node;
    expect(shown?.groups?.edges.map((e) => e.node.id).sort()).toEqual([...member.group_ids].sort());
  });
});

describe('mutations with typed results', () => {
  it('creates, updates and deletes an organization', async () => {
    const created = (await stack.client.request(CreateOrganizationDocument, {
      input: { name: 'Typed Widgets', domains: [{ domain: 'typed-widgets.test', state: 'VERIFIED' }], metadata: { plan: 'team' } },
    })).createOrganization;
    if (created.__typename !== 'OrganizationPayload') throw new Error(`expected OrganizationPayload, got ${created.__typename}`);
    // Narrowed by __typename: `organization` exists only on this branch.
    const id = created.organization.id;
    expect(created.organization).toMatchObject({ name: 'Typed Widgets', metadata: { plan: 'team' }, domains: [{ domain: 'typed-widgets.test', state: 'verified' }] });
    expect(store().organizations.get(id)?.name).toBe('Typed Widgets');

    const updated = (await stack.client.request(UpdateOrganizationDocument, { input: { id, name: 'Typed Widgets Global' } })).updateOrganization;
    expect(updated).toMatchObject({ __typename: 'OrganizationPayload', organization: { id, name: 'Typed Widgets Global' } });

    const deleted = (await stack.client.request(DeleteOrganizationDocument, { input: { id } })).deleteOrganization;
    expect(deleted).toEqual({ __typename: 'DeletePayload', deletedId: id });
    expect(store().organizations.has(id)).toBe(false);

    const again = (await stack.client.request(DeleteOrganizationDocument, { input: { id } })).deleteOrganization;
    expect(again.__typename).toBe('NotFoundError');
    if (again.__typename === 'NotFoundError') expect(again).toMatchObject({ id, message: expect.any(String) });
  });

  it('returns ConflictError with the gateway’s message for a taken domain', async () => {
    const taken = orgNamed('Acme Corp').domains[0].domain;
    const result = (await stack.client.request(CreateOrganizationDocument, { input: { name: 'Copycat', domains: [{ domain: taken }] } })).createOrganization;
    expect(result.__typename).toBe('ConflictError');
    // WorkOS' message names the domain (and so who has it); the gateway's does not.
    if (result.__typename === 'ConflictError') expect(result.message).toMatch(/conflicts with existing data/);
  });

  it('returns ValidationError with its fields when WorkOS refuses the input', async () => {
    stack.emulator.faults.add({
      method: 'POST',
      path: '/organizations',
      status: 422,
      body: { code: 'invalid_request_parameters', message: 'Validation failed', errors: [{ field: 'external_id', code: 'external_id_invalid', message: 'External id is too long' }] },
      times: 1,
    });
    const result = (await stack.client.request(CreateOrganizationDocument, { input: { name: 'Refused Inc', externalId: 'x' } })).createOrganization;
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename === 'ValidationError') {
      expect(result.message).toBe('The input was refused.');
      expect(result.fields).toEqual([{ field: 'externalId', message: 'external_id_invalid' }]);
    }
  });

  it('onboards an organization with its first admin', async () => {
    const bob = userWithEmail('bob@acme.test');
    const result = (await stack.client.request(OnboardOrganizationDocument, {
      input: { name: 'Onboarded Typed Co', adminUserId: bob.id, domains: [{ domain: 'onboarded-typed.test' }] },
    })).onboardOrganization;
    if (result.__typename !== 'OnboardOrganizationPayload') throw new Error(`expected OnboardOrganizationPayload, got ${result.__typename}`);
    expect(result.organization.name).toBe('Onboarded Typed Co');
    expect(result.adminMembership).toMatchObject({ role: { slug: 'admin' }, user: { id: bob.id, email: bob.email } });
    expect(store().memberships.get(result.adminMembership.id)?.organization_id).toBe(result.organization.id);
  });

  it('reports a failed onboarding step and what was rolled back', async () => {
    const result = (await stack.client.request(OnboardOrganizationDocument, { input: { name: 'Ghost Typed Co', adminUserId: 'user_01ZZZZZZZZZZZZZZZZZZZZZZZZ' } })).onboardOrganization;
    expect(result.__typename).toBe('OnboardingFailedError');
    if (result.__typename === 'OnboardingFailedError') {
      expect(result.failedStep).toBe('add admin membership');
      expect(result.rolledBack[0]).toMatch(/^organization org_/);
      expect(result.notRolledBack).toEqual([]);
    }
  });

  it('requests an audit log export and polls it until READY', async () => {
    const acme = orgNamed('Acme Corp');
    const requested = (await stack.client.request(RequestAuditLogExportDocument, {
      input: { organizationId: acme.id, rangeStart: '2020-01-01T00:00:00.000Z', rangeEnd: '2030-01-01T00:00:00.000Z' },
    })).createAuditLogExport;
    if (requested.__typename !== 'AuditLogExportPayload') throw new Error(`expected AuditLogExportPayload, got ${requested.__typename}`);
    expect(requested.auditLogExport).toMatchObject({ state: 'PENDING', url: null });

    let status = requested.auditLogExport;
    for (let i = 0; i < 100 && status.state === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const polled = await stack.client.request(AuditLogExportStatusDocument, { id: status.id });
      status = polled.auditLogExport ?? status;
    }
    expect(status.state).toBe('READY');
    expect(status.url).toMatch(/^http/);
    expect(store().auditLogExports.get(status.id)?.state).toBe('ready');
  });
});
