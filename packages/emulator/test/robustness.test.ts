import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrganizationRecord } from '../src/store.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api } from './helpers.ts';

let em: EmulatorHandle;
beforeAll(async () => {
  em = await startEmulator({ rateLimits: false });
});
afterAll(async () => {
  await em?.close();
});
beforeEach(() => em.reset());

const isJson = (res: { headers: Headers }) => (res.headers.get('content-type') ?? '').includes('application/json');

describe('every error is JSON', () => {
  it('unknown routes are 404 JSON (after auth) and counted as unmatched', async () => {
    const res = await api(em, 'GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(isJson(res)).toBe(true);
    expect(res.body).toMatchObject({ code: 'route_not_found' });
    expect((await api(em, 'PATCH', '/organizations')).status).toBe(404);
    expect(em.requests.counts()['GET (unmatched)']).toBe(1);
  });

  it('missing or wrong API key is 401 JSON; the JWKS is public', async () => {
    const none = await fetch(`${em.url}/organizations`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'unauthorized' });
    const wrong = await api(em, 'GET', '/organizations', undefined, { authorization: 'Bearer sk_test_nope' });
    expect(wrong.status).toBe(401);
    expect(isJson(wrong)).toBe(true);
    const jwks = await fetch(`${em.url}/sso/jwks/${em.clientId}`);
    expect(jwks.status).toBe(200);
  });

  it('malformed JSON is 400, a non-object body 422', async () => {
    const bad = await api(em, 'POST', '/organizations', '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_json' });
    const arr = await api(em, 'POST', '/organizations', '[1,2]');
    expect(arr.status).toBe(422);
    expect(isJson(arr)).toBe(true);
  });

  it('wrong types are 422 naming every bad field', async () => {
    const res = await api(em, 'POST', '/organizations', { name: 42, domain_data: 'acme', external_id: ['x'] });
    expect(res.status).toBe(422);
    const fields = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['domain_data', 'external_id', 'name']);
    const user = await api(em, 'POST', '/user_management/users', { email: 'a@b.test', email_verified: 'yes' });
    expect(user.status).toBe(422);
    expect(user.body).toMatchObject({ errors: [{ field: 'email_verified', code: 'invalid_type' }] });
    const role = await api(em, 'PUT', `/user_management/organization_memberships/${[...em.store.memberships.keys()][0]}`, { role_slug: 7 });
    expect(role.status).toBe(422);
  });

  it('bodies over 1 MB are 413 JSON', async () => {
    const res = await api(em, 'POST', '/organizations', { name: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('an unexpected exception is 500 JSON and the server keeps serving', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...[...em.store.organizations.values()][0], id: 'org_broken', domains: null } as unknown as OrganizationRecord;
    em.store.organizations.set(broken.id, broken);
    const res = await api(em, 'GET', '/organizations?domains=acme.test');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_server_error' });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    em.store.organizations.delete(broken.id);
    expect((await api(em, 'GET', '/organizations?domains=acme.test')).status).toBe(200);
  });

  it('every response carries X-Request-ID', async () => {
    const ok = await api(em, 'GET', '/organizations');
    const missing = await api(em, 'GET', '/organizations/org_missing');
    expect(ok.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(missing.headers.get('x-request-id')).not.toBe(ok.headers.get('x-request-id'));
  });
});

describe('concurrency', () => {
  it('200 concurrent creates leave the store consistent', async () => {
    const before = em.store.organizations.size;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api(em, 'POST', '/organizations', { name: `Parallel ${i}`, domain_data: [{ domain: `parallel-${i}.test`, state: 'verified' }] }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ids = results.map((r) => (r.body as { id: string }).id);
    expect(new Set(ids).size).toBe(200);
    expect(em.store.organizations.size).toBe(before + 200);
    for (const id of ids) expect(em.store.organizations.has(id)).toBe(true);
    expect(em.store.events.filter((e) => e.event === 'organization.created')).toHaveLength(200);
  });

  it('a duplicate-domain race has exactly one winner', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api(em, 'POST', '/organizations', { name: `Racer ${i}`, domain_data: [{ domain: 'race.test', state: 'pending' }] })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect([...em.store.organizations.values()].filter((o) => o.domains.some((d) => d.domain === 'race.test'))).toHaveLength(1);
  });

  it('a duplicate-email race creates one user', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => api(em, 'POST', '/user_management/users', { email: 'same@race.test' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(29);
  });

  it('replays a POST with the same Idempotency-Key instead of creating twice', async () => {
    const body = { name: 'Once Only' };
    const first = await api(em, 'POST', '/organizations', body, { 'idempotency-key': 'key-1' });
    const second = await api(em, 'POST', '/organizations', body, { 'idempotency-key': 'key-1' });
    expect(second.body).toEqual(first.body);
    expect([...em.store.organizations.values()].filter((o) => o.name === 'Once Only')).toHaveLength(1);
  });
});
