import { createHash, generateKeyPairSync } from 'node:crypto';
import { AuthenticationException, GenericServerException, OauthException, type WorkOS } from '@workos-inc/node';
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthorizationCode,
  issueAccessToken,
  issueDemoAccessTokens,
  tokenContextOf,
  type TokenContext,
} from '../src/routes/authkit.ts';
import { DEMO_USERS } from '../src/seed.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { caught as failure, sdkFor } from './helpers.ts';
import { checkResponse, createSpecCheckedFetch, type SpecCheckedFetch } from './spec-validator.ts';

const PASSWORD = 'Password123!';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let em: EmulatorHandle;
let workos: WorkOS;
let tokens: TokenContext;
let jwksUrl: URL;
let issuer: string;
let spec: SpecCheckedFetch;

/** Awaits a rejection, checks its class and returns it typed. */
async function failsWith<T>(p: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const err: unknown = await failure(p);
  expect(err).toBeInstanceOf(type);
  return err as T;
}

const userByEmail = (email: string) => [...em.store.users.values()].find((u) => u.email === email)!;
const orgByName = (name: string) => [...em.store.organizations.values()].find((o) => o.name === name)!;

async function verify(token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(jwksUrl), { issuer });
  return payload;
}

/** A raw call (no API key, as public clients send it), its body checked against the spec too. */
async function postAuthenticate(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${em.url}/user_management/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(checkResponse('POST', '/user_management/authenticate', res.status, json).failure).toBeUndefined();
  return { status: res.status, body: json };
}

beforeAll(async () => {
  em = await startEmulator({
    rateLimits: false,
    seed: { organizations: 5, users: 30, directories: 0, directoryUsersPerDirectory: 0, connections: 0 },
  });
  spec = createSpecCheckedFetch();
  workos = sdkFor(em, { fetchFn: spec.fetchFn });
  tokens = tokenContextOf(em);
  jwksUrl = new URL(`${em.url}/sso/jwks/${em.clientId}`);
  issuer = `${em.url}/user_management/${em.clientId}`;
});

afterAll(async () => {
  await em?.close();
});

