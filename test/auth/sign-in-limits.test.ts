import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { seeded, send, tokenFor } from '../kit/callers.ts';
import { post } from '../kit/http.ts';

/** Accepted credentials: Alice belongs to two organizations, so WorkOS asks her to pick one. */
const SIGNED_IN = ['AuthenticationPayload', 'OrganizationSelectionRequiredError'];

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const attempt = async (s: Stack, email: string, password: string) => {
  const { body } = await send(
    s,
    null,
    'mutation($input: SignInWithPasswordInput!) { r: signInWithPassword(input: $input) { __typename ... on TooManyAttemptsError { retryAfterSeconds message } } }',
    { input: { email, password } },
  );
  expect(body.errors).toBeUndefined();
  return body.data?.r as { __typename: string; retryAfterSeconds?: number };
};
const authenticateCalls = (s: Stack) => s.calls()['POST /user_management/authenticate'] ?? 0;

describe('brute force stops at the gateway', () => {
  it('per account: past the limit WorkOS is not asked, even with the right password', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '3', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    for (let i = 0; i < 3; i++) expect((await attempt(stack, 'alice@acme.test', `wrong-${i}`)).__typename).toBe('InvalidCredentialsError');
    const refused = await attempt(stack, 'alice@acme.test', 'Password123!');
    expect(refused.__typename).toBe('TooManyAttemptsError');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await attempt(stack, 'ALICE@acme.test', `wrong-more-${i}`);
    expect(authenticateCalls(stack)).toBe(3);
    // Another account from the same address is not held back by Alice's.
    expect((await attempt(stack, 'bob@acme.test', 'Password123!')).__typename).toBe('AuthenticationPayload');
  });

  it('a sign-in that asks for a further step had the right password: it is no failure', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '2', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    // Alice belongs to two organizations: each right password answers the selection step.
    for (let i = 0; i < 4; i++) expect((await attempt(stack, 'alice@acme.test', 'Password123!')).__typename).toBe('OrganizationSelectionRequiredError');
    expect(authenticateCalls(stack)).toBe(4);
  });

  it('per address: many accounts from one client', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100', GATEWAY_SIGN_IN_IP_LIMIT: '4' } });
    const results = [];
    for (let i = 0; i < 8; i++) results.push((await attempt(stack, `user${i}@acme.test`, 'guess-guess')).__typename);
    expect(results.slice(0, 4)).toEqual(Array(4).fill('InvalidCredentialsError'));
    expect(results.slice(4)).toEqual(Array(4).fill('TooManyAttemptsError'));
    expect(authenticateCalls(stack)).toBe(4);
  });

  it('a successful sign-in clears the account’s failures', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '3', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    await attempt(stack, 'bob@acme.test', 'wrong-1');
    await attempt(stack, 'bob@acme.test', 'wrong-2');
    expect((await attempt(stack, 'bob@acme.test', 'Password123!')).__typename).toBe('AuthenticationPayload');
    await attempt(stack, 'bob@acme.test', 'wrong-3');
    await attempt(stack, 'bob@acme.test', 'wrong-4');
    expect((await attempt(stack, 'bob@acme.test', 'Password123!')).__typename).toBe('AuthenticationPayload');
  });

  it('magic auth codes: sending is limited per email as WorkOS does (3 a minute), guessing per account', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '2', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    const sendCode = async () =>
      ((await send(stack!, null, 'mutation { r: sendMagicAuthCode(input: { email: "bob@acme.test" }) { __typename } }')).body.data?.r as { __typename: string })
        .__typename;
    const sent = [await sendCode(), await sendCode(), await sendCode(), await sendCode()];
    expect(sent).toEqual(['SendMagicAuthCodePayload', 'SendMagicAuthCodePayload', 'SendMagicAuthCodePayload', 'TooManyAttemptsError']);
    expect(stack.calls()['POST /user_management/magic_auth']).toBe(3);

    const guess = async (code: string) =>
      ((await send(stack!, null, `mutation { r: signInWithMagicAuth(input: { email: "bob@acme.test", code: "${code}" }) { __typename } }`)).body.data?.r as {
        __typename: string;
      }).__typename;
    expect([await guess('000001'), await guess('000002'), await guess('000003')]).toEqual([
      'InvalidCredentialsError',
      'InvalidCredentialsError',
      'TooManyAttemptsError',
    ]);
    expect(authenticateCalls(stack)).toBe(2);
  });
});

