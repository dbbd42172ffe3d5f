import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import type { Gateway } from '../../src/gateway.ts';
import { seeded } from '../kit/callers.ts';
import { SECRET, upstream, waitFor, webhookUrl } from '../kit/events.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import { startRedis, type RedisServer } from '../kit/redis.ts';
import { subscribe } from '../kit/sse.ts';
import type { Stack } from '../kit/stack.ts';

const ORG = 'query($id: ID!) { organization(id: $id) { id name } }';
const EVENTS = 'subscription { workosEvents(types: ["organization.updated"]) { id type organizationId data } }';
type Received = { id: string; data: { name?: string } };
const eventsOf = (sub: ReturnType<typeof subscribe>) => sub.results.flatMap((r) => (r.data?.workosEvents ? [r.data.workosEvents as Received] : []));

/** Redis restarts and the followers' lease take longer than a request. */
const LONG = 15_000;

describe('several instances share events and cache invalidations (real redis-server)', () => {
  let redis: RedisServer;
  let emulator: EmulatorHandle;
  let orgId: string;
  const token = `svc_${randomBytes(32).toString('base64url')}`;
  const running: Gateway[] = [];
  let prefix = '';
  let tests = 0;

  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ rateLimits: false });
    orgId = seeded({ emulator } as Stack).acme.id;
  });
  afterAll(async () => {
    while (running.length) await running.pop()!.close();
    await emulator.close();
    await redis.stop();
  });
  beforeEach(async () => {
    // Each test has keys and channels of its own, as two deployments sharing one Redis would.
    prefix = `events-shared-${++tests}:`;
    emulator.clearWebhookEndpoints();
    while (running.length) await running.pop()!.close();
  });

  /** One instance of the pair: the same Redis, emulator, service token and key prefix. */
  async function instance(env: Record<string, string> = {}) {
    const started = await startGateway(emulator, {
      REDIS_URL: redis.url,
      GATEWAY_REDIS_PREFIX: prefix,
      GATEWAY_CACHE_TTL_MS: '60000',
      WORKOS_WEBHOOK_SECRET: SECRET,
      GATEWAY_SERVICE_TOKENS: token,
      ...env,
    });
    running.push(started.gateway);
    return started;
  }
  const pair = async (env: Record<string, string> = {}) => [await instance(env), await instance(env)];

  const nameVia = async (url: string) => {
    const { body } = await post(url, ORG, { id: orgId }, bearer(token));
    expect(body.errors).toBeUndefined();
    return (body.data?.organization as { name: string }).name;
  };
  /** A change made at WorkOS (not through a gateway): its event goes to the registered webhooks. */
  const rename = (name: string) => upstream(emulator, 'PUT', `/organizations/${orgId}`, { name });
  const deliverTo = (url: string) => emulator.addWebhookEndpoint({ url: webhookUrl(url), secret: SECRET });
  const calls = () => emulator.requests.counts();

  it('a webhook delivered to A makes B’s next read fresh', async () => {
    const [a, b] = await pair();
    deliverTo(a.url);
    const before = await nameVia(b.url);
    emulator.requests.reset();
    expect(await nameVia(b.url)).toBe(before);
    expect(calls()).toEqual({});

    const heard = b.gateway.events.heard;
    await rename('Acme Seen By A');
    await waitFor(() => b.gateway.events.heard > heard, LONG, 'B to hear the event A applied');
    expect([a.gateway.events.applied, b.gateway.events.applied]).toEqual([1, 0]);
    emulator.requests.reset();
    expect(await nameVia(b.url)).toBe('Acme Seen By A');
    expect(calls()).toEqual({ 'GET /organizations/:id': 1 });
  });

  it('the same event delivered to both instances is applied once, and a subscriber receives it once', async () => {
    const [a, b] = await pair();
    const seen = { a: [] as boolean[], b: [] as boolean[] };
    a.gateway.events.observe(({ applied }) => seen.a.push(applied));
    b.gateway.events.observe(({ applied }) => seen.b.push(applied));
    const sub = subscribe(b.url, token, EVENTS);
    try {
      await sub.ready();
      deliverTo(a.url);
      deliverTo(b.url);
      await rename('Acme Delivered Twice');
      const id = emulator.store.events.at(-1)!.id;
      await waitFor(() => seen.a.length === 1 && seen.b.length === 1, LONG, 'both deliveries');
      expect([...seen.a, ...seen.b].sort()).toEqual([false, true]);
      expect(a.gateway.events.applied + b.gateway.events.applied).toBe(1);

      // A later event marks the point by which a second copy of the first would have arrived.
      await rename('Acme Marker');
      await waitFor(() => eventsOf(sub).some((e) => e.data.name === 'Acme Marker'), LONG, 'the marker event');
      expect(eventsOf(sub).filter((e) => e.id === id)).toHaveLength(1);
      expect(a.gateway.events.applied + b.gateway.events.applied).toBe(2);
    } finally {
      await sub.close();
    }
  });

  it('a subscriber on B receives an event delivered to A', async () => {
    const [a, b] = await pair();
    const sub = subscribe(b.url, token, EVENTS);
    try {
      await sub.ready();
      deliverTo(a.url);
      await rename('Acme Live On B');
      await waitFor(() => eventsOf(sub).length > 0, LONG, 'the event on B');
      expect(eventsOf(sub)).toEqual([expect.objectContaining({ id: emulator.store.events.at(-1)!.id, organizationId: orgId, data: expect.objectContaining({ name: 'Acme Live On B' }) })]);
      expect([a.gateway.events.applied, b.gateway.events.applied]).toEqual([1, 0]);
    } finally {
      await sub.close();
    }
  });

  it('a write through A makes B’s cached read fresh, without waiting for an event', async () => {
    const [a, b] = await pair();
    const before = await nameVia(b.url);
    emulator.requests.reset();
    expect(await nameVia(b.url)).toBe(before);
    expect(calls()).toEqual({});

    const heard = b.gateway.events.changesHeard;
    const { body } = await post(
      a.url,
      'mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }',
      { input: { id: orgId, name: 'Acme Written Through A' } },
      bearer(token),
    );
    expect(body.data?.updateOrganization).toEqual({ __typename: 'OrganizationPayload' });
    await waitFor(() => b.gateway.events.changesHeard > heard, LONG, 'B to hear of the write');
    // No webhook is registered: B heard of the write from A, not from WorkOS.
    expect(b.gateway.events.applied).toBe(0);
    emulator.requests.reset();
    expect(await nameVia(b.url)).toBe('Acme Written Through A');
    expect(calls()).toEqual({ 'GET /organizations/:id': 1 });
  });

  describe('the Events API follower', () => {
    const follow = { GATEWAY_EVENTS_FOLLOW: 'true', GATEWAY_EVENTS_POLL_MS: '20', GATEWAY_EVENTS_LEASE_MS: '1000' };
    const lease = () => redis.client.get(`${prefix}events:lease`);
    const cursor = async () => (JSON.parse((await redis.client.get(`${prefix}events:cursor`)) ?? '{}') as { after?: string | null }).after;
    const lastEventId = () => emulator.store.events.at(-1)?.id ?? null;

    it('follows on one instance only; when it stops another takes over, losing and repeating nothing', async () => {
      emulator.requests.reset();
      const a = await instance(follow);
      await waitFor(async () => (await lease()) === a.gateway.shared!.instanceId && (await cursor()) === lastEventId(), LONG, 'A to take the lease and set the cursor');
      const b = await instance(follow);
      const [followerA, followerB] = [a.gateway.follower!, b.gateway.follower!];

      // Both tick; only the holder reads the Events API.
      const ticksB = followerB.ticks;
      const readsA = followerA.reads;
      await waitFor(() => followerB.ticks >= ticksB + 10 && followerA.reads >= readsA + 10, LONG, 'both to tick');
      expect(followerB.reads).toBe(0);

      await rename('Acme Follow 1');
      await rename('Acme Follow 2');
      await waitFor(() => a.gateway.events.applied === 2, LONG, 'A to apply two events');
      // Created just before A stops: A applies it on its way out, or B after it takes over.
      await rename('Acme Follow 3');
      await a.gateway.close();
      running.splice(running.indexOf(a.gateway), 1);
      expect(await lease()).not.toBe(a.gateway.shared!.instanceId);

      await rename('Acme Follow 4');
      await rename('Acme Follow 5');
      await rename('Acme Follow 6');
      const created = 6;
      await waitFor(() => a.gateway.events.applied + b.gateway.events.applied === created, LONG, 'B to apply the rest');
      expect(await lease()).toBe(b.gateway.shared!.instanceId);
      // Some more polls of B: nothing is applied twice.
      const ticks = followerB.ticks;
      await waitFor(() => followerB.ticks >= ticks + 10, LONG, 'more polls');
      expect(a.gateway.events.applied + b.gateway.events.applied).toBe(created);
      expect(b.gateway.events.applied).toBeGreaterThanOrEqual(3);
      expect(await cursor()).toBe(lastEventId());

      await b.gateway.close();
      running.splice(running.indexOf(b.gateway), 1);
      // Every Events API read was made by the holder of the lease, and the emulator saw each once.
      expect(calls()['GET /events']).toBe(followerA.reads + followerB.reads);
      expect(await lease()).toBeNull();
    });

    it('a lease left by an instance that died runs out, and the next one continues from the shared cursor', async () => {
      await redis.client.set(`${prefix}events:cursor`, JSON.stringify({ after: lastEventId() }));
      await redis.client.set(`${prefix}events:lease`, 'an-instance-that-died', 'PX', 1000);
      await rename('Acme While Nobody Follows 1');
      await rename('Acme While Nobody Follows 2');
      const b = await instance(follow);
      await waitFor(() => b.gateway.events.applied === 2, LONG, 'B to take over and apply what it missed');
      expect(await lease()).toBe(b.gateway.shared!.instanceId);
      expect(await cursor()).toBe(lastEventId());
    });

    it('after Redis comes back without its data, the follower continues from the cursor it knew, losing nothing', async () => {
      const a = await instance(follow);
      await waitFor(async () => (await lease()) === a.gateway.shared!.instanceId && (await cursor()) === lastEventId(), LONG, 'A to follow');
      const applied = a.gateway.events.applied;
      await redis.kill();
      await waitFor(() => !a.gateway.shared!.up(), LONG, 'A to notice');
      await rename('Acme While Redis Is Gone 1');
      await rename('Acme While Redis Is Gone 2');
      // No persistence: the cursor, the lease and the seen event ids are gone with it.
      await redis.restart();
      await waitFor(() => a.gateway.events.applied === applied + 2, LONG, 'A to apply the two events published meanwhile');
      await waitFor(async () => (await cursor()) === lastEventId(), LONG, 'the cursor back in Redis');
    });
  });

  it('with Redis gone a webhook is still applied where it arrives and nothing hangs; once back, caches were dropped and events are shared again', async () => {
    const [a, b] = await pair();
    deliverTo(a.url);
    const original = await nameVia(a.url);
    await nameVia(b.url);
    const subA = subscribe(a.url, token, EVENTS);
    const subB = subscribe(b.url, token, EVENTS);
    try {
      await Promise.all([subA.ready(), subB.ready()]);
      await redis.kill();
      await waitFor(() => !a.gateway.shared!.up() && !b.gateway.shared!.up(), LONG, 'both to notice');

      const appliedA = a.gateway.events.applied;
      await rename('Acme During The Outage');
      await waitFor(() => a.gateway.events.applied === appliedA + 1, LONG, 'A to apply the webhook alone');
      await waitFor(() => eventsOf(subA).length === 1, LONG, 'A’s subscriber');
      emulator.requests.reset();
      expect(await nameVia(a.url)).toBe('Acme During The Outage');
      expect(calls()).toEqual({ 'GET /organizations/:id': 1 });
      // B could not hear of it: it keeps its cached answer until Redis is back.
      emulator.requests.reset();
      expect(await nameVia(b.url)).toBe(original);
      expect(calls()).toEqual({});
      expect(eventsOf(subB)).toEqual([]);

      await redis.restart();
      await waitFor(() => a.gateway.shared!.up() && b.gateway.shared!.up(), LONG, 'both to reconnect');
      const channel = `${prefix}pubsub:event`;
      await waitFor(async () => ((await redis.client.pubsub('NUMSUB', channel)) as [string, number])[1] === 2, LONG, 'both subscriptions back');
      expect([a.gateway.cache!.size, b.gateway.cache!.size]).toEqual([0, 0]);
      emulator.requests.reset();
      expect(await nameVia(b.url)).toBe('Acme During The Outage');
      expect(calls()).toEqual({ 'GET /organizations/:id': 1 });

      const heard = b.gateway.events.heard;
      await rename('Acme After The Outage');
      await waitFor(() => b.gateway.events.heard > heard, LONG, 'B to hear A’s event again');
      await waitFor(() => eventsOf(subB).length === 1, LONG, 'B’s subscriber');
      emulator.requests.reset();
      expect(await nameVia(b.url)).toBe('Acme After The Outage');
      expect(calls()).toEqual({ 'GET /organizations/:id': 1 });
    } finally {
      await Promise.all([subA.close(), subB.close()]);
    }
  });
});
