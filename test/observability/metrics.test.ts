import { signWebhook } from '@workos-graphql-gateway/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, tokenFor } from '../kit/callers.ts';
import { SECRET, startEventsStack, waitFor, webhookUrl } from '../kit/events.ts';
import { bearer, post } from '../kit/http.ts';
import { subscribe } from '../kit/sse.ts';
import type { Stack } from '../kit/stack.ts';

/**
 * GET /metrics after a known workload: every counter is the exact number of things the
 * workload caused, and the upstream counters agree with what the emulator received.
 */
const ORG = 'query OrgById($id: ID!) { organization(id: $id) { name } }';
const SIGN_IN = 'mutation SignIn($input: SignInWithPasswordInput!) { signInWithPassword(input: $input) { __typename } }';
const METRICS_TOKEN = 'metrics-token-for-this-test-0123456789abcdef';

let stack: Stack;
let metrics: string;

/** The value of one series, e.g. value('gateway_cache_hits_total'), value('x', { route: '/a' }). */
function value(name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (wanted.every(([k, v]) => have[k] === v) && Object.keys(have).length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

const scrape = async (token: string | null = METRICS_TOKEN) => fetch(new URL('/metrics', stack.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  // Webhooks not registered: only the deliveries this file sends arrive. The cache is on (it hears events).
  stack = await startEventsStack({ GATEWAY_CACHE_TTL_MS: '60000', GATEWAY_METRICS_TOKEN: METRICS_TOKEN }, false);
  const s = seeded(stack);
  const [orgA, orgB] = [s.acme, s.globex];

  // 1. A 429 (Retry-After 1 s) then the answer: one pause, one retry.
  stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 1, times: 1 });
  expect((await post(stack.url, ORG, { id: orgA.id })).body.errors).toBeUndefined();
  // 2. The same read again: a cache hit, no call.
  expect((await post(stack.url, ORG, { id: orgA.id })).body.errors).toBeUndefined();
  // 3. The organization changes at WorkOS: its webhook, delivered twice (a retry of the delivery).
  const event = JSON.stringify({ id: 'event_metrics_1', event: 'organization.updated', data: { object: 'organization', id: orgA.id, name: orgA.name, domains: [] }, created_at: new Date().toISOString() });
  for (let i = 0; i < 2; i++) {
    const res = await fetch(webhookUrl(stack.url), { method: 'POST', headers: { 'content-type': 'application/json', 'workos-signature': signWebhook(SECRET, event, Date.now()) }, body: event });
    expect(res.status).toBe(200);
    await waitFor(() => stack.gateway.events.applied === 1);
  }
  // 4. Two identical reads at once, the first held up at WorkOS: one call, one joined.
  stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 300, times: 1 });
  const both = await Promise.all([post(stack.url, ORG, { id: orgB.id }), post(stack.url, ORG, { id: orgB.id })]);
  expect(both.map((r) => r.body.errors)).toEqual([undefined, undefined]);
  // 5. A wrong password.
  const signIn = await post(stack.url, SIGN_IN, { input: { email: s.alice.email, password: 'not-the-password' } }, bearer(null));
  expect(signIn.body.data).toEqual({ signInWithPassword: { __typename: 'InvalidCredentialsError' } });
  // 6. An expired token (the key set is fetched to check it), and something that is no JWT at all.
  const expired = await post(stack.url, ORG, { id: orgA.id }, bearer(await tokenFor(stack, s.alice.id, { ttlSeconds: -120 })));
  expect(expired.status).toBe(401);
  expect((await post(stack.url, ORG, { id: orgA.id }, bearer('not.a.jwt'))).status).toBe(401);
  // 7. A subscription opened and closed.
  const sub = subscribe(stack.url, stack.serviceToken, 'subscription Events { workosEvents { id } }');
  await sub.ready();
  metrics = await (await scrape()).text();
  expect(value('gateway_subscriptions_open')).toBe(1);
  await sub.close();
  await waitFor(async () => {
    metrics = await (await scrape()).text();
    return value('gateway_subscriptions_open') === 0;
  });
});

afterAll(() => stack?.close());

