import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.ts';
import { codes, seeded, send, tokenFor } from '../kit/callers.ts';
import { SELECT_ORGANIZATION, SIGN_IN } from '../kit/cookies.ts';
import { waitFor } from '../kit/events.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import { startRedis, type RedisServer } from '../kit/redis.ts';
import { startStack, type Stack } from '../kit/stack.ts';

/**
 * The auth state several instances share through Redis (src/auth/sign-in-limits.ts,
 * export-owners.ts, revoked-sessions.ts): two real gateways in this process, one real
 * redis-server, one emulator, everything over HTTP.
 */
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());


interface Pair {
  stack: Stack;
  /** Instance A's GraphQL URL (the stack's gateway) and instance B's. */
  a: string;
  b: string;
  gateways: Gateway[];
  close(): Promise<void>;
}

let pairs = 0;
let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

/** Instances A and B on one Redis (a key prefix of their own per test) and one emulator. */
async function startPair(env: Record<string, string> = {}): Promise<Pair> {
  const shared = { REDIS_URL: redis.url, GATEWAY_INSTANCES: '2', GATEWAY_REDIS_PREFIX: `auth-shared-${++pairs}:`, ...env };
  const stack = await startStack({ env: shared });
  const b = await startGateway(stack.emulator, { ...shared, GATEWAY_SERVICE_TOKENS: stack.serviceToken });
  const gateways = [stack.gateway, b.gateway];
  await waitFor(() => gateways.every((g) => g.shared?.up()), 15_000, 'both instances on Redis');
  pair = {
    stack,
    a: stack.url,
    b: b.url,
    gateways,
    close: async () => {
      await b.gateway.close();
      await stack.close();
    },
  };
  return pair;
}

const SIGN_IN_RESULT = 'mutation($input: SignInWithPasswordInput!) { r: signInWithPassword(input: $input) { __typename ... on TooManyAttemptsError { retryAfterSeconds } } }';

/** One password sign-in without a token, through the instance at `url`. */
async function attempt(url: string, email: string, password: string): Promise<{ __typename: string; retryAfterSeconds?: number }> {
  const { body } = await post(url, SIGN_IN_RESULT, { input: { email, password } }, bearer(null));
  expect(body.errors).toBeUndefined();
  return body.data?.r as { __typename: string; retryAfterSeconds?: number };
}

/** Failed sign-ins of distinct accounts (so only the per-address limit applies) through `url`. */
async function failures(url: string, from: number, count: number): Promise<string[]> {
  const results: string[] = [];
  for (let i = from; i < from + count; i++) results.push((await attempt(url, `nobody${i}@acme.test`, 'not-the-password')).__typename);
  return results;
}

const authenticateCalls = (stack: Stack) => stack.calls()['POST /user_management/authenticate'] ?? 0;
const readiness = async (url: string) => (await fetch(new URL('/ready', url))).status;
const INVALID = 'InvalidCredentialsError';
const REFUSED = 'TooManyAttemptsError';

