import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { post } from '../kit/http.ts';

/**
 * The engine against the real emulator's faults and limits: queries succeed where retries can
 * cover a fault, return partial data with coded errors where they cannot, never hang, and
 * never create twice.
 */
let stack: Stack;
let orgIds: string[];

beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_UPSTREAM_ATTEMPTS: '4', GATEWAY_REQUEST_BUDGET_MS: '8000' } });
  orgIds = [...stack.emulator.store.organizations.keys()];
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.resetCalls();
  stack.gateway.queue.resetStats();
});

const orgQuery = `query($id: ID!) { organization(id: $id) { id name } }`;

describe('faults the queue absorbs', () => {
  it('rides out a 429 storm by waiting for Retry-After', async () => {
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 0, times: 3 });
    const { body } = await post(stack.url, orgQuery, { id: orgIds[0] });
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization).toMatchObject({ id: orgIds[0] });
    expect(stack.calls()['GET /organizations/:id']).toBe(4);
    expect(stack.gateway.queue.snapshot().rateLimited).toBe(3);
  });

  it('retries a burst of 5xx and a dropped connection', async () => {
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 503, times: 2 });
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', drop: true, times: 1 });
    const { body } = await post(stack.url, orgQuery, { id: orgIds[1] });
    expect(body.errors).toBeUndefined();
    expect(stack.calls()['GET /organizations/:id']).toBe(4);
    expect(stack.gateway.queue.snapshot().retries).toBe(3);
  });

  it('returns partial data with a coded error when retries cannot cover the fault', async () => {
    stack.emulator.faults.add({ method: 'GET', path: '/connections', status: 500 });
    const { body } = await post(stack.url, `{ organizations(first: 2) { edges { node { id } } } ssoConnections { edges { node { id } } } }`);
    expect((body.data?.organizations as { edges: unknown[] }).edges).toHaveLength(2);
    expect(body.data?.ssoConnections).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({ path: ['ssoConnections'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(body.errors?.[0].message).not.toMatch(/500|injected|127\.0\.0\.1|sk_/);
    // Four attempts in all, then the error.
    expect(stack.calls()['GET /connections']).toBe(4);
  });

  it('does not retry a create that WorkOS cannot answer twice; a keyed create is made once', async () => {
    // The create happens, but its answer is lost: the retry carries the same Idempotency-Key.
    stack.emulator.faults.add({ method: 'POST', path: '/organizations', status: 502, after: true, times: 1 });
    const before = stack.emulator.store.organizations.size;
    const { body } = await post(stack.url, `mutation { createOrganization(input: { name: "Exactly Once" }) { __typename ... on OrganizationPayload { organization { id name } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.createOrganization).toMatchObject({ __typename: 'OrganizationPayload', organization: { name: 'Exactly Once' } });
    expect(stack.calls()['POST /organizations']).toBe(2);
    expect(stack.emulator.store.organizations.size).toBe(before + 1);
    expect([...stack.emulator.store.organizations.values()].filter((o) => o.name === 'Exactly Once')).toHaveLength(1);
  });
});

describe('coalescing', () => {
  it('shares one upstream GET between identical reads of different requests', async () => {
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 300, times: 1 });
    const results = await Promise.all(Array.from({ length: 5 }, () => post(stack.url, orgQuery, { id: orgIds[2] })));
    for (const { body } of results) expect(body.data?.organization).toMatchObject({ id: orgIds[2] });
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
    expect(stack.gateway.queue.snapshot().coalesced).toBe(4);
  });
});

describe('deadlines and cancellation', () => {
  it('never hangs on a slow upstream: the request budget ends it with a coded error', async () => {
    const slow = await startStack({ env: { GATEWAY_REQUEST_BUDGET_MS: '400', GATEWAY_UPSTREAM_TIMEOUT_MS: '300', GATEWAY_UPSTREAM_ATTEMPTS: '2' } });
    try {
      slow.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 3000 });
      const { body } = await post(slow.url, orgQuery, { id: orgIds[0] });
      expect(body.data?.organization).toBeNull();
      expect(['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED']).toContain(body.errors?.[0].extensions?.code);
    } finally {
      slow.emulator.faults.clear();
      await slow.close();
    }
  });

  it('fails fast with RATE_LIMITED and retryAfter when the budget cannot cover the wait, without calling WorkOS', async () => {
    const tight = await startStack({ env: { GATEWAY_RATE_GENERAL: '1/30s', GATEWAY_REQUEST_BUDGET_MS: '1000' } });
    try {
      const first = await post(tight.url, orgQuery, { id: orgIds[0] });
      expect(first.body.errors).toBeUndefined();
      tight.resetCalls();
      const second = await post(tight.url, orgQuery, { id: orgIds[1] });
      expect(second.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      expect(second.body.errors?.[0].extensions?.retryAfter).toBeGreaterThanOrEqual(25);
      expect(tight.totalCalls()).toBe(0);
    } finally {
      await tight.close();
    }
  });

  it('drops a disconnected client’s queued calls unsent', async () => {
    const narrow = await startStack({ env: { GATEWAY_UPSTREAM_CONCURRENCY: '1' } });
    try {
      const memberships = [...narrow.emulator.store.memberships.keys()].slice(0, 10);
      narrow.emulator.faults.add({ method: 'GET', path: '/user_management/organization_memberships/:id', latencyMs: 400 });
      const controller = new AbortController();
      const pending = fetch(narrow.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${narrow.serviceToken}` },
        body: JSON.stringify({ query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: { ids: memberships } }),
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await new Promise((r) => setTimeout(r, 150));
      controller.abort();
      await pending;
      await new Promise((r) => setTimeout(r, 600));
      // Only the call already in flight reached WorkOS; the other nine never left.
      expect(narrow.calls()['GET /user_management/organization_memberships/:id']).toBe(1);
      expect(narrow.gateway.queue.snapshot().dropped).toBe(9);
    } finally {
      narrow.emulator.faults.clear();
      await narrow.close();
    }
  });
});

