import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthorizationUrlDocument, ResetPasswordDocument, SignInWithOrganizationSelectionDocument } from '@workos-graphql-gateway/client/documents';
import { codes, seeded, send, startWarmStack } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/**
 * The rest of sign-in, without a token: hosted sign-in with PKCE, choosing an organization, SSO
 * required, MFA enrollment required, and the password reset confirmation.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const STEPS = `__typename
  ... on MutationError { message }
  ... on AuthenticationPayload { accessToken organizationId authenticationMethod user { email } }
  ... on OrganizationSelectionRequiredError { pendingAuthenticationToken organizations { id name } }
  ... on SsoRequiredError { email connectionIds }
  ... on MfaEnrollmentRequiredError { pendingAuthenticationToken totp { authenticationChallengeId secret uri qrCode } }
  ... on MfaChallengeRequiredError { pendingAuthenticationToken authenticationChallengeId }`;

interface Step {
  __typename: string;
  message?: string;
  accessToken?: string;
  organizationId?: string;
  authenticationMethod?: string;
  user?: { email: string };
  pendingAuthenticationToken?: string;
  organizations?: { id: string; name: string }[];
  email?: string;
  connectionIds?: string[];
  totp?: { authenticationChallengeId: string; secret: string; uri: string; qrCode: string };
}

async function step(field: string, input: Record<string, unknown>): Promise<Step> {
  const type = `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`;
  const { body } = await send(stack, null, `mutation($input: ${type}!) { r: ${field}(input: $input) { ${STEPS} } }`, { input });
  expect(body.errors).toBeUndefined();
  return body.data?.r as Step;
}

const password = (email: string) => step('signInWithPassword', { email, password: 'Password123!' });

describe('hosted sign-in with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  it('the URL costs no call; the browser comes back with a code the verifier redeems', async () => {
    const { authorizationUrl } = await stack.clientAs(null).request(AuthorizationUrlDocument, {
      input: { provider: 'AUTHKIT', redirectUri: 'https://app.example.test/callback', state: 'xyz', codeChallenge: challenge },
    });
    expect(stack.totalCalls()).toBe(0);
    const url = new URL(authorizationUrl);
    expect(url.pathname).toBe('/user_management/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      provider: 'authkit',
      client_id: stack.emulator.clientId,
      redirect_uri: 'https://app.example.test/callback',
      response_type: 'code',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });

    // The browser's part, at the emulator's hosted page.
    url.searchParams.set('login_hint', 'bob@acme.test');
    const redirect = await fetch(url, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code')!;

    const wrong = await step('signInWithCode', { code, codeVerifier: randomBytes(32).toString('base64url') });
    expect(wrong.__typename).toBe('InvalidCredentialsError');
    const again = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const signedIn = await step('signInWithCode', { code: again, codeVerifier: verifier });
    expect(signedIn).toMatchObject({ __typename: 'AuthenticationPayload', organizationId: s.acme.id, user: { email: 'bob@acme.test' } });
  });

  it('an organization’s or a connection’s SSO instead of a provider', async () => {
    const connection = s.connectionOf(s.acme.id);
    const { authorizationUrl } = await stack.clientAs(null).request(AuthorizationUrlDocument, {
      input: { connectionId: connection.id, redirectUri: 'myapp://callback' },
    });
    expect(new URL(authorizationUrl).searchParams.get('connection_id')).toBe(connection.id);
    expect(new URL(authorizationUrl).searchParams.has('code_challenge_method')).toBe(false);
  });

  it.each([
    ['none of provider, connectionId, organizationId', { redirectUri: 'https://x.test/cb' }],
    ['two of them', { provider: 'AUTHKIT', organizationId: 'org_01ZZZZZZZZZZZZZZZZZZZZZZZZ', redirectUri: 'https://x.test/cb' }],
    ['a challenge that is not S256 base64url', { provider: 'AUTHKIT', redirectUri: 'https://x.test/cb', codeChallenge: 'short' }],
    ['a javascript: redirect', { provider: 'AUTHKIT', redirectUri: 'javascript:alert(1)' }],
  ])('refuses %s', async (_label, input) => {
    const { body } = await send(stack, null, 'query($input: AuthorizationUrlInput!) { authorizationUrl(input: $input) }', { input });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).not.toMatch(/nonoptional/);
  });
});

describe('organization selection', () => {
  it('a user of several organizations chooses one; the session is there', async () => {
    const choose = await password('carol@globex.test');
    expect(choose.__typename).toBe('OrganizationSelectionRequiredError');
    expect(choose.organizations?.map((o) => o.id).sort()).toEqual([s.acme.id, s.globex.id].sort());
    const { signInWithOrganizationSelection } = await stack.clientAs(null).request(SignInWithOrganizationSelectionDocument, {
      pendingAuthenticationToken: choose.pendingAuthenticationToken!,
      organizationId: s.acme.id,
    });
    expect(signInWithOrganizationSelection).toMatchObject({ __typename: 'AuthenticationPayload', organizationId: s.acme.id });
  });

  it('an organization that is not hers, or a used token, is refused', async () => {
    const choose = await password('carol@globex.test');
    const initech = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Initech')!;
    const notHers = await step('signInWithOrganizationSelection', { pendingAuthenticationToken: choose.pendingAuthenticationToken, organizationId: initech.id });
    expect(notHers.__typename).toBe('InvalidCredentialsError');
    await step('signInWithOrganizationSelection', { pendingAuthenticationToken: choose.pendingAuthenticationToken, organizationId: s.globex.id });
    const used = await step('signInWithOrganizationSelection', { pendingAuthenticationToken: choose.pendingAuthenticationToken, organizationId: s.globex.id });
    expect(used.__typename).toBe('InvalidCredentialsError');
  });
});

describe('organization sign-in rules', () => {
  it('SSO required: a typed step naming the connections, then a hosted sign-in through one', async () => {
    const sso = await password('frank@initech.test');
    expect(sso).toMatchObject({ __typename: 'SsoRequiredError', email: 'frank@initech.test' });
    expect(sso.connectionIds?.length).toBeGreaterThan(0);
    const { authorizationUrl } = await stack.clientAs(null).request(AuthorizationUrlDocument, {
      input: { connectionId: sso.connectionIds![0], redirectUri: 'https://app.example.test/cb', loginHint: sso.email },
    });
    const code = new URL((await fetch(authorizationUrl, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    expect(await step('signInWithCode', { code })).toMatchObject({ __typename: 'AuthenticationPayload', authenticationMethod: 'SSO', user: { email: 'frank@initech.test' } });
  });

  it('MFA required: the gateway enrolls an authenticator app; its code finishes the sign-in', async () => {
    stack.resetCalls();
    const enroll = await password('grace@umbrella.test');
    expect(enroll.__typename).toBe('MfaEnrollmentRequiredError');
    expect(enroll.totp?.qrCode).toMatch(/^data:/);
    expect(stack.calls()).toEqual({ 'POST /user_management/authenticate': 1, 'POST /user_management/users/:id/auth_factors': 1 });
    const code = new TOTP({ secret: Secret.fromBase32(enroll.totp!.secret) }).generate();
    const done = await step('signInWithTotp', {
      pendingAuthenticationToken: enroll.pendingAuthenticationToken,
      authenticationChallengeId: enroll.totp!.authenticationChallengeId,
      code,
    });
    expect(done).toMatchObject({ __typename: 'AuthenticationPayload', user: { email: 'grace@umbrella.test' } });
    // From now on she has a factor: the next sign-in asks for its code.
    expect((await password('grace@umbrella.test')).__typename).toBe('MfaChallengeRequiredError');
  });
});

describe('password reset', () => {
  it('a reset token sets the new password once; the token is refused afterwards', async () => {
    await send(stack, stack.serviceToken, 'mutation { sendPasswordReset(input: { email: "dave@acme.test" }) { __typename } }');
    const reset = [...stack.emulator.store.auth.passwordResets.values()].find((r) => r.userId === s.dave.id)!;
    const weak = await stack.clientAs(null).request(ResetPasswordDocument, { token: reset.token, newPassword: 'short' });
    expect(weak.resetPassword.__typename).toBe('ValidationError');
    const { resetPassword } = await stack.clientAs(null).request(ResetPasswordDocument, { token: reset.token, newPassword: 'NewPassword456!' });
    expect(resetPassword).toMatchObject({ __typename: 'ResetPasswordPayload', user: { email: 'dave@acme.test' } });
    expect(stack.emulator.store.auth.passwords.get(s.dave.id)).toBe('NewPassword456!');
    const used = await stack.clientAs(null).request(ResetPasswordDocument, { token: reset.token, newPassword: 'Another789!!' });
    expect(used.resetPassword).toMatchObject({ __typename: 'InvalidCredentialsError' });
    expect(stack.calls()['POST /user_management/password_reset/confirm']).toBe(2);
  });
});
