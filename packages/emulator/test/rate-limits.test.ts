import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiter, DEFAULT_RATE_LIMITS } from '../src/rate-limits.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api } from './helpers.ts';

const big = { limit: 1_000_000, windowMs: 60_000 };
const generous = {
  general: big,
  userManagementReads: big,
  userManagementWrites: big,
  directoryUsers: big,
  organizationDeletes: big,
  authenticate: big,
  magicAuth: big,
  passwordReset: big,
  emailVerification: big,
};

let em: EmulatorHandle;
beforeAll(async () => {
  em = await startEmulator({ rateLimits: generous });
});
afterAll(async () => {
  await em?.close();
});
beforeEach(() => {
  em.reset();
  em.setRateLimits(generous);
});

const dirs = () => [...em.store.directories.keys()];

describe('rate limit buckets', () => {
  it('uses the documented WorkOS defaults', () => {
    expect(DEFAULT_RATE_LIMITS.general).toEqual({ limit: 6000, windowMs: 60_000 });
    expect(DEFAULT_RATE_LIMITS.directoryUsers).toEqual({ limit: 4, windowMs: 1000 });
  });

  it('general: 429 with Retry-After, X-RateLimit-* and a JSON body', async () => {
    em.setRateLimits({ ...generous, general: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      const ok = await api(em, 'GET', '/organizations');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await api(em, 'GET', '/connections');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'rate_limit_exceeded', message: expect.any(String) });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-request-id')).toBeTruthy();
    expect(em.requests.counts()['GET /connections']).toBe(1);
    expect(em.requests.log().at(-1)).toMatchObject({ route: '/connections', status: 429 });
  });

  it('directory users: 4 per second per directory, another directory is not limited', async () => {
    em.setRateLimits({ ...generous, directoryUsers: { limit: 4, windowMs: 1000 } });
    const [a, b] = dirs();
    const statusesA: number[] = [];
    for (let i = 0; i < 5; i++) statusesA.push((await api(em, 'GET', `/directory_users?directory=${a}`)).status);
    expect(statusesA).toEqual([200, 200, 200, 200, 429]);
    expect((await api(em, 'GET', `/directory_users?directory=${b}`)).status).toBe(200);
    // Other Directory Sync routes are outside the bucket.
    expect((await api(em, 'GET', `/directory_groups?directory=${a}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await api(em, 'GET', `/directory_users?directory=${a}`)).status).toBe(200);
  });

  it('user management reads and writes are separate buckets', async () => {
    em.setRateLimits({ ...generous, userManagementReads: { limit: 2, windowMs: 10_000 }, userManagementWrites: { limit: 1, windowMs: 10_000 } });
    expect((await api(em, 'GET', '/user_management/users')).status).toBe(200);
    expect((await api(em, 'GET', '/user_management/users')).status).toBe(200);
    expect((await api(em, 'GET', '/user_management/users')).status).toBe(429);
    expect((await api(em, 'GET', '/organizations')).status).toBe(200);
    expect((await api(em, 'POST', '/user_management/users', { email: 'w1@example.test' })).status).toBe(201);
    expect((await api(em, 'POST', '/user_management/users', { email: 'w2@example.test' })).status).toBe(429);
  });

  it('organization deletes have their own bucket', async () => {
    em.setRateLimits({ ...generous, organizationDeletes: { limit: 1, windowMs: 60_000 } });
    const [first, second] = [...em.store.organizations.keys()];
    expect((await api(em, 'DELETE', `/organizations/${first}`)).status).toBe(200);
    expect((await api(em, 'DELETE', `/organizations/${second}`)).status).toBe(429);
    expect((await api(em, 'GET', `/organizations/${second}`)).status).toBe(200);
  });

  it('authenticate is limited per email from the JSON body', async () => {
    em.setRateLimits({ ...generous, authenticate: { limit: 2, windowMs: 60_000 } });
    const body = (email: string) => ({ client_id: em.clientId, client_secret: em.apiKey, grant_type: 'password', email, password: 'wrong-password' });
    const a = [];
    for (let i = 0; i < 3; i++) a.push((await api(em, 'POST', '/user_management/authenticate', body('alice@acme.test'))).status);
    expect(a[2]).toBe(429);
    expect(a.slice(0, 2)).not.toContain(429);
    expect((await api(em, 'POST', '/user_management/authenticate', body('bob@acme.test'))).status).not.toBe(429);
  });

  it('sending codes and links: 3 per 60 s per email (per user for verification), by default', async () => {
    expect(DEFAULT_RATE_LIMITS.magicAuth).toEqual({ limit: 3, windowMs: 60_000 });
    expect(DEFAULT_RATE_LIMITS.passwordReset).toEqual({ limit: 3, windowMs: 60_000 });
    expect(DEFAULT_RATE_LIMITS.emailVerification).toEqual({ limit: 3, windowMs: 60_000 });
    em.setRateLimits({ ...generous, magicAuth: DEFAULT_RATE_LIMITS.magicAuth, passwordReset: DEFAULT_RATE_LIMITS.passwordReset, emailVerification: DEFAULT_RATE_LIMITS.emailVerification });
    const send = async (path: string, email: string) => (await api(em, 'POST', path, { email })).status;
    const magic = [];
    for (let i = 0; i < 4; i++) magic.push(await send('/user_management/magic_auth', 'Bob@acme.test'));
    expect(magic).toEqual([201, 201, 201, 429]);
    // Another email, and another kind of send for the same email, are not held back.
    expect(await send('/user_management/magic_auth', 'alice@acme.test')).toBe(201);
    const resets = [];
    for (let i = 0; i < 4; i++) resets.push(await send('/user_management/password_reset', 'bob@acme.test'));
    expect(resets).toEqual([201, 201, 201, 429]);

    const dave = [...em.store.users.values()].find((u) => u.email === 'dave@acme.test')!;
    const verify = [];
    for (let i = 0; i < 4; i++) verify.push((await api(em, 'POST', `/user_management/users/${dave.id}/email_verification/send`, {})).status);
    expect(verify).toEqual([200, 200, 200, 429]);
    const limited = await api(em, 'POST', '/user_management/magic_auth', { email: 'bob@acme.test' });
    expect(limited.body).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('can be switched off', async () => {
    em.setRateLimits(false);
    em.setRateLimits(false);
    const [a] = dirs();
    for (let i = 0; i < 10; i++) expect((await api(em, 'GET', `/directory_users?directory=${a}`)).status).toBe(200);
  });

  it('a rejected request does not use up the other buckets', () => {
    let now = 0;
    const limiter = new RateLimiter({ ...generous, general: { limit: 2, windowMs: 1000 }, directoryUsers: { limit: 1, windowMs: 1000 } }, () => now);
    const charge = [{ bucket: 'general' as const, key: 'k' }, { bucket: 'directoryUsers' as const, key: 'd' }];
    expect(limiter.check(charge)?.allowed).toBe(true);
    expect(limiter.check(charge)?.allowed).toBe(false);
    // The second call did not count against `general`.
    expect(limiter.check([{ bucket: 'general', key: 'k' }])?.allowed).toBe(true);
    now = 1000;
    expect(limiter.check(charge)?.allowed).toBe(true);
  });
});
