import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, seeded, send } from '../kit/callers.ts';

/**
 * A 429 pauses the limit it belongs to and nothing more: what one caller sets off (anonymously,
 * through sendMagicAuthCode) must not stop every tenant's sign-ins and writes, and no Retry-After
 * holds a bucket longer than GATEWAY_MAX_RETRY_AFTER_SECONDS.
 */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Result = { __typename: string; retryAfterSeconds?: number };
const result = (body: { data?: Record<string, unknown> | null }) => body.data?.r as Result;

const sendCode = async (s: Stack, email: string) =>
  result((await send(s, null, `mutation($email: String!) { r: sendMagicAuthCode(input: { email: $email }) { __typename ... on TooManyAttemptsError { retryAfterSeconds } } }`, { email })).body);
const signIn = async (s: Stack, email: string) => {
  const { body } = await send(s, null, `mutation($email: String!) { r: signInWithPassword(input: { email: $email, password: "Password123!" }) { __typename ... on TooManyAttemptsError { retryAfterSeconds } } }`, { email });
  expect(codes(body)).toEqual([]);
  return result(body);
};
const statuses = (s: Stack, route: string) => s.emulator.requests.log().filter((r) => r.route === route).map((r) => r.status);

describe('a 429 pauses only the limit it belongs to', () => {
  it('a magic auth 429 for one email stops no sign-in, no user write and no other email', async () => {
    stack = await startStack();
    const s = seeded(stack);
    stack.emulator.faults.add({ method: 'POST', path: '/user_management/magic_auth', status: 429, retryAfter: 60, times: 1 });
    expect((await sendCode(stack, 'bob@acme.test')).__typename).toBe('TooManyAttemptsError');

    // Every tenant's sign-ins and user-management writes go on.
    expect((await signIn(stack, 'alice@acme.test')).__typename).toBe('AuthenticationPayload');
    const update = await send(stack, stack.serviceToken, `mutation { r: updateUser(input: { id: "${s.carol.id}", firstName: "Carol" }) { __typename } }`);
    expect(update.body.data?.r).toEqual({ __typename: 'UserPayload' });
    expect((await sendCode(stack, 'carol@globex.test')).__typename).toBe('SendMagicAuthCodePayload');

    // The email WorkOS refused waits out its pause without asking WorkOS again.
    expect((await sendCode(stack, 'bob@acme.test')).__typename).toBe('TooManyAttemptsError');
    expect(statuses(stack, '/user_management/magic_auth')).toEqual([429, 201]);
    expect(statuses(stack, '/user_management/authenticate')).toEqual([200]);
  });

  it('a directory users 429 pauses that directory only', async () => {
    stack = await startStack();
    const [a, b] = [...stack.emulator.store.directories.values()];
    stack.emulator.faults.add({ method: 'GET', path: '/directory_users', status: 429, retryAfter: 60, times: 1 });
    const users = (id: string) => send(stack!, stack!.serviceToken, `query($id: ID!) { directory(id: $id) { users(first: 2) { edges { node { id } } } } }`, { id });
    const first = await users(a.id);
    expect(codes(first.body)).toEqual(['RATE_LIMITED']);
    const other = await users(b.id);
    expect(other.body.errors).toBeUndefined();
    const org = await send(stack, stack.serviceToken, `query($id: ID!) { organization(id: $id) { id } }`, { id: a.organization_id });
    expect(org.body.errors).toBeUndefined();
  });

  it('a Retry-After beyond the cap pauses a bucket for the cap only', async () => {
    stack = await startStack({ env: { GATEWAY_MAX_RETRY_AFTER_SECONDS: '1', GATEWAY_REQUEST_BUDGET_MS: '5000' } });
    const s = seeded(stack);
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 3600, times: 1 });
    const { body } = await send(stack, stack.serviceToken, `query($id: ID!) { organization(id: $id) { id } }`, { id: s.acme.id });
    // Retried after the capped second, not refused for an hour.
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization).toEqual({ id: s.acme.id });
    expect(statuses(stack, '/organizations/:id')).toEqual([429, 200]);
  });

  it('a sign-in answers TooManyAttemptsError, never a top-level RATE_LIMITED', async () => {
    stack = await startStack({ env: { GATEWAY_MAX_RETRY_AFTER_SECONDS: '30' } });
    stack.emulator.faults.add({ method: 'POST', path: '/user_management/authenticate', status: 429, retryAfter: 3600, times: 1 });
    const refused = await signIn(stack, 'alice@acme.test');
    expect(refused).toEqual({ __typename: 'TooManyAttemptsError', retryAfterSeconds: 30 });
    // Alice's email is paused for the capped 30 s (longer than the request budget): still typed.
    expect((await signIn(stack, 'alice@acme.test')).__typename).toBe('TooManyAttemptsError');
    // Another email is not paused.
    expect((await signIn(stack, 'bob@acme.test')).__typename).toBe('AuthenticationPayload');
    expect(statuses(stack, '/user_management/authenticate')).toEqual([429, 200]);
  });

  it('a sign-in held back by the shared budget is typed too', async () => {
    stack = await startStack({ env: { GATEWAY_RATE_USER_MANAGEMENT_WRITES: '1/60s' } });
    expect((await signIn(stack, 'alice@acme.test')).__typename).toBe('AuthenticationPayload');
    const held = await signIn(stack, 'bob@acme.test');
    expect(held.__typename).toBe('TooManyAttemptsError');
    expect(held.retryAfterSeconds).toBeGreaterThan(0);
    expect(statuses(stack, '/user_management/authenticate')).toEqual([200]);
  });
});

describe('the gateway’s own send limit stays under WorkOS’', () => {
  it('magic auth codes: 3 per email per 60 s, the fourth refused before WorkOS is asked', async () => {
    // WorkOS' own limits on, as documented (3 sends per email per 60 s).
    stack = await startStack({ emulator: { rateLimits: {} }, env: { GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '10', GATEWAY_SIGN_IN_IP_LIMIT: '100' } });
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push((await sendCode(stack, 'bob@acme.test')).__typename);
    expect(sent).toEqual(['SendMagicAuthCodePayload', 'SendMagicAuthCodePayload', 'SendMagicAuthCodePayload', 'TooManyAttemptsError']);
    expect(statuses(stack, '/user_management/magic_auth')).toEqual([201, 201, 201]);
  });

  it('password resets: 3 per email per 60 s, the fourth a typed refusal without a WorkOS call', async () => {
    stack = await startStack({ emulator: { rateLimits: {} } });
    const reset = async () =>
      result((await send(stack!, stack!.serviceToken, `mutation { r: sendPasswordReset(input: { email: "bob@acme.test" }) { __typename } }`)).body).__typename;
    expect([await reset(), await reset(), await reset(), await reset()]).toEqual([
      'SendPasswordResetPayload',
      'SendPasswordResetPayload',
      'SendPasswordResetPayload',
      'TooManyAttemptsError',
    ]);
    expect(statuses(stack, '/user_management/password_reset')).toEqual([201, 201, 201]);
  });
});
