import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { send } from '../kit/callers.ts';

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
