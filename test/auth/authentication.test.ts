import { generateKeyPair, SignJWT } from 'jose';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';

let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Claims as WorkOS signs them, for a forger to copy. */
const claimsFor = (userId: string) => ({
  iss: `${stack.emulator.url}/user_management/${stack.emulator.clientId}`,
  sub: userId,
  sid: 'session_01KDVDNAZ83S80T672BC3QYSJ8',
  org_id: s.acme.id,
  role: 'admin',
  permissions: ['organizations:manage', 'users:manage', 'audit_logs:manage'],
  iat: now(),
  exp: now() + 300,
});

const VIEWER = '{ viewer { kind user { email } } }';

async function expectRefused(token: string | null, query = VIEWER) {
  const { status, body } = await send(stack, token, query);
  expect(status).toBe(401);
  expect(codes(body)).toEqual(['UNAUTHENTICATED']);
  // One message for every refusal: nothing says which check failed.
  expect(body.errors?.[0].message).toBe('Sign in first: send a valid token as `Authorization: Bearer <token>`.');
  expect(body.data ?? null).toBeNull();
  expect(stack.totalCalls()).toBe(0);
}

describe('refused credentials cost no upstream call', () => {
  it.each<[string, () => string]>([
    ['the viewer', () => VIEWER],
    ['an organization by id', () => `{ organization(id: "${s.acme.id}") { name } }`],
    ['node(id)', () => `{ node(id: "${s.acme.id}") { id } }`],
    ['the organization list', () => `{ organizations { edges { node { id } } } }`],
    ['a mutation', () => `mutation { createOrganization(input: { name: "Nope" }) { __typename } }`],
  ])('no token: %s is UNAUTHENTICATED', async (_what, query) => {
    const { status, body } = await send(stack, null, query());
    expect(status).toBe(401);
    expect(codes(body)).toContain('UNAUTHENTICATED');
    expect(JSON.stringify(body.data ?? {})).not.toContain('org_');
    expect(stack.totalCalls()).toBe(0);
  });

  it.each([['Basic YWxpY2U6cGFzcw=='], ['Bearer'], ['Bearer a b'], [`Bearer ${'x'.repeat(9000)}`]])('a malformed Authorization header (%s) is refused', async (header) => {
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: header },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(stack.totalCalls()).toBe(0);
  });

  it('an expired token', async () => {
    await expectRefused(await tokenFor(stack, s.alice.id, { ttlSeconds: -60 }));
  });

  it('a token not valid yet', async () => {
    await expectRefused(await tokenFor(stack, s.alice.id, { notBefore: new Date(Date.now() + 10 * 60_000) }));
  });

  it('a token signed with another RSA key under the real key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const kid = stack.emulator.jwks().keys[0].kid;
    const forged = await new SignJWT(claimsFor(s.alice.id)).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
    await expectRefused(forged);
  });

  it('alg none, and HS256 keyed with the public key', async () => {
    const kid = stack.emulator.jwks().keys[0].kid;
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claimsFor(s.alice.id))}.`);
    const publicN = new TextEncoder().encode(stack.emulator.jwks().keys[0].n);
    const confused = await new SignJWT(claimsFor(s.alice.id)).setProtectedHeader({ alg: 'HS256', kid }).sign(publicN);
    await expectRefused(confused);
  });

  it('a real token with its payload edited (admin of another organization)', async () => {
    const [header, , signature] = (await tokenFor(stack, s.bob.id)).split('.');
    await expectRefused(`${header}.${b64({ ...claimsFor(s.bob.id), org_id: s.globex.id })}.${signature}`);
  });

  it('garbage and a service token that is not configured', async () => {
    await expectRefused('not-a-token');
    await expectRefused(`svc_${'A'.repeat(43)}`);
  });

  it('a token from another issuer', async () => {
    const other = await startStack({ env: { WORKOS_ISSUER: 'https://api.workos.com/' } });
    try {
      const token = await tokenFor(other, seeded(other).alice.id);
      const { status, body } = await send(other, token, VIEWER);
      expect(status).toBe(401);
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await other.close();
    }
  });
});

describe('the key set', () => {
  it('is fetched once through the gateway’s upstream queue; unknown key ids cannot make it fetch again at will', async () => {
    const cold = await startStack();
    try {
      const cs = seeded(cold);
      for (const userId of [cs.alice.id, cs.bob.id, cs.carol.id]) {
        expect((await send(cold, await tokenFor(cold, userId), VIEWER)).status).toBe(200);
      }
      const { privateKey } = await generateKeyPair('RS256');
      for (let i = 0; i < 5; i++) {
        const unknownKid = await new SignJWT(claimsFor(cs.alice.id)).setProtectedHeader({ alg: 'RS256', kid: `key_rotated_${i}` }).sign(privateKey);
        expect((await send(cold, unknownKid, VIEWER)).status).toBe(401);
      }
      const jwksCalls = Object.entries(cold.calls()).filter(([route]) => route.includes('/sso/jwks/'));
      expect(jwksCalls.map(([, n]) => n)).toEqual([1]);
      // Counted by the queue like every other WorkOS call.
      expect(Object.keys(cold.gateway.queue.snapshot().byRoute).some((route) => route.includes('/sso/jwks/'))).toBe(true);
    } finally {
      await cold.close();
    }
  });
});

describe('accepted credentials', () => {
  it.each([['bearer'], ['BEARER'], ['BeArEr']])('the scheme is case-insensitive (RFC 7235): %s <token> is accepted', async (scheme) => {
    const token = await tokenFor(stack, s.alice.id);
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `${scheme} ${token}` },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data?: { viewer?: { user?: { email?: string } } } };
    expect(body.data?.viewer?.user?.email).toBe('alice@acme.test');
  });

  it('a user token: viewer shows the user, the session organization and role', async () => {
    // Alice is Acme's admin and a member of Globex; her session is in Acme.
    const token = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    const { body } = await send(
      stack,
      token,
      '{ viewer { kind user { email } organizationId organization { name } role permissions memberships { organization { name } role { slug } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer).toEqual({
      kind: 'USER',
      user: { email: 'alice@acme.test' },
      organizationId: s.acme.id,
      organization: { name: 'Acme Corp' },
      role: 'admin',
      permissions: ['organizations:manage', 'users:manage', 'audit_logs:manage'],
      memberships: expect.arrayContaining([
        { organization: { name: 'Acme Corp' }, role: { slug: 'admin' } },
        { organization: { name: 'Globex Corporation' }, role: { slug: 'member' } },
      ]),
    });
  });

  it('the service token: viewer has no user and no organization', async () => {
    const { body } = await send(stack, stack.serviceToken, '{ viewer { kind user { id } organization { id } memberships { id } permissions } }');
    expect(body.data?.viewer).toEqual({ kind: 'SERVICE', user: null, organization: null, memberships: [], permissions: [] });
    expect(stack.totalCalls()).toBe(0);
  });

  it('a token of a deleted user reads nothing of their former organization', async () => {
    const created = await send(
      stack,
      stack.serviceToken,
      'mutation { u: createUser(input: { email: "gone@acme.test" }) { ... on UserPayload { user { id } } } }',
    );
    const userId = (created.body.data?.u as { user: { id: string } }).user.id;
    await send(stack, stack.serviceToken, `mutation { createOrganizationMembership(input: { organizationId: "${s.acme.id}", userId: "${userId}" }) { __typename } }`);
    const token = await tokenFor(stack, userId);
    expect((await send(stack, token, `{ organization(id: "${s.acme.id}") { name } }`)).body.data?.organization).toEqual({ name: 'Acme Corp' });

    await send(stack, stack.serviceToken, `mutation { deleteUser(input: { id: "${userId}" }) { __typename } }`);
    stack.resetCalls();
    const { body } = await send(stack, token, `{ viewer { user { id } memberships { id } } organization(id: "${s.acme.id}") { name } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ viewer: { user: null, memberships: [] }, organization: null });
    expect(JSON.stringify(body)).not.toContain('Acme');
  });

  it('introspection without a token outside production', async () => {
    const { status, body } = await send(stack, null, '{ __schema { queryType { name } } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

const AUTH_RESULT = `__typename
  ... on MutationError { message }
  ... on AuthenticationPayload { accessToken refreshToken organizationId authenticationMethod user { email } }
  ... on EmailVerificationRequiredError { pendingAuthenticationToken email }
  ... on MfaChallengeRequiredError { pendingAuthenticationToken authenticationChallengeId factors { type } }`;

type AuthResult = {
  __typename: string;
  message?: string;
  accessToken?: string;
  refreshToken?: string;
  organizationId?: string | null;
  authenticationMethod?: string;
  user?: { email: string };
  pendingAuthenticationToken?: string;
  authenticationChallengeId?: string;
};

async function signIn(field: string, input: Record<string, unknown>): Promise<AuthResult> {
  const type = `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`;
  const { status, body } = await send(stack, null, `mutation($input: ${type}!) { r: ${field}(input: $input) { ${AUTH_RESULT} } }`, { input });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data?.r as AuthResult;
}

describe('sign-in through GraphQL, without a token', () => {
  it('password: the access token it returns works for the next request', async () => {
    const r = await signIn('signInWithPassword', { email: 'alice@acme.test', password: 'Password123!' });
    expect(r).toMatchObject({ __typename: 'AuthenticationPayload', organizationId: s.acme.id, authenticationMethod: 'Password', user: { email: 'alice@acme.test' } });
    const { body } = await send(stack, r.accessToken!, '{ viewer { user { email } role } }');
    expect(body.data?.viewer).toEqual({ user: { email: 'alice@acme.test' }, role: 'admin' });
  });

  it('wrong password and unknown email read the same', async () => {
    const wrong = await signIn('signInWithPassword', { email: 'alice@acme.test', password: 'guess-guess' });
    const unknown = await signIn('signInWithPassword', { email: 'nobody@acme.test', password: 'guess-guess' });
    expect(wrong).toEqual({ __typename: 'InvalidCredentialsError', message: 'Invalid credentials.' });
    expect(unknown).toEqual(wrong);
  });

  it('refreshSession rotates the refresh token and can switch organization', async () => {
    const first = await signIn('signInWithPassword', { email: 'carol@globex.test', password: 'Password123!' });
    const other = [s.acme.id, s.globex.id].find((id) => id !== first.organizationId)!;
    const switched = await signIn('refreshSession', { refreshToken: first.refreshToken, organizationId: other });
    expect(switched).toMatchObject({ __typename: 'AuthenticationPayload', organizationId: other });
    const reused = await signIn('refreshSession', { refreshToken: first.refreshToken });
    expect(reused.__typename).toBe('InvalidCredentialsError');
    const notMine = await signIn('refreshSession', { refreshToken: switched.refreshToken, organizationId: [...stack.emulator.store.organizations.keys()].find((id) => id !== s.acme.id && id !== s.globex.id) });
    expect(notMine.__typename).toBe('InvalidCredentialsError');
  });

  it('email verification: pending step, then verifyEmail with the emailed code', async () => {
    const pending = await signIn('signInWithPassword', { email: 'dave@acme.test', password: 'Password123!' });
    expect(pending).toMatchObject({ __typename: 'EmailVerificationRequiredError', email: 'dave@acme.test' });
    const wrong = await signIn('verifyEmail', { pendingAuthenticationToken: pending.pendingAuthenticationToken, code: '000000' });
    expect(wrong.__typename).toBe('InvalidCredentialsError');
    const code = stack.emulator.store.auth.emailVerifications.get(s.dave.id)!.code;
    const done = await signIn('verifyEmail', { pendingAuthenticationToken: pending.pendingAuthenticationToken, code });
    expect(done).toMatchObject({ __typename: 'AuthenticationPayload', user: { email: 'dave@acme.test' } });
  });

  it('TOTP: the gateway opens the challenge, signInWithTotp finishes', async () => {
    const pending = await signIn('signInWithPassword', { email: 'erin@acme.test', password: 'Password123!' });
    expect(pending).toMatchObject({ __typename: 'MfaChallengeRequiredError' });
    expect(pending.authenticationChallengeId).toMatch(/^auth_challenge_/);
    const code = new TOTP({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }).generate();
    const done = await signIn('signInWithTotp', {
      pendingAuthenticationToken: pending.pendingAuthenticationToken,
      authenticationChallengeId: pending.authenticationChallengeId,
      code,
    });
    expect(done).toMatchObject({ __typename: 'AuthenticationPayload', user: { email: 'erin@acme.test' } });
  });

  it('magic auth: the code goes to the inbox only, then signs in', async () => {
    const { body } = await send(stack, null, 'mutation { sendMagicAuthCode(input: { email: "bob@acme.test" }) { __typename ... on SendMagicAuthCodePayload { email expiresAt } } }');
    const code = stack.emulator.store.auth.magicAuthCodes.get('bob@acme.test')!.code;
    expect(body.data?.sendMagicAuthCode).toMatchObject({ __typename: 'SendMagicAuthCodePayload', email: 'bob@acme.test' });
    expect(JSON.stringify(body)).not.toContain(code);
    const done = await signIn('signInWithMagicAuth', { email: 'bob@acme.test', code });
    expect(done).toMatchObject({ __typename: 'AuthenticationPayload', authenticationMethod: 'MagicAuth' });
  });

  it('authorization code of a hosted sign-in, once', async () => {
    const code = stack.emulator.createAuthorizationCode({ userId: s.bob.id, organizationId: s.acme.id });
    expect(await signIn('signInWithCode', { code })).toMatchObject({ __typename: 'AuthenticationPayload', organizationId: s.acme.id });
    expect((await signIn('signInWithCode', { code })).__typename).toBe('InvalidCredentialsError');
  });

  it('malformed input is refused before WorkOS is asked', async () => {
    const { body } = await send(stack, null, 'mutation { signInWithPassword(input: { email: "not-an-email", password: "x" }) { __typename ... on ValidationError { fields { field } } } }');
    expect(body.data?.signInWithPassword).toEqual({ __typename: 'ValidationError', fields: [{ field: 'email' }] });
    expect(stack.totalCalls()).toBe(0);
  });
});
