import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeleteAuthFactorDocument, EnrollTotpFactorDocument, RevokeSessionDocument, SecurityPageDocument } from '@workos-graphql-gateway/client/documents';
import { codes, seeded, send, startWarmStack, tokenFor, results } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/** The security page: sessions (list, revoke, sign out), MFA factors (list, enroll, delete), impersonation. */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const store = () => stack.emulator.store;

async function signInBob(): Promise<{ accessToken: string; refreshToken: string }> {
  const { body } = await send(
    stack,
    null,
    'mutation { signInWithPassword(input: { email: "bob@acme.test", password: "Password123!" }) { ... on AuthenticationPayload { accessToken refreshToken } } }',
  );
  return body.data?.signInWithPassword as { accessToken: string; refreshToken: string };
}

const refresh = async (refreshToken: string) =>
  ((await send(stack, null, 'mutation($t: String!) { refreshSession(input: { refreshToken: $t }) { __typename } }', { t: refreshToken })).body.data
    ?.refreshSession as { __typename: string }).__typename;

describe('sessions', () => {
  it('the viewer’s sessions, this one marked current, with a sign-out URL; one call for the list', async () => {
    const { accessToken } = await signInBob();
    stack.resetCalls();
    const page = await stack.clientAs(accessToken).request(SecurityPageDocument, { returnTo: 'https://app.example.test/bye' });
    const sessions = page.viewer.sessions!.edges.map((e) => e.node);
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const current = sessions.filter((x) => x.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ status: 'ACTIVE', authMethod: 'password' });
    expect(page.viewer.signOutUrl).toContain(`session_id=${current[0].id}`);
    expect(page.viewer.signOutUrl).toContain(encodeURIComponent('https://app.example.test/bye'));
    expect(page.viewer.impersonator).toBeNull();
    expect(stack.calls()['GET /user_management/users/:id/sessions']).toBe(1);
  });

  it('revoking one of his sessions ends its refresh token; the current one keeps working', async () => {
    const first = await signInBob();
    const second = await signInBob();
    const sid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
    const revoked = await stack.clientAs(second.accessToken).request(RevokeSessionDocument, { sessionId: sid(first.accessToken) });
    expect(revoked.revokeSession).toEqual({ __typename: 'RevokeSessionPayload', sessionId: sid(first.accessToken) });
    expect(store().sessions.get(sid(first.accessToken))?.status).toBe('revoked');
    expect(await refresh(first.refreshToken)).toBe('InvalidCredentialsError');
    expect(await refresh(second.refreshToken)).toBe('AuthenticationPayload');
  });

  it('following the sign-out URL ends the session at WorkOS', async () => {
    const { accessToken, refreshToken } = await signInBob();
    const { body } = await send(stack, accessToken, '{ viewer { signOutUrl(returnTo: "https://app.example.test/") } }');
    const url = (body.data?.viewer as { signOutUrl: string }).signOutUrl;
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.test/');
    expect(await refresh(refreshToken)).toBe('InvalidCredentialsError');
  });

  it('a service lists anyone’s sessions; its own viewer has none', async () => {
    const { body } = await send(stack, stack.serviceToken, `{ viewer { sessions { edges { node { id } } } signOutUrl } user(id: "${s.carol.id}") { sessions(order: ASC) { edges { node { id authMethod } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer).toEqual({ sessions: null, signOutUrl: null });
    const carolSessions = [...store().sessions.values()].filter((x) => x.user_id === s.carol.id).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect((body.data?.user as { sessions: { edges: { node: { id: string } }[] } }).sessions.edges.map((e) => e.node.id)).toEqual(carolSessions.map((x) => x.id));
  });

  it('an impersonated session shows its impersonator', async () => {
    const token = await tokenFor(stack, s.bob.id, { extraClaims: { act: { sub: 'support@example.test' } } });
    const { body } = await send(stack, token, '{ viewer { impersonator { email reason } } }');
    expect(body.data?.viewer).toEqual({ impersonator: { email: 'support@example.test', reason: null } });
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('MFA factors', () => {
  it('lists hers without secrets, enrolls an authenticator app (its secret once), deletes it', async () => {
    const erin = await tokenFor(stack, s.erin.id);
    const before = await stack.clientAs(erin).request(SecurityPageDocument, {});
    const factors = before.viewer.user!.authFactors!.edges.map((e) => e.node);
    expect(factors).toEqual([expect.objectContaining({ type: 'totp', totpIssuer: 'WorkOS' })]);
    expect(JSON.stringify(before)).not.toContain('JBSWY3DPEHPK3PXP');

    stack.resetCalls();
    const enrolled = await stack.clientAs(erin).request(EnrollTotpFactorDocument, { issuer: 'Acme App' });
    expect(enrolled.enrollTotpFactor.__typename).toBe('EnrollTotpFactorPayload');
    const payload = enrolled.enrollTotpFactor.__typename === 'EnrollTotpFactorPayload' ? enrolled.enrollTotpFactor : undefined;
    expect(payload?.secret).toMatch(/^[A-Z2-7]+$/);
    expect(payload?.qrCode).toMatch(/^data:/);
    expect(stack.calls()).toEqual({ 'POST /user_management/users/:id/auth_factors': 1 });

    const after = await stack.clientAs(erin).request(SecurityPageDocument, {});
    expect(after.viewer.user!.authFactors!.edges).toHaveLength(2);
    const deleted = await stack.clientAs(erin).request(DeleteAuthFactorDocument, { id: payload!.authenticationFactor.id });
    expect(deleted.deleteAuthFactor).toEqual({ __typename: 'DeletePayload', deletedId: payload!.authenticationFactor.id });
    expect(store().auth.authFactors.has(payload!.authenticationFactor.id)).toBe(false);
  });

  it('a malformed factor or session id is refused before WorkOS', async () => {
    const erin = await tokenFor(stack, s.erin.id);
    stack.resetCalls();
    for (const mutation of ['deleteAuthFactor(input: { id: "factor-1" })', 'revokeSession(input: { sessionId: "s1" })']) {
      const { body } = await send(stack, erin, `mutation { ${mutation} { __typename } }`);
      // Refused input is a typed ValidationError, like every mutation's expected failure.
      expect(codes(body)).toEqual([]);
      expect(results(body)).toEqual(['ValidationError']);
    }
    expect(stack.totalCalls()).toBe(0);
  });
});
