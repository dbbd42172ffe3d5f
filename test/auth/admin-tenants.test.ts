import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../kit/stack.ts';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import { withoutCost } from '../kit/http.ts';

/**
 * Tenant isolation of the admin screens' paths. Alice is Acme's admin (and a plain member of
 * Globex), Bob a plain member of Acme, Carol Globex's admin (and a plain member of Acme). A refusal
 * is FORBIDDEN (or null for a read by id), says nothing more, sends no write, and costs the same
 * upstream calls whether the object exists elsewhere or not at all.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
let bob: string;
let carol: string;
const ABSENT = {
  invitation: 'invitation_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
  domain: 'org_domain_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
  session: 'session_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
  factor: 'auth_factor_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
};

beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
  alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
  bob = await tokenFor(stack, s.bob.id);
  carol = await tokenFor(stack, s.carol.id, { organizationId: s.globex.id });
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const store = () => stack.emulator.store;
const acmeInvitation = () => [...store().invitations.values()].find((i) => i.organization_id === s.acme.id && i.email === 'new.hire@acme.test')!;
const acmeDomain = () => s.acme.domains[0];
const globexDomain = () => s.globex.domains[0];
const sessionOf = (userId: string) => [...store().sessions.values()].find((x) => x.user_id === userId)!;
const erinFactor = () => [...store().auth.authFactors.values()].find((f) => f.userId === s.erin.id)!;
const writesSent = () => Object.keys(stack.calls()).filter((route) => !route.startsWith('GET '));

async function mutate(token: string, mutation: string, input: Record<string, unknown>) {
  const type = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  return send(stack, token, `mutation($input: ${type}!) { r: ${mutation}(input: $input) { __typename ... on MutationError { message } } }`, { input });
}

async function expectForbidden(token: string, mutation: string, input: Record<string, unknown>) {
  stack.resetCalls();
  const { body } = await mutate(token, mutation, input);
  expect(body.errors?.map((e) => [e.extensions?.code, e.message]), mutation).toEqual([['FORBIDDEN', 'Not allowed.']]);
  expect(writesSent(), mutation).toEqual([]);
  return stack.calls();
}

async function expectAllowed(token: string, mutation: string, input: Record<string, unknown>, typename: string) {
  const { body } = await mutate(token, mutation, input);
  expect(body.errors, mutation).toBeUndefined();
  expect(body.data?.r, mutation).toMatchObject({ __typename: typename });
}

describe('reads', () => {
  it('an organization’s invitations: its admin and a service; not a member, not an admin elsewhere; read alongside the decision, never returned', async () => {
    const q = (org: string) => `{ organization(id: "${org}") { invitations { edges { node { email } } } } }`;
    expect((await send(stack, alice, q(s.acme.id))).body.errors).toBeUndefined();
    expect((await send(stack, stack.serviceToken, q(s.acme.id))).body.errors).toBeUndefined();
    for (const [token, org] of [[bob, s.acme.id], [alice, s.globex.id], [carol, s.acme.id]] as const) {
      stack.resetCalls();
      const { body } = await send(stack, token, q(org));
      expect(codes(body)).toEqual(['FORBIDDEN']);
      // The list starts with the organization (one wave for its admin); a refusal returns none of it.
      expect(JSON.stringify(body.data ?? {})).not.toContain('@');
      expect(stack.calls()['GET /user_management/invitations'] ?? 0).toBeLessThanOrEqual(1);
    }
  });

  it('an invitation by id or node: its organization’s admin; anyone else gets null, as for an absent id, at the same cost', async () => {
    const q = 'query($id: ID!) { invitation(id: $id) { email } node(id: $id) { id } }';
    expect((await send(stack, alice, q, { id: acmeInvitation().id })).body.data).toEqual({ invitation: { email: 'new.hire@acme.test' }, node: { id: acmeInvitation().id } });
    for (const token of [bob, carol]) {
      stack.resetCalls();
      const other = await send(stack, token, q, { id: acmeInvitation().id });
      expect(withoutCost(other.body)).toEqual({ data: { invitation: null, node: null } });
      const otherCalls = stack.calls();
      stack.resetCalls();
      const absent = await send(stack, token, q, { id: ABSENT.invitation });
      expect(withoutCost(absent.body)).toEqual({ data: { invitation: null, node: null } });
      expect(stack.calls()).toEqual(otherCalls);
    }
  });

  it('an invitation by token: null for an unknown token and for someone else’s alike, at the same cost', async () => {
    const q = 'query($t: String!) { invitationByToken(token: $t) { email } }';
    stack.resetCalls();
    expect(withoutCost((await send(stack, bob, q, { t: acmeInvitation().token })).body)).toEqual({ data: { invitationByToken: null } });
    const other = stack.calls();
    stack.resetCalls();
    expect(withoutCost((await send(stack, bob, q, { t: 'no-such-token' })).body)).toEqual({ data: { invitationByToken: null } });
    expect(stack.calls()).toEqual(other);
    expect((await send(stack, stack.serviceToken, q, { t: acmeInvitation().token })).body.data).toEqual({ invitationByToken: { email: 'new.hire@acme.test' } });
  });

  it('roles and domains: every member reads their organization’s; another tenant’s domain is null like an absent one, at the same cost', async () => {
    const roles = await send(stack, bob, `{ organization(id: "${s.acme.id}") { roles { slug } } }`);
    expect((roles.body.data?.organization as { roles: unknown[] }).roles).toHaveLength(4);
    const q = 'query($id: ID!) { organizationDomain(id: $id) { domain verificationToken } node(id: $id) { id } }';
    expect((await send(stack, bob, q, { id: acmeDomain().id })).body.data?.organizationDomain).toMatchObject({ domain: 'acme.test' });
    stack.resetCalls();
    expect(withoutCost((await send(stack, bob, q, { id: globexDomain().id })).body)).toEqual({ data: { organizationDomain: null, node: null } });
    const other = stack.calls();
    stack.resetCalls();
    expect(withoutCost((await send(stack, bob, q, { id: ABSENT.domain })).body)).toEqual({ data: { organizationDomain: null, node: null } });
    expect(stack.calls()).toEqual(other);
  });

  it('audit log actions and retention: audit log managers of the organization, and services', async () => {
    const actions = (org?: string) => `{ auditLogActions${org ? `(organizationId: "${org}")` : ''} { edges { node { name } } } }`;
    const retention = (org: string) => `{ organization(id: "${org}") { auditLogRetention { retentionPeriodInDays } } }`;
    expect((await send(stack, alice, actions(s.acme.id))).body.errors).toBeUndefined();
    expect((await send(stack, alice, retention(s.acme.id))).body.errors).toBeUndefined();
    expect((await send(stack, stack.serviceToken, actions())).body.errors).toBeUndefined();
    for (const [token, query] of [
      [bob, actions(s.acme.id)],
      [alice, actions(s.globex.id)],
      [alice, actions()],
      [bob, retention(s.acme.id)],
      [alice, retention(s.globex.id)],
    ] as const) {
      stack.resetCalls();
      const { body } = await send(stack, token, query);
      expect(codes(body), query).toEqual(['FORBIDDEN']);
      expect(stack.calls()['GET /audit_logs/actions']).toBeUndefined();
      expect(stack.calls()['GET /organizations/:id/audit_logs_retention']).toBeUndefined();
    }
  });

  it('sessions and factors: the user themselves and services; a co-member’s are refused without a call', async () => {
    const q = (id: string) => `{ user(id: "${id}") { email sessions { edges { node { id } } } authFactors { edges { node { id } } } } }`;
    expect((await send(stack, bob, q(s.bob.id))).body.errors).toBeUndefined();
    expect((await send(stack, stack.serviceToken, q(s.carol.id))).body.errors).toBeUndefined();
    stack.resetCalls();
    const { body } = await send(stack, bob, q(s.carol.id));
    expect(codes(body)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(body.data?.user).toMatchObject({ email: 'carol@globex.test', sessions: null, authFactors: null });
    expect(Object.keys(stack.calls()).some((r) => r.includes('sessions') || r.includes('auth_factors'))).toBe(false);
  });
});

describe('writes', () => {
  it.each<[string, string, () => Record<string, unknown>]>([
    ['sendInvitation', 'a member invites', () => ({ organizationId: s.acme.id, email: 'sneaky@example.test', roleSlug: 'admin' })],
    ['resendInvitation', 'a member resends', () => ({ id: acmeInvitation().id })],
    ['revokeInvitation', 'a member revokes', () => ({ id: acmeInvitation().id })],
    ['createOrganizationDomain', 'a member adds a domain', () => ({ organizationId: s.acme.id, domain: 'acme-sneaky.test' })],
    ['verifyOrganizationDomain', 'a member verifies', () => ({ id: acmeDomain().id })],
    ['deleteOrganizationDomain', 'a member deletes a domain', () => ({ id: acmeDomain().id })],
    ['generateAdminPortalLink', 'a member opens the Admin Portal', () => ({ organizationId: s.acme.id, intent: 'SSO' })],
    ['createWidgetToken', 'a member gets a widget token', () => ({ organizationId: s.acme.id, scopes: ['USERS_TABLE_MANAGE'] })],
    ['updateAuditLogRetention', 'a member changes retention', () => ({ organizationId: s.acme.id, retentionPeriodInDays: 30 })],
    ['revokeSession', 'a member revokes the admin’s session', () => ({ sessionId: sessionOf(s.alice.id).id })],
    ['deleteAuthFactor', 'a member removes a co-member’s factor', () => ({ id: erinFactor().id })],
    ['enrollTotpFactor', 'a member enrolls a factor for another', () => ({ userId: s.erin.id })],
  ])('%s (%s) is refused', async (mutation, _what, input) => {
    await expectForbidden(bob, mutation, input());
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['sendInvitation', 'where she is a member', () => ({ organizationId: s.globex.id, email: 'x@example.test' })],
    ['revokeInvitation', 'of Acme, as Globex’s admin (Carol)', () => ({ id: acmeInvitation().id })],
    ['verifyOrganizationDomain', 'of Globex', () => ({ id: globexDomain().id })],
    ['generateAdminPortalLink', 'for Globex', () => ({ organizationId: s.globex.id, intent: 'DSYNC' })],
    ['createWidgetToken', 'for Globex', () => ({ organizationId: s.globex.id, scopes: ['SSO_MANAGE'] })],
    ['updateAuditLogRetention', 'of Globex', () => ({ organizationId: s.globex.id, retentionPeriodInDays: 365 })],
  ])('an admin’s %s %s is refused', async (mutation, where, input) => {
    await expectForbidden(where.includes('Carol') ? carol : alice, mutation, input());
  });

  it.each<[string, () => Record<string, unknown>, Record<string, unknown>]>([
    ['resendInvitation', () => ({ id: acmeInvitation().id }), { id: ABSENT.invitation }],
    ['revokeInvitation', () => ({ id: acmeInvitation().id }), { id: ABSENT.invitation }],
    ['acceptInvitation', () => ({ id: acmeInvitation().id }), { id: ABSENT.invitation }],
    ['verifyOrganizationDomain', () => ({ id: globexDomain().id }), { id: ABSENT.domain }],
    ['deleteOrganizationDomain', () => ({ id: globexDomain().id }), { id: ABSENT.domain }],
    ['revokeSession', () => ({ sessionId: sessionOf(s.carol.id).id }), { sessionId: ABSENT.session }],
    ['deleteAuthFactor', () => ({ id: erinFactor().id }), { id: ABSENT.factor }],
  ])('%s: another tenant’s object and an absent one are refused alike, at the same cost', async (mutation, existing, absent) => {
    const other = await expectForbidden(bob, mutation, existing());
    const none = await expectForbidden(bob, mutation, absent);
    expect(none).toEqual(other);
    // Both read what decides (the object, and the viewer's memberships, user, sessions or factors).
    expect(Object.values(other).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  it('in her own organization the admin may; a permission in the token allows only its own intents and scopes', async () => {
    await expectAllowed(alice, 'generateAdminPortalLink', { organizationId: s.acme.id, intent: 'AUDIT_LOGS' }, 'AdminPortalLinkPayload');
    await expectAllowed(alice, 'createWidgetToken', { organizationId: s.acme.id, scopes: ['USERS_TABLE_MANAGE', 'SSO_MANAGE'] }, 'WidgetTokenPayload');
    const auditor = await tokenFor(stack, s.bob.id, { organizationId: s.acme.id, role: 'member', permissions: ['audit_logs:manage'] });
    await expectAllowed(auditor, 'generateAdminPortalLink', { organizationId: s.acme.id, intent: 'LOG_STREAMS' }, 'AdminPortalLinkPayload');
    await expectForbidden(auditor, 'generateAdminPortalLink', { organizationId: s.acme.id, intent: 'SSO' });
    await expectAllowed(auditor, 'createWidgetToken', { organizationId: s.acme.id, scopes: ['AUDIT_LOG_STREAMING_MANAGE'] }, 'WidgetTokenPayload');
    await expectForbidden(auditor, 'createWidgetToken', { organizationId: s.acme.id, scopes: ['AUDIT_LOG_STREAMING_MANAGE', 'USERS_TABLE_MANAGE'] });
    const usersManager = await tokenFor(stack, s.bob.id, { organizationId: s.acme.id, role: 'member', permissions: ['users:manage'] });
    await expectAllowed(usersManager, 'sendInvitation', { organizationId: s.acme.id, email: 'via-permission@example.test' }, 'InvitationPayload');
  });

  it('a service may do each of them', async () => {
    await expectAllowed(stack.serviceToken, 'generateAdminPortalLink', { organizationId: s.globex.id, intent: 'SSO' }, 'AdminPortalLinkPayload');
    await expectAllowed(stack.serviceToken, 'createWidgetToken', { organizationId: s.globex.id, scopes: ['DSYNC_MANAGE'] }, 'WidgetTokenPayload');
    await expectAllowed(stack.serviceToken, 'updateAuditLogRetention', { organizationId: s.globex.id, retentionPeriodInDays: 30 }, 'AuditLogRetentionPayload');
    await expectAllowed(stack.serviceToken, 'sendInvitation', { organizationId: s.globex.id, email: 'by-service@example.test' }, 'InvitationPayload');
  });
});
