import { randomBytes } from 'node:crypto';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import { subscribe } from '../kit/sse.ts';
import { waitFor } from '../kit/events.ts';

/**
 * /health, /ready and graceful shutdown, against the real emulator: readiness asks WorkOS
 * (through the queue) whether the key is accepted and loads the key set, says which check
 * fails without a secret, and a stop lets in-flight requests finish and ends subscriptions
 * with a final message.
 */
let emulator: EmulatorHandle;
const token = `svc_${randomBytes(32).toString('base64url')}`;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  emulator.requests.reset();
  emulator.faults.clear();
});

const get = async (url: string, path: string) => {
  const res = await fetch(new URL(path, url));
  return { status: res.status, body: (await res.json()) as { status: string; checks?: Record<string, { ok: boolean; error?: string }> } };
};

describe('/health and /ready', () => {
  it('/health is alive; /ready checks the key and the key set at every probe when the interval is 0', async () => {
    const { gateway, url } = await startGateway(emulator, { GATEWAY_SERVICE_TOKENS: token });
    try {
      expect(await get(url, '/health')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(emulator.requests.total()).toBe(0);
      const ready = await get(url, '/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ready');
      expect(ready.body.checks).toMatchObject({ upstream: { ok: true }, jwks: { ok: true } });
      expect(emulator.requests.counts()).toEqual({ 'GET /organizations': 1, 'GET /sso/jwks/:clientId': 1 });
      await get(url, '/ready');
      // The key is asked again; the key set, once loaded, is not.
      expect(emulator.requests.counts()).toEqual({ 'GET /organizations': 2, 'GET /sso/jwks/:clientId': 1 });
      expect((await fetch(new URL('/ready', url), { method: 'POST' })).status).toBe(405);
    } finally {
      await gateway.close();
    }
  });

  it('with an interval, checks once at start and answers probes from that, costing no call', async () => {
    const { gateway, url } = await startGateway(emulator, { GATEWAY_SERVICE_TOKENS: token, GATEWAY_READINESS_INTERVAL_MS: '600000' });
    try {
      for (let i = 0; i < 5; i++) expect((await get(url, '/ready')).status).toBe(200);
      expect(emulator.requests.counts()).toEqual({ 'GET /organizations': 1, 'GET /sso/jwks/:clientId': 1 });
    } finally {
      await gateway.close();
    }
  });

  it('answers 503 naming a refused API key, without the key', async () => {
    const wrongKey = `sk_test_${randomBytes(12).toString('hex')}`;
    const { gateway, url } = await startGateway({ ...emulator, apiKey: wrongKey }, {});
    try {
      const res = await fetch(new URL('/ready', url));
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(JSON.parse(text).checks.upstream).toMatchObject({ ok: false, error: 'WorkOS refused the API key (401): check WORKOS_API_KEY' });
      expect(text).not.toContain(wrongKey);
    } finally {
      await gateway.close();
    }
  });

  it('answers 503 when the key set cannot be loaded (a wrong client id)', async () => {
    const { gateway, url } = await startGateway({ ...emulator, clientId: 'client_01ZZZZZZZZZZZZZZZZZZZZZZZZ' }, {});
    try {
      const ready = await get(url, '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toMatchObject({ upstream: { ok: true }, jwks: { ok: false, error: 'the AuthKit key set (JWKS) could not be loaded' } });
    } finally {
      await gateway.close();
    }
  });

  it('takes checks other parts add (e.g. Redis), and names the failing one', async () => {
    const { gateway, url } = await startGateway(emulator, {});
    try {
      let redisUp = false;
      gateway.readiness.add('redis', async () => {
        if (!redisUp) throw new Error('Redis is unreachable');
      });
      expect(await get(url, '/ready')).toMatchObject({ status: 503, body: { checks: { redis: { ok: false, error: 'Redis is unreachable' }, upstream: { ok: true } } } });
      redisUp = true;
      expect((await get(url, '/ready')).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, ends subscriptions with a final message, then stops accepting', async () => {
    const { gateway, url } = await startGateway(emulator, { GATEWAY_SERVICE_TOKENS: token });
    const orgId = [...emulator.store.organizations.values()][0].id;
    const sub = subscribe(url, token, 'subscription { workosEvents { id } }');
    await sub.ready();
    expect(gateway.subscriptions.size).toBe(1);

    emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 400, times: 1 });
    const slow = post(url, 'query { organization(id: "' + orgId + '") { name } }', undefined, bearer(token));
    await waitFor(() => emulator.requests.total() === 0 && gateway.queue.snapshot().calls === 1, 5_000, 'the slow call to be sent');

    const closing = gateway.close();
    const report = await gateway.readiness.report();
    expect(report).toEqual({ ready: false, checks: { shutdown: { ok: false, error: 'the server is shutting down' } } });

    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ organization: { name: expect.any(String) } });

    await sub.done;
    expect(sub.results).toEqual([{ errors: [expect.objectContaining({ message: 'The server is shutting down; subscribe again.', extensions: { code: 'SHUTTING_DOWN' } })] }]);
    expect(sub.kinds).toEqual(['next', 'complete']);
    expect(gateway.subscriptions.size).toBe(0);

    await closing;
    await expect(fetch(new URL('/health', url))).rejects.toThrow();
  });
});
