import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { codes, seeded, tokenFor } from '../kit/callers.ts';
import { COOKIE_ENV, COOKIE_PASSWORD, postAsBrowser, sealSession, SELECT_ORGANIZATION, SIGN_IN, signInCookie, unsealSession } from '../kit/cookies.ts';
import { bearer, post } from '../kit/http.ts';
import { startStack, type Stack } from '../kit/stack.ts';

/**
 * Browser sessions in the HttpOnly `wos-session` cookie (GATEWAY_COOKIE_SESSIONS): sign-in
 * sets it and returns no token, the cookie alone (with the CSRF header) signs requests in, an
 * expired access token is refreshed through WorkOS once for all the requests that carry it,
 * and signOut revokes the session and clears the cookie.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startStack({ env: COOKIE_ENV });
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.resetCalls();
});

const VIEWER = '{ viewer { kind sessionId user { email } } }';
const authenticateCalls = () => stack.calls()['POST /user_management/authenticate'] ?? 0;

/** The cookie's session with its access token swapped for an expired one of the same session. */
async function expiredCopyOf(cookie: string): Promise<string> {
  const session = await unsealSession(cookie);
  const { sub, sid, org_id } = decodeJwt(session.accessToken);
  const expired = await stack.emulator.issueAccessToken({ userId: String(sub), sessionId: String(sid), organizationId: org_id ? String(org_id) : null, ttlSeconds: -60 });
  return sealSession({ ...session, accessToken: expired });
}

/**
 * A sign-in's answer as a browser sees it: the session cookie's attributes, no tokens in the
 * body, and tokens inside the sealed cookie only. Returns the cookie's session.
 */
async function expectSessionCookie(response: Awaited<ReturnType<typeof postAsBrowser>>, field: string, email: string, userId: string) {
  expect(response.status).toBe(200);
  expect(response.body.data?.[field]).toEqual({
    __typename: 'AuthenticationPayload',
    cookieSession: true,
    accessToken: null,
    refreshToken: null,
    organizationId: s.acme.id,
    user: { email },
  });
  expect(response.attributes).toMatchObject({ name: 'wos-session', httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  expect(response.attributes?.maxAge).toBe(400 * 24 * 3600);
  expect(response.headers.get('cache-control')).toBe('no-store');

  // The tokens are inside the sealed cookie, and nowhere in what a script could read.
  const session = await unsealSession(response.session!);
  expect(decodeJwt(session.accessToken).sub).toBe(userId);
  expect(stack.emulator.store.auth.refreshTokens.has(session.refreshToken)).toBe(true);
  const text = JSON.stringify(response.body);
  expect(text).not.toContain(session.accessToken);
  expect(text).not.toContain(session.refreshToken);
  expect(response.session).not.toContain(session.refreshToken);
  return session;
}

describe('signing in', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax wos-session cookie and returns no token', async () => {
    const response = await postAsBrowser(stack.url, SIGN_IN, { variables: { email: 'bob@acme.test', password: 'Password123!' } });
    await expectSessionCookie(response, 'signInWithPassword', 'bob@acme.test', s.bob.id);
  });

  it('a member of several organizations gets no cookie until she chooses one; signInWithOrganizationSelection sets it', async () => {
    const pending = await postAsBrowser(stack.url, SIGN_IN, { variables: { email: 'alice@acme.test', password: 'Password123!' } });
    const selection = pending.body.data?.signInWithPassword as { __typename: string; pendingAuthenticationToken: string; organizations: { id: string; name: string }[] };
    expect(selection.__typename).toBe('OrganizationSelectionRequiredError');
    expect(selection.organizations.map((o) => o.id)).toContain(s.acme.id);
    expect(pending.setCookies).toEqual([]);

    const response = await postAsBrowser(stack.url, SELECT_ORGANIZATION, { variables: { token: selection.pendingAuthenticationToken, org: s.acme.id } });
    const session = await expectSessionCookie(response, 'signInWithOrganizationSelection', 'alice@acme.test', s.alice.id);
    expect(decodeJwt(session.accessToken).org_id).toBe(s.acme.id);
    const viewer = await postAsBrowser(stack.url, VIEWER, { cookie: response.session });
    expect(viewer.body.data?.viewer).toMatchObject({ kind: 'USER', user: { email: 'alice@acme.test' } });
  });

  it('signInWithCode after a hosted AuthKit redirect sets the cookie too', async () => {
    const code = stack.emulator.createAuthorizationCode({ userId: s.bob.id, organizationId: s.acme.id });
    const response = await postAsBrowser(
      stack.url,
      'mutation ($code: String!) { signInWithCode(input: { code: $code }) { __typename ... on AuthenticationPayload { cookieSession accessToken refreshToken user { email } } } }',
      { variables: { code } },
    );
    expect(response.body.data?.signInWithCode).toEqual({ __typename: 'AuthenticationPayload', cookieSession: true, accessToken: null, refreshToken: null, user: { email: 'bob@acme.test' } });
    const viewer = await postAsBrowser(stack.url, VIEWER, { cookie: response.session });
    expect(viewer.body.data?.viewer).toMatchObject({ kind: 'USER', user: { email: 'bob@acme.test' } });
  });

  it('a failed sign-in sets no cookie', async () => {
    const response = await postAsBrowser(stack.url, SIGN_IN, { variables: { email: 'alice@acme.test', password: 'not-the-password' } });
    expect(response.body.data?.signInWithPassword).toMatchObject({ __typename: 'InvalidCredentialsError' });
    expect(response.setCookies).toEqual([]);
  });
});