describe('rate budget', () => {
  it('keeps under WorkOS limits: many queries, zero 429s upstream, zero errors', async () => {
    const limited = await startStack({
      emulator: { rateLimits: { general: { limit: 10, windowMs: 1000 } } },
      env: { GATEWAY_RATE_GENERAL: '10/1s' },
    });
    try {
      const results = await Promise.all(orgIds.slice(0, 15).map((id) => post(limited.url, orgQuery, { id })));
      for (const { body } of results) expect(body.errors).toBeUndefined();
      expect(limited.emulator.requests.log().filter((r) => r.status === 429)).toHaveLength(0);
      expect(limited.calls()['GET /organizations/:id']).toBe(15);
    } finally {
      await limited.close();
    }
  });

  it('a read shared with a flooding tenant is served at the joining tenant’s turn, not at the end of the flood', async () => {
    const tenantA = `tenant-a-${'a'.repeat(32)}`;
    const tenantB = `tenant-b-${'b'.repeat(32)}`;
    const fair = await startStack({ env: { GATEWAY_UPSTREAM_CONCURRENCY: '1', GATEWAY_SERVICE_TOKENS: `${tenantA},${tenantB}` } });
    try {
      const memberships = [...fair.emulator.store.memberships.keys()];
      fair.emulator.faults.add({ method: 'GET', path: '/user_management/organization_memberships/:id', latencyMs: 30 });
      fair.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 30 });
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      // Tenant A floods, then reads the shared organization at the back of its own line...
      const flood = post(fair.url, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: memberships.slice(0, 30) }, as(tenantA));
      await new Promise((r) => setTimeout(r, 100));
      const floodersRead = post(fair.url, orgQuery, { id: orgIds[0] }, as(tenantA));
      await new Promise((r) => setTimeout(r, 50));
      // ...and tenant B's read of it joins A's call in flight.
      const small = await post(fair.url, orgQuery, { id: orgIds[0] }, as(tenantB));
      expect(small.body.errors).toBeUndefined();
      expect((await floodersRead).body.data?.organization).toMatchObject({ id: orgIds[0] });
      await flood;
      const log = fair.emulator.requests.log().map((r) => r.route);
      expect(log.filter((r) => r === '/organizations/:id')).toHaveLength(1);
      expect(fair.gateway.queue.snapshot().coalesced).toBe(1);
      // The shared call went at B's turn: most of A's flood was still waiting behind it.
      const sharedAt = log.indexOf('/organizations/:id');
      expect(log.slice(sharedAt + 1).length).toBeGreaterThan(15);
    } finally {
      fair.emulator.faults.clear();
      await fair.close();
    }
  });

  it('serves tenants in turn: a small tenant is not starved by a flood', async () => {
    // Two service tokens: each credential is its own tenant.
    const tenantA = `tenant-a-${'a'.repeat(32)}`;
    const tenantB = `tenant-b-${'b'.repeat(32)}`;
    const fair = await startStack({ env: { GATEWAY_UPSTREAM_CONCURRENCY: '1', GATEWAY_SERVICE_TOKENS: `${tenantA},${tenantB}` } });
    try {
      const memberships = [...fair.emulator.store.memberships.keys()];
      fair.emulator.faults.add({ method: 'GET', path: '/user_management/organization_memberships/:id', latencyMs: 30 });
      fair.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 30 });
      const flood = post(fair.url, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: memberships.slice(0, 30) }, { authorization: `Bearer ${tenantA}` });
      await new Promise((r) => setTimeout(r, 100));
      const small = await post(fair.url, orgQuery, { id: orgIds[0] }, { authorization: `Bearer ${tenantB}` });
      expect(small.body.errors).toBeUndefined();
      await flood;
      const log = fair.emulator.requests.log().map((r) => r.route);
      const smallAt = log.indexOf('/organizations/:id');
      expect(smallAt).toBeGreaterThan(0);
      const floodBefore = log.slice(0, smallAt).length;
      const floodAfter = log.slice(smallAt + 1).length;
      // The flood had ~27 calls still queued when the small call arrived; it waited about one turn.
      expect(floodAfter).toBeGreaterThan(20);
      expect(floodBefore).toBeLessThanOrEqual(6);
    } finally {
      fair.emulator.faults.clear();
      await fair.close();
    }
  });
});
