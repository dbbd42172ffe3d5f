import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedStateUnavailable, SharedStore } from '../../src/shared/store.ts';
import { waitFor } from '../kit/events.ts';
import { startRedis, type RedisServer } from '../kit/redis.ts';


describe('shared state store (real redis-server)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  const storeFor = (url: string, events: string[]) =>
    new SharedStore(
      { redisUrl: url, instances: 2, keyPrefix: 'test-store:', commandTimeoutMs: 300, followerLeaseMs: 5000 },
      { lost: () => events.push('lost'), restored: () => events.push('restored') },
    );

  it('runs commands while Redis answers, fails fast while it is gone, and comes back by itself', async () => {
    const events: string[] = [];
    const store = storeFor(redis.url, events);
    await store.connect();
    expect(store.up()).toBe(true);
    await store.run((r) => r.set(store.key('probe'), 'x'));
    expect(await redis.client.get('test-store:probe')).toBe('x');
    await expect(store.check()).resolves.toBeUndefined();

    await redis.kill();
    await waitFor(() => !store.up(), 10_000);
    await expect(store.run((r) => r.get(store.key('probe')))).rejects.toBeInstanceOf(SharedStateUnavailable);
    await expect(store.check()).rejects.toThrow(/local share/);
    expect(events).toEqual(['lost']);

    await redis.restart();
    await waitFor(() => store.up(), 10_000);
    expect(events).toEqual(['lost', 'restored']);
    await expect(store.run((r) => r.ping())).resolves.toBe('PONG');
    await store.close();
  });

  it('starts, not up, when Redis cannot be reached', async () => {
    const events: string[] = [];
    const store = storeFor('redis://127.0.0.1:1/0', events);
    await store.connect(300);
    expect(store.up()).toBe(false);
    expect(events).toEqual(['lost']);
    await expect(store.run((r) => r.ping())).rejects.toBeInstanceOf(SharedStateUnavailable);
    await store.close();
  });
});
