import { describe, expect, it } from 'vitest';
import { RateBuckets, WORKOS_RATE_LIMITS } from './rate-buckets.ts';

const call = (method: string, path: string, query = '', body?: unknown) => ({ method, path, searchParams: new URLSearchParams(query), body });

describe('RateBuckets.snapshot', () => {
  it("reports every configured limit's use, the busiest key of per-key limits, and pauses, without keys", () => {
    const buckets = new RateBuckets({ ...WORKOS_RATE_LIMITS, organizationDeletes: false });
    const now = 1_000_000;
    const take = (shape: ReturnType<typeof call>) => buckets.for(shape).forEach((b) => b.take(now));
    take(call('GET', '/organizations'));
    take(call('GET', '/directory_users', 'directory=directory_A'));
    take(call('GET', '/directory_users', 'directory=directory_A'));
    take(call('GET', '/directory_users', 'directory=directory_B'));
    take(call('POST', '/user_management/authenticate', '', { email: 'a@acme.test' }));
    buckets.for(call('GET', '/organizations'))[0].pause(now + 2_000);

    const byLimit = Object.fromEntries(buckets.snapshot(now).map((u) => [u.limit, u]));
    expect(Object.keys(byLimit).sort()).toEqual(['authenticate', 'directoryUsers', 'emailVerification', 'general', 'magicAuth', 'passwordReset', 'userManagementReads', 'userManagementWrites']);
    expect(byLimit.general).toEqual({ limit: 'general', capacity: 6000, windowMs: 60_000, used: 5, remaining: 5995, pausedMs: 2_000, keys: 1 });
    expect(byLimit.directoryUsers).toMatchObject({ used: 2, remaining: 2, keys: 2 });
    expect(byLimit.authenticate).toMatchObject({ used: 1, remaining: 9, keys: 1 });
    expect(byLimit.userManagementReads).toMatchObject({ used: 0, keys: 0 });
    expect(JSON.stringify(buckets.snapshot(now))).not.toMatch(/directory_A|acme/);
    // A window later the calls have left it.
    expect(buckets.snapshot(now + 61_500).find((u) => u.limit === 'general')).toMatchObject({ used: 0, pausedMs: 0 });
  });
});
