import { WorkOS } from '@workos-inc/node';
import { sealData, unsealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../kit/callers.ts';
import { COOKIE_ENV, COOKIE_PASSWORD, postAsBrowser, signInCookie } from '../kit/cookies.ts';
import { startStack, type Stack } from '../kit/stack.ts';

/**
 * An app on the same site using @workos-inc/authkit-nextjs, with the same WORKOS_COOKIE_PASSWORD,
 * calls the gateway with its own session cookie and no token plumbing. The session here is made
 * the way authkit-nextjs 4.x makes it: its callback route trades the AuthKit code with the
 * WorkOS SDK (`authenticateWithCode`), and `encryptSession` (src/session.ts) seals
 * `{ accessToken, refreshToken, user, impersonator, authenticationMethod }` with iron-session's
 * `sealData(session, { password: WORKOS_COOKIE_PASSWORD, ttl: 0 })` into the `wos-session` cookie.
 * Its `getSessionFromCookie` reads it back with `unsealData(cookie, { password })`.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let workos: WorkOS;
beforeAll(async () => {
  stack = await startStack({ env: COOKIE_ENV });
  s = seeded(stack);
  const { hostname, port } = new URL(stack.emulator.url);
  workos = new WorkOS(stack.emulator.apiKey, { apiHostname: hostname, port: Number(port), https: false, clientId: stack.emulator.clientId });
});
afterAll(() => stack.close());

/** authkit-nextjs' callback, then its encryptSession: the cookie value it sets. */
async function authkitNextjsCookie(userId: string, organizationId: string): Promise<string> {
  const code = stack.emulator.createAuthorizationCode({ userId, organizationId });
  const { accessToken, refreshToken, user, impersonator, authenticationMethod } = await workos.userManagement.authenticateWithCode({
    clientId: stack.emulator.clientId,
    code,
  });
  return sealData({ accessToken, refreshToken, user, impersonator, authenticationMethod }, { password: COOKIE_PASSWORD, ttl: 0 });
}

const VIEWER = '{ viewer { kind user { id email } organizationId role } }';

describe('a session cookie sealed by @workos-inc/authkit-nextjs', () => {
  it('signs the gateway request in with nothing but the cookie (and the CSRF header)', async () => {
    const cookie = await authkitNextjsCookie(s.alice.id, s.acme.id);
    const response = await postAsBrowser(stack.url, VIEWER, { cookie });
    expect(response.status).toBe(200);
    expect(response.body.data?.viewer).toEqual({ kind: 'USER', user: { id: s.alice.id, email: 'alice@acme.test' }, organizationId: s.acme.id, role: 'admin' });
    // A valid access token needs no refresh: the app's cookie is left as it is.
    expect(response.setCookies).toEqual([]);
  });

  it('once its access token has expired, the gateway refreshes it into a cookie authkit-nextjs reads back', async () => {
    const original = await authkitNextjsCookie(s.bob.id, s.acme.id);
    const session = await unsealData<{ accessToken: string; refreshToken: string; user: { id: string } }>(original, { password: COOKIE_PASSWORD });
    const expired = await stack.emulator.issueAccessToken({ userId: s.bob.id, organizationId: s.acme.id, sessionId: String(decodeJwt(session.accessToken).sid), ttlSeconds: -30 });
    const cookie = await sealData({ ...session, accessToken: expired }, { password: COOKIE_PASSWORD, ttl: 0 });

    const response = await postAsBrowser(stack.url, VIEWER, { cookie });
    expect(response.body.data?.viewer).toMatchObject({ user: { email: 'bob@acme.test' } });
    const refreshed = await unsealData<{ accessToken: string; refreshToken: string; user: { id: string; email: string } }>(response.session!, { password: COOKIE_PASSWORD });
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect(refreshed.user).toMatchObject({ id: s.bob.id, email: 'bob@acme.test' });
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({ sub: s.bob.id, org_id: s.acme.id });
  });
});

describe('a session cookie the gateway sets', () => {
  it('is read by authkit-nextjs (unsealData) and by the WorkOS SDK’s own session helpers', async () => {
    const cookie = await signInCookie(stack.url, 'carol@globex.test');
    const asAuthkitNextjs = await unsealData<{ accessToken: string; refreshToken: string; user: { email: string } }>(cookie, { password: COOKIE_PASSWORD });
    expect(asAuthkitNextjs.user.email).toBe('carol@globex.test');
    expect(Object.keys(asAuthkitNextjs).sort()).toEqual(['accessToken', 'authenticationMethod', 'refreshToken', 'user']);

    const sdk = await workos.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: COOKIE_PASSWORD }).authenticate();
    expect(sdk).toMatchObject({ authenticated: true, user: { email: 'carol@globex.test' } });
  });
});