describe('GET /metrics', () => {
  it('answers only with the metrics token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong-token-wrong-token-wrong-token-0000')).status).toBe(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
  });

  it('counts GraphQL operations by name and outcome, with durations', () => {
    expect(value('gateway_graphql_operations_total', { operation: 'OrgById', type: 'query', outcome: 'ok' })).toBe(4);
    expect(value('gateway_graphql_operations_total', { operation: 'OrgById', type: 'query', outcome: 'UNAUTHENTICATED' })).toBe(2);
    expect(value('gateway_graphql_operations_total', { operation: 'SignIn', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(value('gateway_graphql_operation_duration_seconds_count', { operation: 'OrgById', type: 'query', outcome: 'ok' })).toBe(4);
    expect(value('gateway_graphql_operations_total', { operation: 'Events', type: 'subscription', outcome: 'ok' })).toBe(1);
  });

  it('counts upstream calls by route template and status, as the emulator saw them', () => {
    const calls = {
      'GET /organizations/:id 429': value('gateway_upstream_requests_total', { method: 'GET', route: '/organizations/:id', status: '429' }),
      'GET /organizations/:id 200': value('gateway_upstream_requests_total', { method: 'GET', route: '/organizations/:id', status: '200' }),
      'POST /user_management/authenticate 400': value('gateway_upstream_requests_total', { method: 'POST', route: '/user_management/authenticate', status: '400' }),
      'GET /sso/jwks/:id 200': value('gateway_upstream_requests_total', { method: 'GET', route: '/sso/jwks/:id', status: '200' }),
    };
    expect(calls).toEqual({ 'GET /organizations/:id 429': 1, 'GET /organizations/:id 200': 2, 'POST /user_management/authenticate 400': 1, 'GET /sso/jwks/:id 200': 1 });
    const series = metrics.split('\n').filter((l) => l.startsWith('gateway_upstream_requests_total{'));
    expect(series).toHaveLength(4);
    expect(stack.totalCalls()).toBe(5);
    expect(value('gateway_upstream_request_duration_seconds_count', { method: 'GET', route: '/organizations/:id' })).toBe(3);
    expect(value('gateway_upstream_queue_wait_seconds_count')).toBe(5);
    // No ids or emails in any label.
    expect(metrics).not.toMatch(/org_[0-9A-Z]{26}|user_[0-9A-Z]{26}|@acme\.test|client_[0-9A-Z]{26}/);
  });

  it('counts 429s, pauses, retries, joined calls and drops', () => {
    expect(value('gateway_upstream_rate_limited_total', { method: 'GET', route: '/organizations/:id' })).toBe(1);
    expect(value('gateway_rate_limit_pauses_total', { limit: 'general' })).toBe(1);
    expect(value('gateway_rate_limit_pause_seconds_total', { limit: 'general' })).toBe(1);
    expect(value('gateway_upstream_retries_total', { method: 'GET', route: '/organizations/:id' })).toBe(1);
    expect(value('gateway_upstream_coalesced_total')).toBe(1);
    expect(value('gateway_upstream_dropped_total')).toBeUndefined();
  });

  it("shows each rate bucket's use and what is left", () => {
    expect(value('gateway_rate_bucket_used', { limit: 'general' })).toBe(5);
    expect(value('gateway_rate_bucket_remaining', { limit: 'general' })).toBe(5995);
    expect(value('gateway_rate_bucket_limit', { limit: 'general' })).toBe(6000);
    expect(value('gateway_rate_bucket_used', { limit: 'userManagementWrites' })).toBe(1);
    expect(value('gateway_rate_bucket_used', { limit: 'authenticate' })).toBe(1);
    expect(value('gateway_rate_bucket_keys', { limit: 'authenticate' })).toBe(1);
    expect(value('gateway_rate_bucket_used', { limit: 'directoryUsers' })).toBe(0);
  });

  it('counts cache hits, misses and invalidated entries, and webhook events with their repeats', () => {
    expect(value('gateway_cache_hits_total')).toBe(1);
    expect(value('gateway_cache_misses_total')).toBe(3);
    expect(value('gateway_cache_invalidated_entries_total')).toBe(1);
    expect(value('gateway_events_total', { source: 'webhook', result: 'applied' })).toBe(1);
    expect(value('gateway_events_total', { source: 'webhook', result: 'duplicate' })).toBe(1);
  });

  it('counts refused sign-ins and refused tokens by reason, and open subscriptions', () => {
    expect(value('gateway_sign_in_refusals_total', { reason: 'invalid_credentials' })).toBe(1);
    expect(value('gateway_auth_refusals_total', { reason: 'expired' })).toBe(1);
    expect(value('gateway_auth_refusals_total', { reason: 'not_a_jwt' })).toBe(1);
    expect(value('gateway_subscriptions_open')).toBe(0);
  });
});