/** A sign-in as sent through a proxy that appends the client's address to X-Forwarded-For. */
const attemptFrom = async (s: Stack, forwardedFor: string, email: string, password: string) => {
  const { body } = await post(
    s.url,
    'mutation($input: SignInWithPasswordInput!) { r: signInWithPassword(input: $input) { __typename } }',
    { input: { email, password } },
    { authorization: '', 'x-forwarded-for': forwardedFor },
  );
  expect(body.errors).toBeUndefined();
  return (body.data?.r as { __typename: string }).__typename;
};

describe('no lockout by strangers', () => {
  it('failures count per account and address: a stranger’s guesses do not lock the owner out', async () => {
    stack = await startStack({ env: { GATEWAY_TRUST_PROXY: 'loopback', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '3', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    const stranger = [];
    for (let i = 0; i < 5; i++) stranger.push(await attemptFrom(stack, '203.0.113.66', 'alice@acme.test', `guess-${i}`));
    expect(stranger).toEqual(['InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError', 'TooManyAttemptsError', 'TooManyAttemptsError']);
    // Alice, from her own address, signs in at once.
    expect(SIGNED_IN).toContain(await attemptFrom(stack, '198.51.100.7', 'alice@acme.test', 'Password123!'));
    expect(authenticateCalls(stack)).toBe(4);
  });

  it('failures also count per address, across accounts', async () => {
    stack = await startStack({ env: { GATEWAY_TRUST_PROXY: 'loopback', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100', GATEWAY_SIGN_IN_IP_LIMIT: '3' } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attemptFrom(stack, '203.0.113.66', `user${i}@acme.test`, 'guess-guess'));
    expect(results).toEqual(['InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError', 'TooManyAttemptsError', 'TooManyAttemptsError']);
    expect(await attemptFrom(stack, '198.51.100.7', 'bob@acme.test', 'Password123!')).toBe('AuthenticationPayload');
    // Successes are not failures: many people behind one address sign in.
    for (let i = 0; i < 5; i++) expect(await attemptFrom(stack, '198.51.100.7', 'bob@acme.test', 'Password123!')).toBe('AuthenticationPayload');
  });
});

describe('GATEWAY_TRUST_PROXY', () => {
  it('without it, X-Forwarded-For is ignored: rotating it does not escape the per-address limit', async () => {
    stack = await startStack({ env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100', GATEWAY_SIGN_IN_IP_LIMIT: '3' } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attemptFrom(stack, `203.0.113.${i + 1}`, `user${i}@acme.test`, 'guess-guess'));
    expect(results.slice(3)).toEqual(['TooManyAttemptsError', 'TooManyAttemptsError']);
  });

  it('with a hop count, only the entry the trusted proxy added counts: a forged first entry changes nothing', async () => {
    stack = await startStack({ env: { GATEWAY_TRUST_PROXY: '1', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100', GATEWAY_SIGN_IN_IP_LIMIT: '3' } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attemptFrom(stack, `10.9.9.${i + 1}, 203.0.113.66`, `user${i}@acme.test`, 'guess-guess'));
    expect(results.slice(3)).toEqual(['TooManyAttemptsError', 'TooManyAttemptsError']);
    // Another client behind the same proxy has its own count.
    expect(await attemptFrom(stack, '198.51.100.7', 'user9@acme.test', 'guess-guess')).toBe('InvalidCredentialsError');
  });

  it('the client address reaches the audit log context', async () => {
    stack = await startStack({ env: { GATEWAY_TRUST_PROXY: '127.0.0.1/8' } });
    const s = seeded(stack);
    const bob = await tokenFor(stack, s.bob.id);
    const { body } = await post(
      stack.url,
      `mutation { onboardOrganization(input: { name: "Forwarded Co", adminUserId: "${s.bob.id}" }) { __typename } }`,
      undefined,
      { authorization: `Bearer ${bob}`, 'x-forwarded-for': '198.51.100.23' },
    );
    expect(body.data?.onboardOrganization).toEqual({ __typename: 'OnboardOrganizationPayload' });
    expect(stack.emulator.store.auditLogEvents.at(-1)?.event.context).toMatchObject({ location: '198.51.100.23' });
  });

  it('a malformed setting stops the start, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config/index.ts');
    expect(() => loadConfig({ GATEWAY_TRUST_PROXY: '10.0.0.0/99' })).toThrow(/GATEWAY_TRUST_PROXY/);
    expect(() => loadConfig({ GATEWAY_TRUST_PROXY: 'a-proxy' })).toThrow(/GATEWAY_TRUST_PROXY/);
    expect(loadConfig({ GATEWAY_TRUST_PROXY: '10.0.0.0/8, loopback' }).security.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadConfig({ GATEWAY_TRUST_PROXY: '2' }).security.trustProxy).toBe(2);
  });
});