describe('password grant and access tokens', () => {
  it('signs an admin of several organizations in after she picks one, with a verifiable RS256 token', async () => {
    const alice = userByEmail('alice@acme.test');
    const acme = orgByName('Acme Corp');
    const pending = await failsWith(workos.userManagement.authenticateWithPassword({ email: alice.email, password: PASSWORD }), AuthenticationException);
    expect(pending).toMatchObject({ status: 403, code: 'organization_selection_required' });
    const offered = (pending.rawData as { organizations: { id: string; name: string }[] }).organizations;
    expect(offered.map((o) => o.name).sort()).toEqual(['Acme Corp', 'Globex Corporation']);
    const notHers = await failure(
      workos.userManagement.authenticateWithOrganizationSelection({ pendingAuthenticationToken: pending.pendingAuthenticationToken!, organizationId: orgByName('Initech').id }),
    );
    expect(notHers).toMatchObject({ status: 400, error: 'organization_membership_not_found' });
    const res = await workos.userManagement.authenticateWithOrganizationSelection({
      pendingAuthenticationToken: pending.pendingAuthenticationToken!,
      organizationId: acme.id,
    });

    expect(res.user.id).toBe(alice.id);
    expect(res.organizationId).toBe(acme.id);
    expect(res.authenticationMethod).toBe('Password');
    expect(res.refreshToken).toEqual(expect.any(String));

    const claims = await verify(res.accessToken);
    expect(claims).toMatchObject({
      iss: issuer,
      sub: alice.id,
      org_id: acme.id,
      role: 'admin',
      roles: ['admin'],
      permissions: ['organizations:manage', 'users:manage', 'audit_logs:manage'],
    });
    expect(claims.sid).toMatch(/^session_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(claims.jti).toMatch(ULID);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(em.store.users.get(alice.id)!.last_sign_in_at).not.toBeNull();
  });

  it('gives a member no permissions', async () => {
    const res = await workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: PASSWORD });
    const claims = await verify(res.accessToken);
    expect(claims).toMatchObject({ role: 'member', permissions: [] });
  });

  it('rejects a wrong password with 400 invalid_credentials', async () => {
    const err = await failure(workos.userManagement.authenticateWithPassword({ email: 'alice@acme.test', password: 'nope' }));
    expect(err).toBeInstanceOf(GenericServerException);
    expect(err).toMatchObject({ status: 400, code: 'invalid_credentials' });
  });

  it('rejects another client id and a wrong client secret as invalid_client', async () => {
    const wrongId = await failure(
      workos.userManagement.authenticateWithPassword({ email: 'alice@acme.test', password: PASSWORD, clientId: 'client_other' }),
    );
    expect(wrongId).toBeInstanceOf(OauthException);
    expect(wrongId).toMatchObject({ status: 400, error: 'invalid_client' });

    const badKey = sdkFor(em, { apiKey: 'sk_test_wrong', fetchFn: spec.fetchFn });
    const wrongSecret = await failure(badKey.userManagement.authenticateWithPassword({ email: 'alice@acme.test', password: PASSWORD }));
    expect(wrongSecret).toBeInstanceOf(OauthException);
    expect(wrongSecret).toMatchObject({ error: 'invalid_client' });
  });

  it('answers invalid_request for missing fields and unknown grant types', async () => {
    const base = { client_id: em.clientId, client_secret: em.apiKey };
    const missing = await postAuthenticate({ ...base, grant_type: 'password', email: 'alice@acme.test' });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(missing.body.error_description).toContain('password');
    const unknown = await postAuthenticate({ ...base, grant_type: 'client_credentials' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const noClient = await postAuthenticate({ grant_type: 'password', email: 'a@b.c', password: 'x' });
    expect(noClient).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('refresh tokens', () => {
  it('rotates: a refresh token works once, the session id stays', async () => {
    const first = await workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: PASSWORD });
    const second = await workos.userManagement.authenticateWithRefreshToken({ refreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await verify(second.accessToken)).sid).toBe((await verify(first.accessToken)).sid);

    const reused = await failure(workos.userManagement.authenticateWithRefreshToken({ refreshToken: first.refreshToken }));
    expect(reused).toBeInstanceOf(OauthException);
    expect(reused).toMatchObject({ status: 400, error: 'invalid_grant' });
    await workos.userManagement.authenticateWithRefreshToken({ refreshToken: second.refreshToken });
  });

  it('switches organization with organization_id, and refuses organizations without membership', async () => {
    const memberships = [...em.store.memberships.values()].filter((m) => m.status === 'active');
    const multi = memberships.find((m) => memberships.filter((n) => n.user_id === m.user_id).length > 1)!;
    const [home, other] = memberships.filter((m) => m.user_id === multi.user_id).sort((a, b) => (a.id < b.id ? -1 : 1));
    const code = createAuthorizationCode(tokens, { userId: multi.user_id });
    const session = await workos.userManagement.authenticateWithCode({ code });
    expect(session.organizationId).toBe(home.organization_id);

    const switched = await workos.userManagement.authenticateWithRefreshToken({
      refreshToken: session.refreshToken,
      organizationId: other.organization_id,
    });
    expect(switched.organizationId).toBe(other.organization_id);
    expect(await verify(switched.accessToken)).toMatchObject({ org_id: other.organization_id, role: other.role.slug });

    const foreign = [...em.store.organizations.keys()].find(
      (id) => !memberships.some((m) => m.user_id === multi.user_id && m.organization_id === id),
    )!;
    const notMember = await failure(
      workos.userManagement.authenticateWithRefreshToken({ refreshToken: switched.refreshToken, organizationId: foreign }),
    );
    expect(notMember).toBeInstanceOf(OauthException);
    expect(notMember).toMatchObject({ error: 'organization_membership_not_found' });
    const missing = await failure(
      workos.userManagement.authenticateWithRefreshToken({ refreshToken: switched.refreshToken, organizationId: 'org_01AAAAAAAAAAAAAAAAAAAAAAAA' }),
    );
    expect(missing).toMatchObject({ error: 'organization_not_found' });
    // A refused switch does not burn the token.
    await workos.userManagement.authenticateWithRefreshToken({ refreshToken: switched.refreshToken });
  });
});

describe('session revocation', () => {
  it('revokes a session through the SDK: its refresh tokens stop working, revoking again is fine', async () => {
    const signedIn = await workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: PASSWORD });
    const sessionId = String((await verify(signedIn.accessToken)).sid);
    expect(em.store.sessions.get(sessionId)).toMatchObject({ user_id: signedIn.user.id, status: 'active' });

    await workos.userManagement.revokeSession({ sessionId });
    expect(em.store.sessions.get(sessionId)?.status).toBe('revoked');
    const refused = await failure(workos.userManagement.authenticateWithRefreshToken({ refreshToken: signedIn.refreshToken }));
    expect(refused).toMatchObject({ status: 400, error: 'invalid_grant' });
    await workos.userManagement.revokeSession({ sessionId });
  });

  it('keeps the session id across refreshes, so revoking it ends the refreshed session too', async () => {
    const first = await workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: PASSWORD });
    const second = await workos.userManagement.authenticateWithRefreshToken({ refreshToken: first.refreshToken });
    await workos.userManagement.revokeSession({ sessionId: String((await verify(first.accessToken)).sid) });
    const refused = await failure(workos.userManagement.authenticateWithRefreshToken({ refreshToken: second.refreshToken }));
    expect(refused).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('answers 400 with a message for an unknown session, 422 for a missing session_id', async () => {
    const unknown = await failsWith(workos.userManagement.revokeSession({ sessionId: 'session_01HZZZZZZZZZZZZZZZZZZZZZZZ' }), GenericServerException);
    expect(unknown.status).toBe(400);
    const revoke = (body: string) =>
      fetch(`${em.url}/user_management/sessions/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${em.apiKey}`, 'content-type': 'application/json' },
        body,
      });
    const notFound = await revoke(JSON.stringify({ session_id: 'session_01HZZZZZZZZZZZZZZZZZZZZZZZ' }));
    const notFoundBody = (await notFound.json()) as Record<string, unknown>;
    expect(notFound.status).toBe(400);
    expect(notFoundBody.message).toBe("Session not found: 'session_01HZZZZZZZZZZZZZZZZZZZZZZZ'.");
    // Checked against the spec's 400 schema (documented, so not skipped as undocumented).
    expect(checkResponse('POST', '/user_management/sessions/revoke', 400, notFoundBody)).toEqual({ operation: 'POST /user_management/sessions/revoke' });

    const missing = await revoke('{}');
    const missingBody = (await missing.json()) as Record<string, unknown>;
    expect(missing.status).toBe(422);
    // The spec documents no 422 body for this operation: it is the emulator's usual validation answer.
    expect(missingBody).toEqual({ code: 'invalid_request_parameters', message: 'Validation failed', errors: [{ field: 'session_id', code: 'session_id_required' }] });
  });
});

