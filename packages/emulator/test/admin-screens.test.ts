import { createHash, randomBytes } from 'node:crypto';
import {
  AuthenticationException,
  ConflictException,
  NotFoundException,
  OauthException,
  UnprocessableEntityException,
  type WorkOS,
} from '@workos-inc/node';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api, caught, sdkFor } from './helpers.ts';
import { createSpecCheckedFetch } from './spec-validator.ts';

/**
 * The endpoints behind an organization's admin screens and the rest of sign-in, through the real
 * SDK; every JSON body is checked against the OpenAPI spec on the way (see spec-validator.ts).
 */

const PASSWORD = 'Password123!';
let em: EmulatorHandle;
let workos: WorkOS;
const spec = createSpecCheckedFetch();

const org = (name: string) => [...em.store.organizations.values()].find((o) => o.name === name)!;
const user = (email: string) => [...em.store.users.values()].find((u) => u.email === email)!;

beforeAll(async () => {
  em = await startEmulator({ rateLimits: false });
  workos = sdkFor(em, { fetchFn: spec.fetchFn });
});

afterAll(async () => {
  await em?.close();
});


describe('invitations', () => {
  it('sends one with a token and an expiry, keeps the email, lists and finds it by id and token', async () => {
    const acme = org('Acme Corp');
    const invitation = await workos.userManagement.sendInvitation({
      email: 'Newcomer@Example.test',
      organizationId: acme.id,
      roleSlug: 'billing-admin',
      expiresInDays: 3,
      inviterUserId: user('alice@acme.test').id,
    });
    expect(invitation).toMatchObject({ email: 'newcomer@example.test', state: 'pending', organizationId: acme.id, roleSlug: 'billing-admin', acceptedAt: null });
    expect(invitation.id).toMatch(/^invitation_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(3 * 24 * 3600_000);
    expect(invitation.acceptInvitationUrl).toContain(invitation.token);

    const email = em.store.emails.at(-1)!;
    expect(email).toMatchObject({ to: 'newcomer@example.test', kind: 'invitation', invitation_id: invitation.id, token: invitation.token, url: invitation.acceptInvitationUrl });

    const listed = await workos.userManagement.listInvitations({ organizationId: acme.id, limit: 100 });
    expect(listed.data.map((i) => i.id)).toContain(invitation.id);
    expect((await workos.userManagement.getInvitation(invitation.id)).email).toBe('newcomer@example.test');
    expect((await workos.userManagement.findInvitationByToken(invitation.token)).id).toBe(invitation.id);
    expect(await caught(workos.userManagement.findInvitationByToken('nope'))).toBeInstanceOf(NotFoundException);
  });

  it('refuses duplicates, members, bad roles and expiries with WorkOS’ 400 codes', async () => {
    const acme = org('Acme Corp');
    const codeOf = async (p: Promise<unknown>) => ((await caught(p)) as { code?: string }).code;
    expect(await codeOf(workos.userManagement.sendInvitation({ email: 'new.hire@acme.test', organizationId: acme.id }))).toBe('email_already_invited_to_organization');
    expect(await codeOf(workos.userManagement.sendInvitation({ email: 'bob@acme.test', organizationId: acme.id }))).toBe('user_already_organization_member');
    expect(await codeOf(workos.userManagement.sendInvitation({ email: 'x@acme.test', organizationId: acme.id, roleSlug: 'auditor' }))).toBe('invalid_role');
    expect(await codeOf(workos.userManagement.sendInvitation({ email: 'x@acme.test', organizationId: acme.id, expiresInDays: 31 }))).toBe('expires_in_days_too_long');
    expect(await codeOf(workos.userManagement.sendInvitation({ email: 'x@acme.test', organizationId: acme.id, expiresInDays: 0 }))).toBe('expires_in_days_too_short');
    expect(await caught(workos.userManagement.sendInvitation({ email: 'not-an-email' }))).toBeInstanceOf(UnprocessableEntityException);
    expect(await caught(workos.userManagement.sendInvitation({ email: 'x@acme.test', organizationId: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ' }))).toBeInstanceOf(NotFoundException);
  });

  it('an existing user becomes a pending member; accepting activates the membership with the role', async () => {
    const initech = org('Initech');
    const carol = user('carol@globex.test');
    const invitation = await workos.userManagement.sendInvitation({ email: carol.email, organizationId: initech.id, roleSlug: 'admin' });
    const pending = () => [...em.store.memberships.values()].find((m) => m.user_id === carol.id && m.organization_id === initech.id);
    expect(pending()).toMatchObject({ status: 'pending', role: { slug: 'admin' } });
    const accepted = await workos.userManagement.acceptInvitation(invitation.id);
    expect(accepted).toMatchObject({ state: 'accepted', acceptedUserId: carol.id });
    expect(accepted.acceptedAt).not.toBeNull();
    expect(pending()).toMatchObject({ status: 'active', role: { slug: 'admin' } });
    const again = await caught(workos.userManagement.acceptInvitation(invitation.id));
    expect(again).toMatchObject({ status: 400, code: 'invite_not_pending' });
    expect(em.store.events.filter((e) => e.data.id === invitation.id).map((e) => e.event)).toEqual(['invitation.created', 'invitation.accepted']);
    expect(em.store.events.some((e) => JSON.stringify(e.data).includes(invitation.token))).toBe(false);
  });

  it('resends pending ones (another email), revokes them (the pending membership goes), and refuses both afterwards', async () => {
    const hooli = org('Hooli');
    const dave = user('dave@acme.test');
    const invitation = await workos.userManagement.sendInvitation({ email: dave.email, organizationId: hooli.id });
    const emails = () => em.store.emails.filter((e) => e.invitation_id === invitation.id).length;
    expect(emails()).toBe(1);
    await workos.userManagement.resendInvitation(invitation.id);
    expect(emails()).toBe(2);
    const revoked = await workos.userManagement.revokeInvitation(invitation.id);
    expect(revoked).toMatchObject({ state: 'revoked' });
    expect([...em.store.memberships.values()].some((m) => m.user_id === dave.id && m.organization_id === hooli.id)).toBe(false);
    expect(await caught(workos.userManagement.revokeInvitation(invitation.id))).toMatchObject({ status: 400, code: 'invite_not_pending' });
    expect(await caught(workos.userManagement.resendInvitation(invitation.id))).toMatchObject({ status: 400, code: 'invite_revoked' });
  });

  it('a pending invitation past its expiry reads as expired and cannot be resent or accepted', async () => {
    const late = [...em.store.invitations.values()].find((i) => i.email === 'late.reply@acme.test')!;
    expect((await workos.userManagement.getInvitation(late.id)).state).toBe('expired');
    expect(await caught(workos.userManagement.resendInvitation(late.id))).toMatchObject({ code: 'invite_expired' });
    expect(await caught(workos.userManagement.acceptInvitation(late.id))).toMatchObject({ code: 'invite_not_pending' });
  });
});

describe('roles', () => {
  it('an organization has the environment’s roles, then its own, with names and permissions', async () => {
    const acme = await workos.authorization.listOrganizationRoles(org('Acme Corp').id);
    expect(acme.data.map((r) => [r.slug, r.type])).toEqual([
      ['admin', 'EnvironmentRole'],
      ['member', 'EnvironmentRole'],
      ['billing-admin', 'OrganizationRole'],
      ['viewer', 'OrganizationRole'],
    ]);
    expect(acme.data[0]).toMatchObject({ name: 'Admin', permissions: ['organizations:manage', 'users:manage', 'audit_logs:manage'] });
    const env = await workos.authorization.listEnvironmentRoles();
    expect(env.data.map((r) => r.slug)).toEqual(['admin', 'member']);
    expect(await caught(workos.authorization.listOrganizationRoles('org_01ZZZZZZZZZZZZZZZZZZZZZZZZ'))).toBeInstanceOf(NotFoundException);
  });

  it('memberships take an organization’s own roles, not another’s', async () => {
    const acme = org('Acme Corp');
    const bob = user('bob@acme.test');
    const m = [...em.store.memberships.values()].find((x) => x.user_id === bob.id && x.organization_id === acme.id)!;
    const updated = await workos.userManagement.updateOrganizationMembership(m.id, { roleSlug: 'viewer' });
    expect(updated.role).toEqual({ slug: 'viewer' });
    expect(await caught(workos.userManagement.updateOrganizationMembership(m.id, { roleSlug: 'auditor' }))).toBeInstanceOf(UnprocessableEntityException);
    await workos.userManagement.updateOrganizationMembership(m.id, { roleSlug: 'member' });
  });
});

describe('organization domains', () => {
  it('adds a pending domain with a DNS token; verify fails without the TXT record and succeeds with it', async () => {
    const globex = org('Globex Corporation');
    const domain = await workos.organizationDomains.createOrganizationDomain({ organizationId: globex.id, domain: 'globex-eu.test' });
    expect(domain).toMatchObject({ organizationId: globex.id, domain: 'globex-eu.test', state: 'pending', verificationStrategy: 'dns' });
    expect(domain.verificationToken).toEqual(expect.any(String));
    expect((await workos.organizations.getOrganization(globex.id)).domains.map((d) => d.domain)).toContain('globex-eu.test');

    expect((await workos.organizationDomains.verifyOrganizationDomain(domain.id)).state).toBe('failed');
    em.dns.publishTxtRecord(`${domain.verificationPrefix}.${domain.domain}`, domain.verificationToken!);
    expect((await workos.organizationDomains.verifyOrganizationDomain(domain.id)).state).toBe('verified');
    expect(await caught(workos.organizationDomains.verifyOrganizationDomain(domain.id))).toMatchObject({ status: 400, code: 'domain_already_verified' });
    expect(em.store.events.filter((e) => e.data.id === domain.id).map((e) => e.event)).toEqual([
      'organization_domain.created',
      'organization_domain.verification_failed',
      'organization_domain.verified',
    ]);

    await workos.organizationDomains.deleteOrganizationDomain(domain.id);
    expect(await caught(workos.organizationDomains.getOrganizationDomain(domain.id))).toBeInstanceOf(NotFoundException);
    expect((await workos.organizations.getOrganization(globex.id)).domains.map((d) => d.domain)).not.toContain('globex-eu.test');
  });

  it('refuses a domain another organization has (409) and a malformed one (422)', async () => {
    expect(await caught(workos.organizationDomains.createOrganizationDomain({ organizationId: org('Hooli').id, domain: 'acme.test' }))).toBeInstanceOf(ConflictException);
    expect(await caught(workos.organizationDomains.createOrganizationDomain({ organizationId: org('Hooli').id, domain: 'not a domain' }))).toBeInstanceOf(UnprocessableEntityException);
  });

  it('the DNS test control works over HTTP too', async () => {
    const seeded = org('Hooli').domains.find((d) => d.domain === 'hooli-labs.test')!;
    const put = await fetch(`${em.url}/_emulator/dns/${seeded.verification_prefix}.${seeded.domain}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: seeded.verification_token }),
    });
    expect(put.status).toBe(200);
    expect((await workos.organizationDomains.verifyOrganizationDomain(seeded.id)).state).toBe('verified');
  });
});

describe('Admin Portal links and widget tokens', () => {
  it('generates a link that opens the (emulated) portal page for the intent', async () => {
    const { link } = await workos.adminPortal.generateLink({ organization: org('Acme Corp').id, intent: 'sso', returnUrl: 'https://app.example.test/settings' });
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme Corp');
    expect(await caught(workos.adminPortal.generateLink({ organization: org('Acme Corp').id, intent: 'nope' as never }))).toBeInstanceOf(UnprocessableEntityException);
    expect(await caught(workos.adminPortal.generateLink({ organization: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ', intent: 'sso' }))).toBeInstanceOf(NotFoundException);
  });

  it('creates a widget token for a user in an organization', async () => {
    const { token } = await workos.widgets.createToken({ organizationId: org('Acme Corp').id, userId: user('alice@acme.test').id, scopes: ['widgets:users-table:manage'] });
    expect(em.store.widgetTokens.get(token)).toMatchObject({ organization_id: org('Acme Corp').id, scopes: ['widgets:users-table:manage'] });
    expect(await caught(workos.widgets.createToken({ organizationId: org('Acme Corp').id, scopes: ['widgets:everything' as never] }))).toBeInstanceOf(UnprocessableEntityException);
  });
});

describe('sessions', () => {
  it('every sign-in opens a session; revoking it stops its refresh token', async () => {
    const bob = user('bob@acme.test');
    const auth = await workos.userManagement.authenticateWithPassword({ email: bob.email, password: PASSWORD, ipAddress: '203.0.113.5', userAgent: 'TestBrowser/1' });
    const sessions = await workos.userManagement.listSessions(bob.id);
    const mine = sessions.data.find((s) => s.ipAddress === '203.0.113.5')!;
    expect(mine).toMatchObject({ userId: bob.id, status: 'active', authMethod: 'password', userAgent: 'TestBrowser/1', organizationId: org('Acme Corp').id });
    await workos.userManagement.revokeSession({ sessionId: mine.id });
    expect((await workos.userManagement.listSessions(bob.id)).data.find((s) => s.id === mine.id)!.status).toBe('revoked');
    expect(await caught(workos.userManagement.authenticateWithRefreshToken({ refreshToken: auth.refreshToken }))).toBeInstanceOf(OauthException);
  });

  it('the sign-out URL ends the session and redirects to return_to', async () => {
    const bob = user('bob@acme.test');
    await workos.userManagement.authenticateWithPassword({ email: bob.email, password: PASSWORD });
    const latest = (await workos.userManagement.listSessions(bob.id)).data[0];
    const url = workos.userManagement.getLogoutUrl({ sessionId: latest.id, returnTo: 'https://app.example.test/bye' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.test/bye');
    expect(em.store.sessions.get(latest.id)!.status).toBe('revoked');
  });
});

describe('authentication factors', () => {
  it('lists without secrets, gets and deletes', async () => {
    const erin = user('erin@acme.test');
    const listed = await workos.multiFactorAuth.listUserAuthFactors({ userId: erin.id });
    expect(listed.data).toHaveLength(1);
    expect(JSON.stringify(listed.data)).not.toContain('JBSWY3DPEHPK3PXP');
    const { authenticationFactor } = await workos.multiFactorAuth.createUserAuthFactor({ userId: erin.id, type: 'totp' });
    expect((await workos.multiFactorAuth.getFactor(authenticationFactor.id)).type).toBe('totp');
    await workos.multiFactorAuth.deleteFactor(authenticationFactor.id);
    expect(await caught(workos.multiFactorAuth.getFactor(authenticationFactor.id))).toBeInstanceOf(NotFoundException);
    expect((await workos.multiFactorAuth.listUserAuthFactors({ userId: erin.id })).data).toHaveLength(1);
  });
});

describe('hosted sign-in with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const follow = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  };

  it('redirects with a code bound to the challenge; the exchange needs the verifier', async () => {
    const url = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      redirectUri: 'https://app.example.test/callback',
      state: 'st-1',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: 'bob@acme.test',
    });
    const back = await follow(url);
    expect(back.origin + back.pathname).toBe('https://app.example.test/callback');
    expect(back.searchParams.get('state')).toBe('st-1');
    const wrong = await caught(workos.userManagement.authenticateWithCode({ code: back.searchParams.get('code')!, codeVerifier: 'x'.repeat(43) }));
    expect(wrong).toMatchObject({ error: 'invalid_grant' });

    const again = await follow(url);
    const session = await workos.userManagement.authenticateWithCode({ code: again.searchParams.get('code')!, codeVerifier: verifier });
    expect(session).toMatchObject({ user: { email: 'bob@acme.test' }, organizationId: org('Acme Corp').id });
  });

  it('an organization or connection decides the session’s organization; a stranger is sent back with access_denied', async () => {
    const acme = org('Acme Corp');
    const globex = org('Globex Corporation');
    const connection = [...em.store.connections.values()].find((c) => c.organization_id === globex.id && c.state === 'active')!;
    const viaConnection = await follow(workos.userManagement.getAuthorizationUrl({ connectionId: connection.id, redirectUri: 'https://app.example.test/cb', loginHint: 'alice@acme.test' }));
    const session = await workos.userManagement.authenticateWithCode({ code: viaConnection.searchParams.get('code')! });
    expect(session).toMatchObject({ organizationId: globex.id, authenticationMethod: 'SSO' });
    const stranger = await follow(workos.userManagement.getAuthorizationUrl({ organizationId: acme.id, redirectUri: 'https://app.example.test/cb', loginHint: 'frank@initech.test' }));
    expect(stranger.searchParams.get('error')).toBe('access_denied');
  });

  it('without login_hint it shows a page to pick a demo user; a broken client id is refused', async () => {
    const page = await fetch(workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: 'https://app.example.test/cb' }));
    expect(await page.text()).toContain('alice@acme.test');
    const bad = await fetch(`${em.url}/user_management/authorize?client_id=client_nope&redirect_uri=https://x.test&response_type=code&provider=authkit`);
    expect(bad.status).toBe(422);
  });
});

describe('organization sign-in rules', () => {
  it('SSO required: password sign-in answers sso_required with the organization’s active connections', async () => {
    const err = (await caught(workos.userManagement.authenticateWithPassword({ email: 'frank@initech.test', password: PASSWORD }))) as unknown as AuthenticationException;
    expect(err).toBeInstanceOf(AuthenticationException);
    expect(err.code).toBe('sso_required');
    const initech = org('Initech');
    const active = [...em.store.connections.values()].filter((c) => c.organization_id === initech.id && c.state === 'active').map((c) => c.id);
    expect((err.rawData as { connection_ids: string[] }).connection_ids).toEqual(active);
  });

  it('MFA required: a user without a factor enrolls one, then finishes with TOTP', async () => {
    const grace = user('grace@umbrella.test');
    const err = (await caught(workos.userManagement.authenticateWithPassword({ email: grace.email, password: PASSWORD }))) as unknown as AuthenticationException;
    expect(err).toMatchObject({ status: 403, code: 'mfa_enrollment' });
    const { authenticationFactor, authenticationChallenge } = await workos.multiFactorAuth.createUserAuthFactor({ userId: grace.id, type: 'totp' });
    const code = new TOTP({ secret: Secret.fromBase32(authenticationFactor.totp.secret) }).generate();
    const session = await workos.userManagement.authenticateWithTotp({
      code,
      pendingAuthenticationToken: err.pendingAuthenticationToken!,
      authenticationChallengeId: authenticationChallenge.id,
    });
    expect(session.user.id).toBe(grace.id);
    // Enrolled now: the next sign-in asks for the challenge instead.
    expect(await caught(workos.userManagement.authenticateWithPassword({ email: grace.email, password: PASSWORD }))).toMatchObject({ code: 'mfa_challenge' });
  });
});

describe('audit log actions and retention', () => {
  it('lists actions with their latest schema, and every version of one', async () => {
    const { data } = await workos.get<{ data: { name: string; schema: { version: number } }[]; list_metadata: { after: string | null } }>('/audit_logs/actions', { query: { limit: 100, order: 'asc' } });
    expect(data.data.map((a) => a.name)).toEqual(['document.updated', 'user.invited', 'user.signed_in']);
    expect(data.data[0].schema.version).toBe(2);
    const schemas = await workos.auditLogs.listSchemas('document.updated', { limit: 100, order: 'asc' });
    expect(schemas.data.map((s) => s.version)).toEqual([1, 2]);
    expect(await caught(workos.auditLogs.listSchemas('nothing.here'))).toBeInstanceOf(NotFoundException);
  });

  it('pages actions by name', async () => {
    const first = await api(em, 'GET', '/audit_logs/actions?limit=2&order=asc');
    const page = first.body as { data: { name: string }[]; list_metadata: { after: string } };
    expect(page.data.map((a) => a.name)).toEqual(['document.updated', 'user.invited']);
    const next = await api(em, 'GET', `/audit_logs/actions?limit=2&order=asc&after=${page.list_metadata.after}`);
    expect((next.body as { data: { name: string }[] }).data.map((a) => a.name)).toEqual(['user.signed_in']);
  });

  it('creates a schema version', async () => {
    const schema = await workos.auditLogs.createSchema({ action: 'report.exported', targets: [{ type: 'report' }] });
    expect(schema.version).toBe(1);
  });

  it('reads and sets an organization’s retention (spec days, and the SDK’s period names)', async () => {
    const acme = org('Acme Corp');
    expect(await workos.auditLogs.getOrganizationAuditLogsRetention({ id: acme.id })).toEqual({ retentionPeriodInDays: 365 });
    const { data } = await workos.put<{ retention_period_in_days: number }>(`/organizations/${acme.id}/audit_logs_retention`, { retention_period_in_days: 30 });
    expect(data.retention_period_in_days).toBe(30);
    expect(await workos.auditLogs.updateOrganizationAuditLogsRetention({ id: acme.id, retentionPeriod: '1_YEAR' })).toEqual({ retentionPeriodInDays: 365 });
    const bad = await caught(workos.put(`/organizations/${acme.id}/audit_logs_retention`, { retention_period_in_days: 7 }));
    expect(bad).toBeInstanceOf(UnprocessableEntityException);
    expect(await caught(workos.auditLogs.getOrganizationAuditLogsRetention({ id: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ' }))).toBeInstanceOf(NotFoundException);
  });
});

describe('wire format', () => {
  // Runs last (vitest keeps file order): every body the suite received matched the spec.
  it('every JSON body above matched the OpenAPI spec', () => {
    expect(spec.checked()).toBeGreaterThan(50);
    // The spec declares no body for a malformed domain; everything else it answered is documented.
    expect(spec.undocumented).toEqual([expect.stringContaining('POST /organization_domains -> 422')]);
    expect(spec.failures).toEqual([]);
  });
});