describe('sign-in limits are counted across instances', () => {
  it('per address: failures split over A and B reach the limit, and the next attempt is refused on either', async () => {
    const { stack, a, b } = await startPair({ GATEWAY_SIGN_IN_IP_LIMIT: '6', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100' });
    // Four through A is more than A's local share (3): the count is the shared one.
    expect(await failures(a, 0, 4)).toEqual(Array(4).fill(INVALID));
    expect(await failures(b, 4, 2)).toEqual(Array(2).fill(INVALID));
    const onB = await attempt(b, 'nobody6@acme.test', 'not-the-password');
    expect(onB.__typename).toBe(REFUSED);
    expect(onB.retryAfterSeconds).toBeGreaterThan(0);
    expect(await failures(a, 7, 1)).toEqual([REFUSED]);
    expect(authenticateCalls(stack)).toBe(6);
  });

  it('per account and address: the right password is refused on B after the failures through A and B', async () => {
    const { stack, a, b } = await startPair({ GATEWAY_SIGN_IN_IP_LIMIT: '100', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '3' });
    expect((await attempt(a, 'bob@acme.test', 'wrong-1')).__typename).toBe(INVALID);
    expect((await attempt(b, 'bob@acme.test', 'wrong-2')).__typename).toBe(INVALID);
    expect((await attempt(a, 'BOB@acme.test', 'wrong-3')).__typename).toBe(INVALID);
    expect((await attempt(b, 'bob@acme.test', 'Password123!')).__typename).toBe(REFUSED);
    expect((await attempt(a, 'bob@acme.test', 'Password123!')).__typename).toBe(REFUSED);
    expect(authenticateCalls(stack)).toBe(3);
    // Another account from the same address is not held back.
    expect((await attempt(b, 'dave@acme.test', 'wrong')).__typename).toBe(INVALID);
  });

  it('magic auth codes: 3 sends per email a minute through both instances together', async () => {
    const { stack, a, b } = await startPair();
    const sendCode = async (url: string) =>
      ((await post(url, 'mutation { r: sendMagicAuthCode(input: { email: "bob@acme.test" }) { __typename } }', undefined, bearer(null))).body.data?.r as { __typename: string })
        .__typename;
    expect([await sendCode(a), await sendCode(b), await sendCode(a), await sendCode(b)]).toEqual([
      'SendMagicAuthCodePayload',
      'SendMagicAuthCodePayload',
      'SendMagicAuthCodePayload',
      REFUSED,
    ]);
    expect(stack.calls()['POST /user_management/magic_auth']).toBe(3);
  });
});

const CREATE_EXPORT =
  'mutation($input: CreateAuditLogExportInput!) { createAuditLogExport(input: $input) { ... on AuditLogExportPayload { auditLogExport { id } } } }';
const day = 24 * 3600_000;

describe('audit log export owners are shared', () => {
  it('an export created through A is readable through B by its organization’s admin, and by no one else', async () => {
    const { stack, b } = await startPair();
    const s = seeded(stack);
    const alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    const { body } = await send(stack, alice, CREATE_EXPORT, {
      input: { organizationId: s.acme.id, rangeStart: new Date(Date.now() - day).toISOString(), rangeEnd: new Date().toISOString() },
    });
    expect(body.errors).toBeUndefined();
    const id = (body.data?.createAuditLogExport as { auditLogExport: { id: string } }).auditLogExport.id;
    const readOnB = async (token: string) => (await post(b, `{ auditLogExport(id: "${id}") { id } node(id: "${id}") { id } }`, undefined, bearer(token))).body;

    expect((await readOnB(alice)).data).toEqual({ auditLogExport: { id }, node: { id } });
    expect((await readOnB(stack.serviceToken)).data).toEqual({ auditLogExport: { id }, node: { id } });
    // A plain member of Acme, an admin of another tenant (Carol: Globex's admin, a member of Acme), and a Globex-only member.
    for (const user of [s.bob, s.carol, s.globexOnly()]) {
      const refused = await readOnB(await tokenFor(stack, user.id));
      expect(refused.data).toEqual({ auditLogExport: null, node: null });
      expect(codes(refused)).toEqual([]);
    }
  });
});

const VIEWER = '{ viewer { kind user { email } } }';

describe('signed-out sessions are shared', () => {
  it('a session signed out through A is refused on B, at no upstream cost', async () => {
    const { stack, a, b } = await startPair();
    const signedIn = await post(a, SIGN_IN, { email: 'bob@acme.test', password: 'Password123!' }, bearer(null));
    const { accessToken } = signedIn.body.data?.signInWithPassword as { accessToken: string };
    expect((await post(b, VIEWER, undefined, bearer(accessToken))).body.data?.viewer).toEqual({ kind: 'USER', user: { email: 'bob@acme.test' } });

    const out = await post(a, 'mutation { signOut { sessionId } }', undefined, bearer(accessToken));
    expect(out.body.data?.signOut).toEqual({ sessionId: decodeJwt(accessToken).sid });

    stack.resetCalls();
    const onB = await post(b, VIEWER, undefined, bearer(accessToken));
    expect(onB.status).toBe(401);
    expect(codes(onB.body)).toEqual(['UNAUTHENTICATED']);
    expect(stack.totalCalls()).toBe(0);
    expect((await post(a, VIEWER, undefined, bearer(accessToken))).status).toBe(401);
  });
});

describe('Redis unreachable', () => {
  it('both instances keep answering sign-ins within the local share, report not ready, and share the count again once Redis is back', async () => {
    const { stack, a, b, gateways } = await startPair({ GATEWAY_SIGN_IN_IP_LIMIT: '6', GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100' });
    expect([await readiness(a), await readiness(b)]).toEqual([200, 200]);

    await redis.kill();
    await waitFor(() => gateways.every((g) => !g.shared?.up()), 15_000, 'both instances noticing the outage');
    // GATEWAY_SIGN_IN_IP_LIMIT 6 over GATEWAY_INSTANCES 2: each instance allows 3 on its own.
    expect(await failures(a, 0, 4)).toEqual([INVALID, INVALID, INVALID, REFUSED]);
    expect(await failures(b, 4, 4)).toEqual([INVALID, INVALID, INVALID, REFUSED]);
    expect(authenticateCalls(stack)).toBe(6);
    expect([await readiness(a), await readiness(b)]).toEqual([503, 503]);

    await redis.restart();
    await waitFor(() => gateways.every((g) => g.shared?.up()), 15_000, 'both instances back on Redis');
    expect([await readiness(a), await readiness(b)]).toEqual([200, 200]);
    // Shared again (the restarted Redis starts from zero): four through A is past A's local share.
    expect(await failures(a, 10, 4)).toEqual(Array(4).fill(INVALID));
    expect(await failures(b, 14, 2)).toEqual(Array(2).fill(INVALID));
    expect(await failures(b, 16, 1)).toEqual([REFUSED]);
    expect(await failures(a, 17, 1)).toEqual([REFUSED]);
    expect(authenticateCalls(stack)).toBe(12);
  });

  it('a sign-out seen while Redis is down is refused on the other instance once Redis is back', async () => {
    const { a, b, gateways } = await startPair();
    const signedIn = await post(a, SIGN_IN, { email: 'bob@acme.test', password: 'Password123!' }, bearer(null));
    const { accessToken } = signedIn.body.data?.signInWithPassword as { accessToken: string };

    await redis.kill();
    await waitFor(() => gateways.every((g) => !g.shared?.up()), 15_000, 'both instances noticing the outage');
    expect((await post(a, 'mutation { signOut { sessionId } }', undefined, bearer(accessToken))).body.data?.signOut).toEqual({
      sessionId: decodeJwt(accessToken).sid,
    });
    // Down: A refuses it, B (which never heard of it) still lets it in.
    expect((await post(a, VIEWER, undefined, bearer(accessToken))).status).toBe(401);
    expect((await post(b, VIEWER, undefined, bearer(accessToken))).status).toBe(200);

    await redis.restart();
    await waitFor(() => gateways.every((g) => g.shared?.up()), 15_000, 'both instances back on Redis');
    // A writes back what it remembered during the outage; bounded wait for that write.
    const refusedOnB = async () => (await post(b, VIEWER, undefined, bearer(accessToken))).status === 401;
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await refusedOnB();
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
  });
});

describe('what Redis holds', () => {
  it('no email, password, token, code or session id in any key or value', async () => {
    const { stack, a, b } = await startPair({ GATEWAY_SIGN_IN_ACCOUNT_LIMIT: '100', GATEWAY_SIGN_IN_IP_LIMIT: '100' });
    const s = seeded(stack);
    const prefix = stack.gateway.shared!.config.keyPrefix;
    const passwords = ['Wrong-Secret-1', 'Wrong-Secret-2', 'Password123!'];
    expect((await attempt(a, 'bob@acme.test', passwords[0]!)).__typename).toBe(INVALID);
    expect((await attempt(b, 'bob@acme.test', passwords[1]!)).__typename).toBe(INVALID);
    const bob = (await post(b, SIGN_IN, { email: 'bob@acme.test', password: passwords[2] }, bearer(null))).body.data?.signInWithPassword as {
      accessToken: string;
      refreshToken: string;
    };
    expect(bob.accessToken).toBeTruthy();
    // Alice (two organizations) gets a pending sign-in; its token keys the limits of the next step.
    const pending = (await post(a, SIGN_IN, { email: 'alice@acme.test', password: 'Password123!' }, bearer(null))).body.data?.signInWithPassword as {
      pendingAuthenticationToken: string;
      organizations: { id: string }[];
    };
    expect(pending.pendingAuthenticationToken).toBeTruthy();
    const selected = await post(b, SELECT_ORGANIZATION, { token: pending.pendingAuthenticationToken, org: s.acme.id }, bearer(null));
    const alice = selected.body.data?.signInWithOrganizationSelection as { __typename: string; accessToken: string; refreshToken: string };
    expect(alice.__typename).toBe('AuthenticationPayload');
    // A magic auth code sent through A and guessed wrong through B.
    const sent = await post(a, 'mutation { r: sendMagicAuthCode(input: { email: "dave@acme.test" }) { __typename } }', undefined, bearer(null));
    expect(sent.body.data?.r).toEqual({ __typename: 'SendMagicAuthCodePayload' });
    const code = stack.emulator.store.auth.magicAuthCodes.get('dave@acme.test')!.code;
    const wrongCode = code === '000000' ? '111111' : '000000';
    const guessed = await post(b, `mutation { r: signInWithMagicAuth(input: { email: "dave@acme.test", code: "${wrongCode}" }) { __typename } }`, undefined, bearer(null));
    expect(guessed.body.data?.r).toEqual({ __typename: INVALID });
    // A password reset token nobody issued, an export, and a sign-out.
    const resetToken = 'reset-token-nobody-issued-0123456789';
    const reset = await post(b, `mutation { r: resetPassword(input: { token: "${resetToken}", newPassword: "Another-Secret-9!" }) { __typename } }`, undefined, bearer(null));
    expect(reset.body.data?.r).toEqual({ __typename: INVALID });
    const admin = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    const created = await send(stack, admin, CREATE_EXPORT, {
      input: { organizationId: s.acme.id, rangeStart: new Date(Date.now() - day).toISOString(), rangeEnd: new Date().toISOString() },
    });
    const exportId = (created.body.data?.createAuditLogExport as { auditLogExport: { id: string } }).auditLogExport.id;
    expect((await post(a, 'mutation { signOut { sessionId } }', undefined, bearer(bob.accessToken))).body.data?.signOut).toEqual({
      sessionId: decodeJwt(bob.accessToken).sid,
    });

    // Every key of this pair, and what each holds, whatever its type.
    const keys = await redis.client.keys(`${prefix}*`);
    const values: string[] = [];
    for (const key of keys) {
      const type = await redis.client.type(key);
      if (type === 'string') values.push((await redis.client.get(key)) ?? '');
      else if (type === 'hash') values.push(...Object.entries(await redis.client.hgetall(key)).flat());
      else if (type === 'list') values.push(...(await redis.client.lrange(key, 0, -1)));
      else if (type === 'set') values.push(...(await redis.client.smembers(key)));
      else if (type === 'zset') values.push(...(await redis.client.zrange(key, 0, -1)));
      else throw new Error(`unexpected type ${type} of ${key}`);
    }
    // What the scan looks at is there: the counters, the export's owner, the signed-out session.
    expect(keys.some((k) => k.startsWith(`${prefix}sign-in-ip:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}sign-in-account-ip:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}email-sends:`))).toBe(true);
    expect(await redis.client.get(`${prefix}export-owner:${exportId}`)).toBe(s.acme.id);
    expect(keys.filter((k) => k.startsWith(`${prefix}signed-out:`))).toHaveLength(1);

    const text = [...keys, ...values].join('\n').toLowerCase();
    const secrets = [
      'bob@acme.test',
      'alice@acme.test',
      'dave@acme.test',
      ...passwords,
      'Another-Secret-9!',
      bob.accessToken,
      bob.refreshToken,
      alice.accessToken,
      alice.refreshToken,
      pending.pendingAuthenticationToken,
      resetToken,
      String(decodeJwt(bob.accessToken).sid),
      stack.serviceToken,
      stack.emulator.apiKey,
    ];
    for (const secret of secrets) expect(text, 'a secret in Redis').not.toContain(secret.toLowerCase());
    // A six-digit code could appear inside a hash by chance: no key part or value is the code itself.
    const parts = [...keys.flatMap((k) => k.split(/[:|]/)), ...values];
    expect(parts).not.toContain(code);
  });
});
