import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../kit/stack.ts';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import { withoutCost } from '../kit/http.ts';

/**
 * Alice is Acme's admin (and a plain member of Globex), Bob a plain member of Acme; Initech is
 * an organization neither belongs to. A refused write is FORBIDDEN, says nothing more, and
 * sends nothing but reads to WorkOS.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
let bob: string;
let initech: { id: string };
beforeAll(async () => {
  stack = await startWarmStack({ emulator: { exportDelayMs: 20 } });
  s = seeded(stack);
  alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
  bob = await tokenFor(stack, s.bob.id);
  initech = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Initech')!;
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const writesSent = () => Object.keys(stack.calls()).filter((route) => !route.startsWith('GET '));

async function expectForbidden(token: string, mutation: string, input: Record<string, unknown>) {
  stack.resetCalls();
  const type = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const { body } = await send(stack, token, `mutation($input: ${type}!) { ${mutation}(input: $input) { __typename } }`, { input });
  expect(body.errors?.map((e) => [e.extensions?.code, e.message]), mutation).toEqual([['FORBIDDEN', 'Not allowed.']]);
  expect(writesSent(), mutation).toEqual([]);
}

async function expectAllowed(token: string, mutation: string, input: Record<string, unknown>, typename: string) {
  const type = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const { body } = await send(stack, token, `mutation($input: ${type}!) { r: ${mutation}(input: $input) { __typename ... on MutationError { message } } }`, { input });
  expect(body.errors, mutation).toBeUndefined();
  expect(body.data?.r, mutation).toMatchObject({ __typename: typename });
}

const day = 24 * 3600_000;
const auditEvent = (organizationId: string) => ({
  organizationId,
  action: 'user.signed_in',
  actor: { id: 'user_1', type: 'user' },
  targets: [{ id: 'user_1', type: 'user' }],
  context: { location: '127.0.0.1' },
});

describe('a member tries the admin’s mutations', () => {
  const dave = () => s.membershipOf(s.dave.id, s.acme.id).id;
  it.each<[string, string, () => Record<string, unknown>]>([
    ['updateOrganization', 'rename', () => ({ id: s.acme.id, name: 'Pwned' })],
    ['deleteOrganization', 'delete', () => ({ id: s.acme.id })],
    ['createOrganizationMembership', 'add an outsider as admin', () => ({ organizationId: s.acme.id, userId: s.globexOnly().id, roleSlug: 'admin' })],
    ['updateOrganizationMembershipRole', 'promote himself', () => ({ id: s.membershipOf(s.bob.id, s.acme.id).id, roleSlug: 'admin' })],
    ['updateOrganizationMembershipRole', 'promote another member', () => ({ id: dave(), roleSlug: 'admin' })],
    ['deactivateOrganizationMembership', 'deactivate a member', () => ({ id: dave() })],
    ['reactivateOrganizationMembership', 'reactivate a member', () => ({ id: dave() })],
    ['deleteOrganizationMembership', 'remove a member', () => ({ id: dave() })],
    ['deleteDirectory', 'delete the directory', () => ({ id: s.directoryOf(s.acme.id).id })],
    ['deleteSsoConnection', 'delete the SSO connection', () => ({ id: s.connectionOf(s.acme.id).id })],
    ['createAuditLogEvent', 'record an audit event', () => auditEvent(s.acme.id)],
    ['createAuditLogExport', 'export the audit log', () => ({ organizationId: s.acme.id, rangeStart: new Date(Date.now() - day).toISOString(), rangeEnd: new Date().toISOString() })],
  ])('%s (%s) is refused', async (mutation, _what, input) => {
    await expectForbidden(bob, mutation, input());
  });

  it('service-only mutations and other users’ accounts are refused', async () => {
    await expectForbidden(bob, 'createOrganization', { name: 'Mine' });
    await expectForbidden(bob, 'createUser', { email: 'new@acme.test' });
    await expectForbidden(bob, 'deleteUser', { id: s.dave.id });
    await expectForbidden(bob, 'updateUser', { id: s.dave.id, firstName: 'X' });
    await expectForbidden(bob, 'sendPasswordReset', { email: 'dave@acme.test' });
    await expectForbidden(bob, 'onboardOrganization', { name: 'For Alice', adminUserId: s.alice.id });
  });

  it('his own profile: name and locale yes; email, password or verified flag no', async () => {
    await expectAllowed(bob, 'updateUser', { id: s.bob.id, firstName: 'Robert', locale: 'en-GB' }, 'UserPayload');
    expect(stack.emulator.store.users.get(s.bob.id)?.first_name).toBe('Robert');
    await expectForbidden(bob, 'updateUser', { id: s.bob.id, emailVerified: true });
    await expectForbidden(bob, 'updateUser', { id: s.bob.id, email: 'bob@evil.test' });
    await expectForbidden(bob, 'updateUser', { id: s.bob.id, password: 'NewPassword1!' });
  });

  it('a permission in his token for Acme lets him; it does not reach another organization', async () => {
    const withPermission = await tokenFor(stack, s.bob.id, { organizationId: s.acme.id, role: 'member', permissions: ['organizations:manage'] });
    await expectAllowed(withPermission, 'updateOrganization', { id: s.acme.id, name: 'Acme Corp' }, 'OrganizationPayload');
    await expectForbidden(withPermission, 'updateOrganization', { id: s.globex.id, name: 'Pwned' });
    await expectForbidden(withPermission, 'createOrganizationMembership', { organizationId: s.acme.id, userId: s.globexOnly().id });
  });
});

describe('an admin reaches into another tenant', () => {
  it.each<[string, string, () => Record<string, unknown>]>([
    ['updateOrganization', 'where she is nobody', () => ({ id: initech.id, name: 'Pwned' })],
    ['deleteOrganization', 'where she is a member', () => ({ id: s.globex.id })],
    ['createOrganizationMembership', 'where she is nobody', () => ({ organizationId: initech.id, userId: s.alice.id, roleSlug: 'admin' })],
    ['updateOrganizationMembershipRole', 'her own membership where she is a member', () => ({ id: s.membershipOf(s.alice.id, s.globex.id).id, roleSlug: 'admin' })],
    ['deactivateOrganizationMembership', 'where she is a member', () => ({ id: s.membershipOf(s.carol.id, s.globex.id).id })],
    ['deleteDirectory', 'where she is a member', () => ({ id: s.directoryOf(s.globex.id).id })],
    ['deleteSsoConnection', 'where she is nobody', () => ({ id: s.connectionOf(initech.id).id })],
    ['createAuditLogEvent', 'where she is nobody', () => auditEvent(initech.id)],
  ])('%s %s is refused', async (mutation, _where, input) => {
    await expectForbidden(alice, mutation, input());
  });

  it('an absent object is refused exactly like another tenant’s', async () => {
    await expectForbidden(alice, 'deactivateOrganizationMembership', { id: 'om_01ZZZZZZZZZZZZZZZZZZZZZZZZ' });
    await expectForbidden(alice, 'deleteDirectory', { id: 'directory_01ZZZZZZZZZZZZZZZZZZZZZZZZ' });
    await expectForbidden(alice, 'updateOrganization', { id: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ', name: 'X' });
  });

  it('refusals decided by id alone send nothing but her memberships read', async () => {
    stack.resetCalls();
    await send(stack, alice, `mutation { updateOrganization(input: { id: "${initech.id}", name: "X" }) { __typename } }`);
    expect(stack.calls()).toEqual({ 'GET /user_management/organization_memberships': 1 });
  });

  it('in her own organization she may', async () => {
    await expectAllowed(alice, 'updateOrganization', { id: s.acme.id, name: 'Acme Corp' }, 'OrganizationPayload');
    await expectAllowed(alice, 'createAuditLogEvent', auditEvent(s.acme.id), 'CreateAuditLogEventPayload');
    const invitee = s.globexOnly();
    const { body } = await send(
      stack,
      alice,
      'mutation($input: CreateOrganizationMembershipInput!) { createOrganizationMembership(input: $input) { ... on OrganizationMembershipPayload { organizationMembership { id user { email } } } } }',
      { input: { organizationId: s.acme.id, userId: invitee.id } },
    );
    const created = (body.data?.createOrganizationMembership as { organizationMembership: { id: string; user: { email: string } } }).organizationMembership;
    expect(created.user.email).toBe(invitee.email);
    await expectAllowed(alice, 'deleteOrganizationMembership', { id: created.id }, 'DeletePayload');
  });
});

describe('adding members', () => {
  it('an admin cannot pull in a user from outside their organizations (and so see their profile)', async () => {
    const store = stack.emulator.store;
    const aliceOrgs = new Set([...store.memberships.values()].filter((m) => m.user_id === s.alice.id).map((m) => m.organization_id));
    const stranger = [...store.users.values()].find((u) =>
      [...store.memberships.values()].filter((m) => m.user_id === u.id).every((m) => !aliceOrgs.has(m.organization_id)),
    )!;
    await expectForbidden(alice, 'createOrganizationMembership', { organizationId: s.acme.id, userId: stranger.id });
  });
});

describe('onboarding and audit log exports', () => {
  it('a signed-in user onboards an organization for themselves, then administers it', async () => {
    const { body } = await send(
      stack,
      bob,
      `mutation { onboardOrganization(input: { name: "Bob's Shop", adminUserId: "${s.bob.id}" }) { __typename ... on OnboardOrganizationPayload { organization { id name } adminMembership { role { slug } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const payload = body.data?.onboardOrganization as { organization: { id: string }; adminMembership: { role: { slug: string } } };
    expect(payload.adminMembership.role.slug).toBe('admin');
    await expectAllowed(bob, 'updateOrganization', { id: payload.organization.id, name: "Bob's Store" }, 'OrganizationPayload');
    const orgs = await send(stack, bob, '{ organizations { edges { node { name } } } }');
    expect(JSON.stringify(orgs.body)).toContain("Bob's Store");
  });

  it('a user may not claim a verified domain or an external id; a service may', async () => {
    stack.resetCalls();
    const claim = (token: string, name: string) =>
      send(
        stack,
        token,
        `mutation($input: OnboardOrganizationInput!) { onboardOrganization(input: $input) { __typename ... on ValidationError { message fields { field } } } }`,
        { input: { name, adminUserId: s.bob.id, domains: [{ domain: 'squatted-bank.test', state: 'VERIFIED' }], externalId: 'ext-squat' } },
      );
    const { body } = await claim(bob, 'Squatter');
    expect(body.data?.onboardOrganization).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'domains' }, { field: 'externalId' }] });
    expect(stack.calls()['POST /organizations']).toBeUndefined();

    const own = (await send(stack, bob, `mutation { onboardOrganization(input: { name: "Bob Pending", adminUserId: "${s.bob.id}" }) { ... on OnboardOrganizationPayload { organization { id } } } }`)).body;
    const orgId = (own.data?.onboardOrganization as { organization: { id: string } }).organization.id;
    const update = await send(
      stack,
      bob,
      `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }`,
      { input: { id: orgId, domains: [{ domain: 'squatted-bank.test', state: 'VERIFIED' }] } },
    );
    expect(update.body.data?.updateOrganization).toEqual({ __typename: 'ValidationError' });

    const service = await claim(stack.serviceToken, 'Verified By Backend');
    expect(service.body.data?.onboardOrganization).toEqual({ __typename: 'OnboardOrganizationPayload' });
  });

  it('an export is readable by the audit log managers of its organization only', async () => {
    const { body } = await send(
      stack,
      alice,
      'mutation($input: CreateAuditLogExportInput!) { createAuditLogExport(input: $input) { ... on AuditLogExportPayload { auditLogExport { id state } } } }',
      { input: { organizationId: s.acme.id, rangeStart: new Date(Date.now() - day).toISOString(), rangeEnd: new Date().toISOString() } },
    );
    expect(body.errors).toBeUndefined();
    const id = (body.data?.createAuditLogExport as { auditLogExport: { id: string } }).auditLogExport.id;
    const read = async (token: string) => (await send(stack, token, `{ auditLogExport(id: "${id}") { id } node(id: "${id}") { id } }`)).body.data;

    expect(await read(alice)).toEqual({ auditLogExport: { id }, node: { id } });
    expect(await read(stack.serviceToken)).toEqual({ auditLogExport: { id }, node: { id } });
    expect(await read(bob)).toEqual({ auditLogExport: null, node: null });
    const carol = await tokenFor(stack, s.carol.id);
    expect(await read(carol)).toEqual({ auditLogExport: null, node: null });
  });

  it('an export the gateway did not create is for service callers only, refused without a fetch', async () => {
    stack.resetCalls();
    const { body } = await send(stack, alice, '{ auditLogExport(id: "audit_log_export_01ZZZZZZZZZZZZZZZZZZZZZZZZ") { id } }');
    expect(withoutCost(body)).toEqual({ data: { auditLogExport: null } });
    expect(stack.totalCalls()).toBe(0);
    expect(codes(body)).toEqual([]);
  });
});