describe('authorization code (PKCE)', () => {
  it('exchanges a code once, checking the S256 code verifier', async () => {
    const bob = userByEmail('bob@acme.test');
    const verifier = 'a-long-enough-code-verifier-string-for-the-pkce-check';
    const challenge = createHash('sha256').update(verifier).digest('base64url');

    const wrong = createAuthorizationCode(tokens, { userId: bob.id, codeChallenge: challenge });
    const bad = await failure(workos.userManagement.authenticateWithCode({ code: wrong, codeVerifier: 'not-the-verifier' }));
    expect(bad).toBeInstanceOf(OauthException);
    expect(bad).toMatchObject({ error: 'invalid_grant' });

    const code = createAuthorizationCode(tokens, { userId: bob.id, codeChallenge: challenge, authenticationMethod: 'GoogleOAuth' });
    const res = await workos.userManagement.authenticateWithCode({ code, codeVerifier: verifier });
    expect(res.user.id).toBe(bob.id);
    expect(res.authenticationMethod).toBe('GoogleOAuth');
    const again = await failure(workos.userManagement.authenticateWithCode({ code, codeVerifier: verifier }));
    expect(again).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('magic auth', () => {
  it('creates a code readable from the store and signs in with it once', async () => {
    const created = await workos.userManagement.createMagicAuth({ email: 'bob@acme.test' });
    expect(created.id).toMatch(/^magic_auth_/);
    const stored = em.store.auth.magicAuthCodes.get('bob@acme.test')!;
    expect(stored.code).toBe(created.code);
    expect((await workos.userManagement.getMagicAuth(created.id)).userId).toBe(userByEmail('bob@acme.test').id);

    const res = await workos.userManagement.authenticateWithMagicAuth({ email: 'bob@acme.test', code: created.code });
    expect(res.authenticationMethod).toBe('MagicAuth');
    const reused = await failure(workos.userManagement.authenticateWithMagicAuth({ email: 'bob@acme.test', code: created.code }));
    expect(reused).toBeInstanceOf(GenericServerException);
    expect(reused).toMatchObject({ status: 400, code: 'invalid_one_time_code' });
  });

  it('signs up an unknown email', async () => {
    const created = await workos.userManagement.createMagicAuth({ email: 'newcomer@example.test' });
    const res = await workos.userManagement.authenticateWithMagicAuth({ email: 'newcomer@example.test', code: created.code });
    expect(res.user).toMatchObject({ id: created.userId, email: 'newcomer@example.test', emailVerified: true });
    expect(res.organizationId).toBeUndefined();
    const claims = await verify(res.accessToken);
    expect(claims.org_id).toBeUndefined();
    expect(em.store.events.some((e) => e.event === 'user.created' && e.data.id === created.userId)).toBe(true);
  });
});

describe('pending authentication', () => {
  it('asks an unverified user to verify the email, then signs them in', async () => {
    const dave = userByEmail('dave@acme.test');
    const pending = await failsWith(workos.userManagement.authenticateWithPassword({ email: dave.email, password: PASSWORD }), AuthenticationException);
    expect(pending.status).toBe(403);
    expect(pending.code).toBe('email_verification_required');
    expect(pending.pendingAuthenticationToken).toEqual(expect.any(String));
    expect(pending.rawData).toMatchObject({ email: dave.email, email_verification_id: expect.stringMatching(/^email_verification_/) });

    const wrong = await failure(
      workos.userManagement.authenticateWithEmailVerification({ code: '000000x', pendingAuthenticationToken: pending.pendingAuthenticationToken! }),
    );
    expect(wrong).toMatchObject({ status: 400, code: 'invalid_one_time_code' });

    const code = em.store.auth.emailVerifications.get(dave.id)!.code;
    const res = await workos.userManagement.authenticateWithEmailVerification({ code, pendingAuthenticationToken: pending.pendingAuthenticationToken! });
    expect(res.user).toMatchObject({ id: dave.id, emailVerified: true });
    expect(res.authenticationMethod).toBe('Password');
    // Verified now: a plain password sign-in works.
    await workos.userManagement.authenticateWithPassword({ email: dave.email, password: PASSWORD });
  });

  it('asks a user with a TOTP factor for an MFA challenge, then accepts a valid code', async () => {
    const erin = userByEmail('erin@acme.test');
    const pending = await failsWith(workos.userManagement.authenticateWithPassword({ email: erin.email, password: PASSWORD }), AuthenticationException);
    expect(pending.code).toBe('mfa_challenge');
    const factors = pending.rawData.authentication_factors as unknown as { id: string; type: string }[];
    expect(factors).toEqual([{ id: expect.stringMatching(/^auth_factor_/), type: 'totp' }]);

    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: factors[0].id });
    const secret = DEMO_USERS.find((d) => d.email === erin.email)!.totpSecret!;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const input = { pendingAuthenticationToken: pending.pendingAuthenticationToken!, authenticationChallengeId: challenge.id };

    const bad = await failure(workos.userManagement.authenticateWithTotp({ ...input, code: totp.generate({ timestamp: Date.now() - 10 * 60_000 }) }));
    expect(bad).toBeInstanceOf(GenericServerException);
    expect(bad).toMatchObject({ code: 'invalid_one_time_code' });

    const res = await workos.userManagement.authenticateWithTotp({ ...input, code: totp.generate() });
    expect(res.user.id).toBe(erin.id);
    expect(await verify(res.accessToken)).toMatchObject({ sub: erin.id, org_id: orgByName('Acme Corp').id });
  });

  it('enrolls a TOTP factor through the SDK, after which sign-in needs MFA, then the organization', async () => {
    const carol = userByEmail('carol@globex.test');
    const { authenticationFactor, authenticationChallenge } = await workos.multiFactorAuth.createUserAuthFactor({ userId: carol.id, type: 'totp' });
    expect(authenticationFactor.totp.secret).toMatch(/^[A-Z2-7]+$/);
    expect(authenticationChallenge.authenticationFactorId).toBe(authenticationFactor.id);

    const pending = await failsWith(workos.userManagement.authenticateWithPassword({ email: carol.email, password: PASSWORD }), AuthenticationException);
    expect(pending.code).toBe('mfa_challenge');
    const code = new TOTP({ secret: Secret.fromBase32(authenticationFactor.totp.secret) }).generate();
    // Carol is in Globex and Acme: after the second factor she still picks one.
    const choose = await failsWith(
      workos.userManagement.authenticateWithTotp({
        code,
        pendingAuthenticationToken: pending.pendingAuthenticationToken!,
        authenticationChallengeId: authenticationChallenge.id,
      }),
      AuthenticationException,
    );
    expect(choose.code).toBe('organization_selection_required');
    const res = await workos.userManagement.authenticateWithOrganizationSelection({
      pendingAuthenticationToken: choose.pendingAuthenticationToken!,
      organizationId: orgByName('Globex Corporation').id,
    });
    expect(res).toMatchObject({ user: { id: carol.id }, organizationId: orgByName('Globex Corporation').id, authenticationMethod: 'Password' });
  });
});

describe('password reset and email verification', () => {
  it('resets a password with the token, after which only the new one works', async () => {
    const reset = await workos.userManagement.createPasswordReset({ email: 'bob@acme.test' });
    expect(reset.passwordResetToken).toEqual(expect.any(String));
    expect(reset.passwordResetUrl).toContain(encodeURIComponent(reset.passwordResetToken));

    const short = await failure(workos.userManagement.resetPassword({ token: reset.passwordResetToken, newPassword: 'short' }));
    expect(short).toMatchObject({ status: 400, code: 'password_reset_error' });

    const { user } = await workos.userManagement.resetPassword({ token: reset.passwordResetToken, newPassword: 'NewPassword456!' });
    expect(user.email).toBe('bob@acme.test');
    await workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: 'NewPassword456!' });
    const old = await failure(workos.userManagement.authenticateWithPassword({ email: 'bob@acme.test', password: PASSWORD }));
    expect(old).toMatchObject({ code: 'invalid_credentials' });
    em.store.auth.passwords.set(user.id, PASSWORD);
  });

  it('sends and confirms an email verification code', async () => {
    const unverified = [...em.store.users.values()].find((u) => !u.email_verified)!;
    await workos.userManagement.sendVerificationEmail({ userId: unverified.id });
    const entry = em.store.auth.emailVerifications.get(unverified.id)!;
    expect((await workos.userManagement.getEmailVerification(entry.id)).code).toBe(entry.code);
    const { user } = await workos.userManagement.verifyEmail({ userId: unverified.id, code: entry.code });
    expect(user.emailVerified).toBe(true);
    const again = await failure(workos.userManagement.sendVerificationEmail({ userId: unverified.id }));
    expect(again).toMatchObject({ status: 400, code: 'email_already_verified' });
  });
});

