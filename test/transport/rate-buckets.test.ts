import { describe, expect, it } from 'vitest';
import { bucketKeys, RateBucket, RateBuckets, WORKOS_RATE_LIMITS } from '../../src/transport/rate-buckets.ts';
import { rateLimitValue } from '../../src/config/rate-limits.ts';
import { backoffMs, DEFAULT_RETRY, mayRetry, retryAfterMs } from '../../src/transport/retry-policy.ts';

describe('RateBucket', () => {
  it('lets a small burst through, then paces calls at limit/window', () => {
    const bucket = new RateBucket('t', { limit: 100, windowMs: 1000 });
    const t0 = 1_000_000;
    // A burst of 10% of the limit goes at once...
    for (let i = 0; i < 10; i++) {
      expect(bucket.nextFree(t0)).toBe(t0);
      bucket.take(t0);
    }
    // ...then one call every 10 ms (1000 ms / 100).
    expect(bucket.nextFree(t0)).toBe(t0 + 10);
    bucket.take(t0 + 10);
    expect(bucket.nextFree(t0 + 10)).toBe(t0 + 20);
  });

  it('caps any window at `limit`, with a margin for jitter, however the calls are paced', () => {
    const bucket = new RateBucket('t', { limit: 3, windowMs: 1000 });
    const t0 = 1_000_000;
    let now = t0;
    for (let i = 0; i < 3; i++) {
      now = bucket.nextFree(now);
      bucket.take(now);
    }
    // A small limit keeps its whole burst; the fourth waits for the first to leave the window + 50 ms.
    expect(now).toBeCloseTo(t0, 6);
    expect(bucket.nextFree(now)).toBe(t0 + 1050);
  });

  it('never lets more than `limit` calls into any window, however they are timed', () => {
    const bucket = new RateBucket('t', { limit: 5, windowMs: 100 });
    const sent: number[] = [];
    let now = 0;
    for (let i = 0; i < 200; i++) {
      now = bucket.nextFree(now + (i % 7));
      bucket.take(now);
      sent.push(now);
    }
    for (let i = 5; i < sent.length; i++) expect(sent[i] - sent[i - 5]).toBeGreaterThanOrEqual(100);
  });

  it('holds everything back while paused by a 429', () => {
    const bucket = new RateBucket('t', { limit: 100, windowMs: 1000 });
    bucket.pause(5000);
    expect(bucket.nextFree(1000)).toBe(5000);
    expect(bucket.nextFree(6000)).toBe(6000);
  });
});

describe('bucket selection', () => {
  const keys = (method: string, path: string, query = '', body?: unknown) =>
    bucketKeys({ method, path, searchParams: new URLSearchParams(query), body }).map((k) => k.key);

  it('charges each documented WorkOS limit', () => {
    expect(keys('GET', '/organizations')).toEqual(['general']);
    expect(keys('GET', '/user_management/users')).toEqual(['general', 'um:read']);
    expect(keys('PUT', '/user_management/users/user_1')).toEqual(['general', 'um:write']);
    expect(keys('POST', '/user_management/authenticate', '', { email: 'A@x.test' })).toEqual(['general', 'um:write', 'auth:a@x.test']);
    expect(keys('GET', '/directory_users', 'directory=directory_1')).toEqual(['general', 'dsync:directory_1']);
    expect(keys('DELETE', '/organizations/org_1')).toEqual(['general', 'org:delete']);
  });

  it('gives each email, user, challenge and directory WorkOS counts separately its own narrowest bucket', () => {
    expect(keys('POST', '/user_management/magic_auth', '', { email: 'B@x.test' })).toEqual(['general', 'um:write', 'magic:b@x.test']);
    expect(keys('POST', '/user_management/password_reset', '', { email: 'b@x.test' })).toEqual(['general', 'um:write', 'reset:b@x.test']);
    expect(keys('POST', '/user_management/users/user_1/email_verification/send')).toEqual(['general', 'um:write', 'verify:user_1']);
    const refresh = keys('POST', '/user_management/authenticate', '', { grant_type: 'refresh_token', refresh_token: 'secret-refresh-token' });
    expect(refresh).toHaveLength(3);
    expect(refresh[2]).toMatch(/^auth:refresh_token:/);
    // One-time secrets are hashed, never kept as bucket names.
    expect(refresh[2]).not.toContain('secret-refresh-token');
    expect(keys('GET', '/directory_users', 'group=directory_group_1')).toEqual(['general', 'dsync:group:directory_group_1']);
    expect(keys('GET', '/directory_users/directory_user_1')).toEqual(['general', 'dsync:user:directory_user_1']);
  });

  it('gives every directory its own bucket and skips limits switched off', () => {
    const buckets = new RateBuckets({ ...WORKOS_RATE_LIMITS, general: false });
    const a = buckets.for({ method: 'GET', path: '/directory_users', searchParams: new URLSearchParams('directory=a') });
    const b = buckets.for({ method: 'GET', path: '/directory_users', searchParams: new URLSearchParams('directory=b') });
    expect(a.map((x) => x.name)).toEqual(['dsync:a']);
    expect(b.map((x) => x.name)).toEqual(['dsync:b']);
    expect(a[0]).not.toBe(b[0]);
  });
});

describe('retry policy', () => {
  it('retries reads and idempotent writes, never one-time POSTs', () => {
    const withKey = new Headers({ 'idempotency-key': 'k' });
    expect(mayRetry('GET', '/organizations', new Headers())).toBe(true);
    expect(mayRetry('DELETE', '/organizations/org_1', new Headers())).toBe(true);
    expect(mayRetry('POST', '/organizations', new Headers())).toBe(false);
    expect(mayRetry('POST', '/organizations', withKey)).toBe(true);
    expect(mayRetry('POST', '/user_management/authenticate', withKey)).toBe(false);
    expect(mayRetry('POST', '/user_management/password_reset', withKey)).toBe(false);
  });

  it('backs off exponentially with jitter, bounded', () => {
    expect(backoffMs(DEFAULT_RETRY, 1, () => 0)).toBe(50);
    expect(backoffMs(DEFAULT_RETRY, 3, () => 0.999)).toBeLessThan(400);
    expect(backoffMs(DEFAULT_RETRY, 30, () => 0.999)).toBeLessThan(DEFAULT_RETRY.maxDelayMs);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers())).toBeNull();
  });

  it('parses limit settings and names bad ones', () => {
    expect(rateLimitValue.parse('4/1s')).toEqual({ limit: 4, windowMs: 1000 });
    expect(rateLimitValue.parse('off')).toBe(false);
    expect(rateLimitValue.safeParse('fast').success).toBe(false);
  });
});