describe('the cookie signs requests in', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signInCookie(stack.url, 'bob@acme.test');
  });

  it('with the CSRF header, the cookie alone is the caller, and no new cookie is set', async () => {
    const response = await postAsBrowser(stack.url, VIEWER, { cookie });
    expect(response.status).toBe(200);
    expect(response.body.data?.viewer).toMatchObject({ kind: 'USER', user: { email: 'bob@acme.test' } });
    expect(response.setCookies).toEqual([]);
    // Bob's user comes from the sealed session's token; the only call is the user read.
    expect(stack.calls()).toEqual({ 'GET /user_management/users/:id': 1 });
  });

  it.each([
    ['JSON', 'application/json'],
    ['a form post', 'application/x-www-form-urlencoded'],
  ])('without the CSRF header (%s) it is refused with 403 and costs no upstream call', async (_what, contentType) => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': contentType, cookie: `wos-session=${cookie}` },
      body: contentType === 'application/json' ? JSON.stringify({ query: VIEWER }) : `query=${encodeURIComponent(VIEWER)}`,
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toContain('x-graphql-yoga-csrf');
    expect(stack.totalCalls()).toBe(0);
  });

  it('a GET with the cookie needs the header too', async () => {
    const url = `${stack.url}?query=${encodeURIComponent(VIEWER)}`;
    const refused = await fetch(url, { headers: { cookie: `wos-session=${cookie}` } });
    expect(refused.status).toBe(403);
    const allowed = await fetch(url, { headers: { cookie: `wos-session=${cookie}`, 'x-graphql-yoga-csrf': '1' } });
    expect(allowed.status).toBe(200);
  });

  it('a bearer token wins over the cookie and needs no CSRF header', async () => {
    const token = await tokenFor(stack, s.carol.id);
    const response = await postAsBrowser(stack.url, VIEWER, { cookie, csrf: false, headers: bearer(token) });
    expect(response.body.data?.viewer).toMatchObject({ user: { email: 'carol@globex.test' } });
  });

  it.each([
    ['garbage', async () => 'not-a-seal'],
    ['sealed with another password', async () => sealSession(await unsealSession(cookie), 'another-password-that-is-32-chars-long!!')],
    ['a seal of something else', async () => sealSession({ hello: 'world' } as never)],
  ])('a cookie that is %s is refused with 401 and cleared, at no upstream cost', async (_what, make) => {
    const response = await postAsBrowser(stack.url, VIEWER, { cookie: await make() });
    expect(response.status).toBe(401);
    expect(codes(response.body)).toEqual(['UNAUTHENTICATED']);
    expect(response.session).toBe('');
    expect(response.attributes?.maxAge).toBe(0);
    expect(stack.totalCalls()).toBe(0);
  });

  it('with no cookie the request is anonymous (UNAUTHENTICATED for data)', async () => {
    const response = await postAsBrowser(stack.url, VIEWER);
    expect(response.status).toBe(401);
    expect(codes(response.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refresh', () => {
  it('an expired access token is refreshed through WorkOS: new cookie, rotated refresh token, one call', async () => {
    const cookie = await signInCookie(stack.url, 'bob@acme.test');
    const before = await unsealSession(cookie);
    const expired = await expiredCopyOf(cookie);
    stack.resetCalls();

    const response = await postAsBrowser(stack.url, VIEWER, { cookie: expired });
    expect(response.status).toBe(200);
    expect(response.body.data?.viewer).toMatchObject({ user: { email: 'bob@acme.test' }, sessionId: decodeJwt(before.accessToken).sid });
    expect(authenticateCalls()).toBe(1);

    const after = await unsealSession(response.session!);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(decodeJwt(after.accessToken).exp! * 1000).toBeGreaterThan(Date.now());
    expect(after.user.email).toBe('bob@acme.test');
    expect(stack.emulator.store.auth.refreshTokens.has(before.refreshToken)).toBe(false);
    expect(stack.emulator.store.auth.refreshTokens.has(after.refreshToken)).toBe(true);
    expect(response.attributes).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax' });
  });

  it('requests that arrive together with the same expired cookie share one refresh and its cookie', async () => {
    const expired = await expiredCopyOf(await signInCookie(stack.url, 'carol@globex.test'));
    stack.resetCalls();
    const responses = await Promise.all(Array.from({ length: 6 }, () => postAsBrowser(stack.url, VIEWER, { cookie: expired })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(authenticateCalls()).toBe(1);
    expect(new Set(responses.map((r) => r.session)).size).toBe(1);
    expect(responses[0].session).toBeTruthy();
  });

  it('a refresh token WorkOS refuses ends the session: 401 and the cookie is cleared', async () => {
    const cookie = await signInCookie(stack.url, 'bob@acme.test');
    const session = await unsealSession(cookie);
    stack.emulator.store.auth.refreshTokens.delete(session.refreshToken);
    const response = await postAsBrowser(stack.url, VIEWER, { cookie: await expiredCopyOf(cookie) });
    expect(response.status).toBe(401);
    expect(codes(response.body)).toEqual(['UNAUTHENTICATED']);
    expect(response.session).toBe('');
  });

  it('while WorkOS is unreachable the cookie stays, and the next request refreshes', async () => {
    const expired = await expiredCopyOf(await signInCookie(stack.url, 'bob@acme.test'));
    stack.emulator.faults.add({ method: 'POST', path: '/user_management/authenticate', status: 503, times: 10 });
    const failed = await postAsBrowser(stack.url, VIEWER, { cookie: expired });
    expect(failed.status).toBe(200);
    expect(codes(failed.body)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.setCookies).toEqual([]);

    stack.emulator.faults.clear();
    const ok = await postAsBrowser(stack.url, VIEWER, { cookie: expired });
    expect(ok.body.data?.viewer).toMatchObject({ user: { email: 'bob@acme.test' } });
    expect(ok.session).toBeTruthy();
  });

  it('refreshSession without a token refreshes the cookie, and switches organization', async () => {
    const cookie = await signInCookie(stack.url, 'carol@globex.test');
    const before = await unsealSession(cookie);
    const other = [s.acme.id, s.globex.id].find((id) => id !== decodeJwt(before.accessToken).org_id)!;
    const response = await postAsBrowser(
      stack.url,
      'mutation ($org: ID) { refreshSession(input: { organizationId: $org }) { __typename ... on AuthenticationPayload { organizationId accessToken refreshToken } } }',
      { cookie, variables: { org: other } },
    );
    expect(response.body.data?.refreshSession).toEqual({ __typename: 'AuthenticationPayload', organizationId: other, accessToken: null, refreshToken: null });
    const after = await unsealSession(response.session!);
    expect(decodeJwt(after.accessToken).org_id).toBe(other);
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });
});

describe('signOut', () => {
  const SIGN_OUT = 'mutation { signOut { sessionId } }';

  it('revokes the session at WorkOS, clears the cookie, and the old cookie is refused afterwards', async () => {
    const cookie = await signInCookie(stack.url, 'bob@acme.test');
    const session = await unsealSession(cookie);
    const sessionId = String(decodeJwt(session.accessToken).sid);
    stack.resetCalls();

    const response = await postAsBrowser(stack.url, SIGN_OUT, { cookie });
    expect(response.body.data?.signOut).toEqual({ sessionId });
    expect(stack.calls()).toEqual({ 'POST /user_management/sessions/revoke': 1 });
    expect(response.session).toBe('');
    expect(response.attributes).toMatchObject({ maxAge: 0, httpOnly: true, secure: true, sameSite: 'lax' });
    expect(stack.emulator.store.sessions.get(sessionId)?.status).toBe('revoked');
    expect(stack.emulator.store.auth.refreshTokens.has(session.refreshToken)).toBe(false);

    // The access token inside is still unexpired, yet the gateway refuses the session now.
    expect(decodeJwt(session.accessToken).exp! * 1000).toBeGreaterThan(Date.now());
    stack.resetCalls();
    const replay = await postAsBrowser(stack.url, VIEWER, { cookie });
    expect(replay.status).toBe(401);
    expect(codes(replay.body)).toEqual(['UNAUTHENTICATED']);
    expect(stack.totalCalls()).toBe(0);
    // And once expired, its refresh token no longer works at WorkOS.
    const refreshed = await postAsBrowser(stack.url, VIEWER, { cookie: await expiredCopyOf(cookie) });
    expect(refreshed.status).toBe(401);
  });

  it('with a bearer token it revokes the token’s session, and the token is refused afterwards', async () => {
    const { accessToken } = await unsealSession(await signInCookie(stack.url, 'bob@acme.test'));
    const out = await post(stack.url, SIGN_OUT, {}, bearer(accessToken));
    expect(out.body.data?.signOut).toEqual({ sessionId: decodeJwt(accessToken).sid });
    const after = await post(stack.url, VIEWER, {}, bearer(accessToken));
    expect(after.status).toBe(401);
  });

  it('without a session it only clears the cookie', async () => {
    const response = await postAsBrowser(stack.url, SIGN_OUT);
    expect(response.body.data?.signOut).toEqual({ sessionId: null });
    expect(response.session).toBe('');
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('configuration', () => {
  const base = { WORKOS_API_KEY: 'sk_test_abc', WORKOS_CLIENT_ID: 'client_abc' };

  it('GATEWAY_COOKIE_SESSIONS=true needs WORKOS_COOKIE_PASSWORD of 32+ characters, and never echoes it', () => {
    expect(() => loadConfig({ ...base, GATEWAY_COOKIE_SESSIONS: 'true' })).toThrow(/WORKOS_COOKIE_PASSWORD/);
    try {
      loadConfig({ ...base, GATEWAY_COOKIE_SESSIONS: 'true', WORKOS_COOKIE_PASSWORD: 'short-SECRET' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('WORKOS_COOKIE_PASSWORD');
      expect((error as Error).message).not.toContain('short-SECRET');
    }
    expect(() => loadConfig({ WORKOS_API_KEY: 'sk_test_abc', ...COOKIE_ENV })).toThrow(/WORKOS_CLIENT_ID/);
  });

  it('the cookie is Secure except in local mode (no WORKOS_API_KEY: the emulator on http://127.0.0.1)', () => {
    expect(loadConfig({ ...base, ...COOKIE_ENV }).cookieSessions).toMatchObject({ enabled: true, secure: true, name: 'wos-session', password: COOKIE_PASSWORD });
    expect(loadConfig({ ...COOKIE_ENV }).cookieSessions).toMatchObject({ enabled: true, secure: false });
    expect(loadConfig({ ...base }).cookieSessions.enabled).toBe(false);
  });
});