describe('JWKS and minted tokens', () => {
  it('serves the JWKS without an API key, with a stable kid; 404 JSON for another client', async () => {
    const res = await fetch(jwksUrl);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(checkResponse('GET', jwksUrl.pathname, 200, body).failure).toBeUndefined();
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB', x5c: [], kid: expect.stringMatching(/^key_/) });
    expect(body.keys[0]['x5t#S256']).toEqual(expect.any(String));
    const again = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(again.keys[0].kid).toBe(body.keys[0].kid);

    const other = await fetch(`${em.url}/sso/jwks/client_other`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: expect.any(String) });
  });

  it('mints valid, expired and not-yet-valid tokens with the emulator key', async () => {
    const alice = userByEmail('alice@acme.test');
    const acme = orgByName('Acme Corp');
    const valid = await issueAccessToken(tokens, { userId: alice.id, organizationId: acme.id, ttlSeconds: 60 });
    const claims = await verify(valid);
    expect(claims).toMatchObject({ sub: alice.id, org_id: acme.id, role: 'admin' });
    expect(claims.exp! - claims.iat!).toBe(60);

    const expired = await issueAccessToken(tokens, { userId: alice.id, organizationId: acme.id, ttlSeconds: -10 });
    await expect(verify(expired)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });

    const early = await issueAccessToken(tokens, { userId: alice.id, notBefore: new Date(Date.now() + 3_600_000) });
    await expect(verify(early)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' });

    const withTtl = await issueAccessToken(tokenContextOf(em, 42), { userId: alice.id });
    const ttlClaims = await verify(withTtl);
    expect(ttlClaims.exp! - ttlClaims.iat!).toBe(42);
  });

  it('rejects a token signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = ((await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] }).keys[0].kid;
    const forged = await new SignJWT({ sid: 'session_x' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setSubject('user_x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('mints a long-lived demo token per demo user', async () => {
    const demo = await issueDemoAccessTokens(tokens);
    expect(demo.map((d) => d.email).sort()).toEqual(DEMO_USERS.map((d) => d.email).sort());
    const alice = demo.find((d) => d.email === 'alice@acme.test')!;
    expect(alice).toMatchObject({ organizationId: orgByName('Acme Corp').id, role: 'admin' });
    const claims = await verify(alice.accessToken);
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });
});

describe('wire format', () => {
  it('every JSON body the SDK received matches the OpenAPI spec', () => {
    expect(spec.checked()).toBeGreaterThan(30);
    expect(spec.failures).toEqual([]);
    expect(spec.undocumented).toEqual([]);
  });
});
