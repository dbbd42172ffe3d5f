import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import type { Gateway } from '../../src/gateway.ts';
import { waitFor } from '../kit/events.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import { startRedis, type RedisServer } from '../kit/redis.ts';

/**
 * Two real gateways, one Redis, one emulator: together they stay under one WorkOS limit,
 * a 429 seen by one pauses the other, and without Redis each keeps to its local share.
 */
const LIMIT = 20;
const WINDOW_MS = 1000;
/** The documented jitter margin: sends are kept a window plus 50 ms apart (src/transport/rate-buckets.ts). */
const MARGIN_MS = 50;
/**
 * The windows counted at the emulator: the limit's less the margin, and less as much again
 * because the in-process emulator stamps arrivals on the event loop it shares with both
 * gateways and the clients, so a busy loop bunches its stamps. Without sharing, the same
 * load puts about twice the limit in such a window (the control case below).
 */
const COUNTED_MS = WINDOW_MS - 2 * MARGIN_MS;
const token = `svc_${randomBytes(32).toString('base64url')}`;
const QUERY = 'query ($id: ID!) { organization(id: $id) { id name } }';

/** The most upstream calls that arrived within any span of `ms` (emulator arrival times). */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** `clients` loops per URL, each sending the query until `ms` passed (at most 200 requests each). */
async function load(urls: string[], orgIds: string[], ms: number, clients = 4) {
  const end = Date.now() + ms;
  const outcomes = { ok: 0, errors: [] as unknown[] };
  await Promise.all(
    urls.flatMap((url) =>
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < 200 && Date.now() < end; i++) {
          const { status, body } = await post(url, QUERY, { id: orgIds[(c + i) % orgIds.length] }, bearer(token));
          if (status === 200 && !body.errors && body.data) outcomes.ok++;
          else outcomes.errors.push(body.errors ?? status);
        }
      }),
    ),
  );
  return outcomes;
}

