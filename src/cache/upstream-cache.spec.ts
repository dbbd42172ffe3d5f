import { describe, expect, it } from 'vitest';
import { UpstreamCache } from './upstream-cache.ts';

const BASE = 'https://api.workos.com';

/** The next fetch in the chain: answers a JSON body naming the URL, and counts its calls. */
function upstream(status = 200) {
  const calls: { url: string; method: string }[] = [];
  let n = 0;
  const next = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ url, method: init?.method ?? (input instanceof Request ? input.method : 'GET') });
    n += 1;
    return new Response(JSON.stringify({ url, n }), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': `req_${n}` } });
  };
  return { calls, next };
}

const newCache = () => new UpstreamCache({ ttlMs: 60_000, maxEntries: 100 });

describe('UpstreamCache', () => {
  it.each([
    '/organizations',
    '/organizations/org_1',
    '/organizations/external_id/acme',
    '/user_management/users?limit=10',
    '/user_management/users/user_1',
    '/user_management/organization_memberships?organization_id=org_1',
    '/user_management/organization_memberships/om_1',
    '/directories/directory_1',
    '/directory_users?directory=directory_1',
    '/directory_groups/directory_group_1',
    '/connections?organization_id=org_1',
  ])('answers a second GET %s from the cache', async (path) => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    const first = await (await fetch(`${BASE}${path}`)).json();
    const second = await fetch(`${BASE}${path}`);
    expect(calls).toHaveLength(1);
    expect(await second.json()).toEqual(first);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect([cache.hits, cache.misses, cache.size]).toEqual([1, 1, 1]);
  });

  it.each([
    ['a membership read that decides access', '/user_management/organization_memberships?user_id=user_1'],
    ['audit log exports', '/audit_logs/exports/audit_log_export_1'],
    ['events', '/events?events=user.created'],
    ['sessions', '/user_management/sessions/session_1'],
    ['a lookalike prefix', '/organizations_extra'],
    ['a user’s sessions', '/user_management/users/user_1/sessions'],
    ['a user’s authentication factors', '/user_management/users/user_1/auth_factors'],
    ['an organization’s audit log retention', '/organizations/org_1/audit_logs_retention'],
    ['invitations', '/user_management/invitations?organization_id=org_1'],
    ['organization roles', '/authorization/organizations/org_1/roles'],
    ['organization domains', '/organization_domains/org_domain_1'],
  ])('never caches %s', async (_label, path) => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    await fetch(`${BASE}${path}`);
    await fetch(`${BASE}${path}`);
    expect(calls).toHaveLength(2);
    expect(cache.size).toBe(0);
    expect(cache.misses).toBe(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('passes %s through untouched', async (method) => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    await fetch(`${BASE}/organizations/org_1`, { method });
    await fetch(`${BASE}/organizations/org_1`, { method });
    expect(calls.map((c) => c.method)).toEqual([method, method]);
    expect(cache.size).toBe(0);
  });

  it('reads the method and URL of a Request', async () => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    await fetch(new Request(`${BASE}/organizations/org_1`));
    await fetch(new Request(`${BASE}/organizations/org_1`));
    await fetch(new Request(`${BASE}/organizations/org_1`, { method: 'DELETE' }));
    expect(calls.map((c) => c.method)).toEqual(['GET', 'DELETE']);
  });

  it('keys by path and sorted query', async () => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    await fetch(`${BASE}/organizations?limit=10&order=desc`);
    await fetch(`${BASE}/organizations?order=desc&limit=10`);
    await fetch(`${BASE}/organizations?order=asc&limit=10`);
    expect(calls).toHaveLength(2);
  });

  it.each([404, 429, 500, 201])('does not store a %i answer', async (status) => {
    const cache = newCache();
    const { calls, next } = upstream(status);
    const fetch = cache.wrap(next);
    const response = await fetch(`${BASE}/organizations/org_1`);
    expect(response.status).toBe(status);
    await fetch(`${BASE}/organizations/org_1`);
    expect(calls).toHaveLength(2);
    expect(cache.size).toBe(0);
  });

  it('the first answer keeps its headers', async () => {
    const cache = newCache();
    const { next } = upstream();
    const response = await cache.wrap(next)(`${BASE}/organizations/org_1`);
    expect(response.headers.get('x-request-id')).toBe('req_1');
  });

  it('does not store a read that an invalidation overtook', async () => {
    const cache = newCache();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { calls, next } = upstream();
    const slow = async (input: string | URL | Request, init?: RequestInit) => {
      await gate;
      return next(input, init);
    };
    const fetch = cache.wrap(slow);
    const pending = fetch(`${BASE}/organizations/org_1`);
    cache.invalidate(() => true);
    release();
    await pending;
    expect(cache.size).toBe(0);
    await fetch(`${BASE}/organizations/org_1`);
    expect(calls).toHaveLength(2);
    expect(cache.size).toBe(1);
  });

  it('invalidate drops what the predicate calls stale and says how many', async () => {
    const cache = newCache();
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    for (const path of ['/organizations/org_1', '/organizations/org_2', '/user_management/users/user_1']) await fetch(`${BASE}${path}`);
    const seen: string[] = [];
    const dropped = cache.invalidate((e) => {
      seen.push(e.path);
      return e.path.startsWith('/organizations/');
    });
    expect(dropped).toBe(2);
    expect(seen.sort()).toEqual(['/organizations/org_1', '/organizations/org_2', '/user_management/users/user_1']);
    expect(cache.size).toBe(1);
    await fetch(`${BASE}/organizations/org_1`);
    await fetch(`${BASE}/user_management/users/user_1`);
    expect(calls).toHaveLength(4);
  });

  it('hands the predicate the path, query parameters and body', async () => {
    const cache = newCache();
    const { next } = upstream();
    await cache.wrap(next)(`${BASE}/directory_users?directory=directory_1`);
    const entries: { path: string; directory: string | null; body: string }[] = [];
    cache.invalidate((e) => {
      entries.push({ path: e.path, directory: e.params.get('directory'), body: e.body });
      return false;
    });
    expect(entries).toEqual([{ path: '/directory_users', directory: 'directory_1', body: JSON.stringify({ url: `${BASE}/directory_users?directory=directory_1`, n: 1 }) }]);
  });

  it('holds at most maxEntries', async () => {
    const cache = new UpstreamCache({ ttlMs: 60_000, maxEntries: 2 });
    const { calls, next } = upstream();
    const fetch = cache.wrap(next);
    for (const id of ['org_1', 'org_2', 'org_3']) await fetch(`${BASE}/organizations/${id}`);
    expect(cache.size).toBe(2);
    // The least recently used went first: org_1 is read again, org_3 still comes from the cache.
    await fetch(`${BASE}/organizations/org_3`);
    await fetch(`${BASE}/organizations/org_1`);
    expect(calls.map((c) => c.url.slice(BASE.length))).toEqual(['/organizations/org_1', '/organizations/org_2', '/organizations/org_3', '/organizations/org_1']);
  });
});