describe('rate buckets shared by two instances through Redis', () => {
  let emulator: EmulatorHandle;
  let redis: RedisServer;
  let orgIds: string[];
  const started: Gateway[] = [];

  const instance = async (env: Record<string, string>) => {
    const { gateway, url } = await startGateway(emulator, {
      GATEWAY_SERVICE_TOKENS: token,
      GATEWAY_RATE_GENERAL: `${LIMIT}/${WINDOW_MS / 1000}s`,
      GATEWAY_REQUEST_BUDGET_MS: '30000',
      GATEWAY_INSTANCES: '2',
      ...env,
    });
    started.push(gateway);
    return { gateway, url };
  };
  const arrivals = (route: string) => emulator.requests.log().filter((e) => `${e.method} ${e.route}` === route).map((e) => e.startedAt);

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false });
    redis = await startRedis();
    orgIds = [...emulator.store.organizations.keys()].slice(0, 10);
  });
  afterAll(async () => {
    await Promise.all(started.map((g) => g.close()));
    await redis.stop();
    await emulator.close();
  });

  it('keeps two instances under one limit in every window, and no client sees an error', async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    emulator.requests.reset();
    const outcomes = await load([a.url, b.url], orgIds, 3000);
    expect(outcomes.errors).toEqual([]);
    const times = arrivals('GET /organizations/:id');
    // Offered far more than the limit: the budget was the bottleneck, and both served.
    expect(times.length).toBeGreaterThanOrEqual(2 * LIMIT);
    expect(busiestWindow(times, COUNTED_MS)).toBeLessThanOrEqual(LIMIT);
    // Redis holds the buckets (keyed by limit, no ids in clear).
    expect(await redis.client.keys('workos-gateway:bucket:general:*')).not.toHaveLength(0);
  });

  it("serves a small tenant on B between a big tenant's flood on A (turns across instances)", async () => {
    const small = `svc_${randomBytes(32).toString('base64url')}`;
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url, GATEWAY_SERVICE_TOKENS: `${token},${small}` });
    // Let the buckets' window from the test before empty out.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
    const finished: string[] = [];
    const flood = Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) =>
        post(a.url, QUERY, { id: orgIds[i % orgIds.length] }, bearer(token)).then((r) => {
          finished.push('big');
          return r;
        }),
      ),
    );
    const smallAnswers = [];
    for (let i = 0; i < 5; i++) {
      smallAnswers.push(await post(b.url, QUERY, { id: orgIds[i] }, bearer(small)));
      finished.push('small');
    }
    const bigAnswers = await flood;
    expect([...smallAnswers, ...bigAnswers].filter((r) => r.body.errors)).toEqual([]);
    // Three windows of backlog on A; the small tenant's five calls, one after another, were done well before it.
    expect(finished.lastIndexOf('small')).toBeLessThan(finished.length - LIMIT);
  });

  it('without Redis the same load through two instances breaks the limit (what sharing prevents)', async () => {
    const a = await instance({});
    const b = await instance({});
    emulator.requests.reset();
    const outcomes = await load([a.url, b.url], orgIds, 2000);
    expect(outcomes.errors).toEqual([]);
    expect(busiestWindow(arrivals('GET /organizations/:id'), COUNTED_MS)).toBeGreaterThan(LIMIT);
  });

  it("pauses B's calls on a limit after a 429 seen through A", async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    const [first, second] = orgIds;
    emulator.requests.reset();
    emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 2, times: 1 });
    const viaA = post(a.url, QUERY, { id: first }, bearer(token));
    // Wait until A has put the pause in Redis (the general bucket's state), then ask B.
    await waitFor(async () => Number(await redis.client.hget('workos-gateway:bucket:general:general:state', 'paused')) > 0, 10_000);
    const refused = emulator.requests.log().find((e) => e.status === 429);
    expect(refused).toBeDefined();
    const viaB = await post(b.url, QUERY, { id: second }, bearer(token));
    expect(viaB.body.errors).toBeUndefined();
    expect((await viaA).body.errors).toBeUndefined();
    const bCall = emulator.requests.log().find((e) => e.path === `/organizations/${second}`);
    expect(bCall).toBeDefined();
    // The pause is a lower bound the code enforces (not a timing threshold): B sent nothing on the
    // general limit for the 2 s of Retry-After (less the margin of two clocks' rounding).
    expect(bCall!.startedAt - refused!.endedAt).toBeGreaterThanOrEqual(2000 - MARGIN_MS);
    expect(b.gateway.queue.snapshot().rateLimited).toBe(0);
  });

  it('keeps to the local share while Redis is down, reports not ready, and stays under the limit as it comes back', async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    await redis.kill();
    emulator.requests.reset();
    // One load across the outage and the return: the window around the return holds the calls
    // made on the local shares (Redis never saw them) and the shared ones after.
    const loading = load([a.url, b.url], orgIds, 4500);
    await new Promise((r) => setTimeout(r, 1500));
    for (const url of [a.url, b.url]) {
      const ready = await fetch(new URL('/ready', url));
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
      expect(report.checks.redis).toMatchObject({ ok: false, error: expect.stringMatching(/local share/) });
    }
    expect(a.gateway.shared?.up()).toBe(false);
    const gauges = async (url: string) => {
      const text = await (await fetch(new URL('/metrics', url))).text();
      return { up: /^gateway_shared_state_up (\d+)$/m.exec(text)?.[1], lost: /^gateway_shared_state_lost_total (\d+)$/m.exec(text)?.[1] };
    };
    expect(await gauges(b.url)).toEqual({ up: '0', lost: '1' });
    await redis.restart();
    await waitFor(() => a.gateway.shared?.up() === true && b.gateway.shared?.up() === true, 10_000);
    const outcomes = await loading;
    expect(outcomes.errors).toEqual([]);
    // Each instance kept to LIMIT / 2 while alone, and to its share for a window after: together under the limit throughout.
    expect(busiestWindow(arrivals('GET /organizations/:id'), COUNTED_MS)).toBeLessThanOrEqual(LIMIT);
    const ready = await fetch(new URL('/ready', a.url));
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.redis.ok).toBe(true);
    expect(await gauges(b.url)).toEqual({ up: '1', lost: '1' });
    expect(await redis.client.keys('workos-gateway:bucket:general:*')).not.toHaveLength(0);
  });

  it("one tenant's spent per-directory limit holds up no other tenant's calls", async () => {
    const other = `svc_${randomBytes(32).toString('base64url')}`;
    const { url } = await instance({ REDIS_URL: redis.url, GATEWAY_SERVICE_TOKENS: `${token},${other}`, GATEWAY_RATE_DIRECTORY_USERS: '1/30s', GATEWAY_REQUEST_BUDGET_MS: '3000' });
    const directoryUser = [...emulator.store.directoryUsers.keys()][0];
    const DIRECTORY_USER = 'query ($id: ID!) { directoryUser(id: $id) { id } }';
    expect((await post(url, DIRECTORY_USER, { id: directoryUser }, bearer(token))).body.errors).toBeUndefined();
    // Its second read cannot have room within its budget: refused at once, not after waiting it out.
    const second = await post(url, DIRECTORY_USER, { id: directoryUser }, bearer(token));
    expect(second.body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await post(url, QUERY, { id: orgIds[i] }, bearer(other)));
    expect(others.map((r) => r.body.errors)).toEqual([undefined, undefined, undefined]);
    // The refusal left a place in that directory's bucket only, none in the general one.
    const general = await redis.client.hgetall('workos-gateway:bucket:general:general:state');
    expect(Object.keys(general).filter((f) => f.startsWith('w:'))).toEqual([]);
  });
});

