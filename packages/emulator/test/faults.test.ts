import { NotFoundException } from '@workos-inc/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pathPattern } from '../src/faults.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api, caught, sdkFor } from './helpers.ts';

let em: EmulatorHandle;
let orgId: string;
beforeAll(async () => {
  em = await startEmulator({ rateLimits: false });
  orgId = [...em.store.organizations.keys()][0];
});
afterAll(async () => {
  await em?.close();
});
beforeEach(() => em.reset());

describe('fault injection', () => {
  it('answers with a status, body and Retry-After', async () => {
    em.faults.add({ path: '/organizations/*', status: 503, body: { message: 'down for a bit' }, retryAfter: 2 });
    const res = await api(em, 'GET', `/organizations/${orgId}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: 'down for a bit' });
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    // The list route is not under /organizations/*.
    expect((await api(em, 'GET', '/organizations')).status).toBe(200);
  });

  it('defaults to a JSON body; 429 gets rate_limit_exceeded', async () => {
    em.faults.add({ path: '/organizations', status: 429, times: 1 });
    const res = await api(em, 'GET', '/organizations');
    expect(res.body).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('matches route templates and methods', async () => {
    em.faults.add({ path: '/organizations/:id', method: 'DELETE', status: 500 });
    expect((await api(em, 'GET', `/organizations/${orgId}`)).status).toBe(200);
    expect((await api(em, 'DELETE', `/organizations/${orgId}`)).status).toBe(500);
    expect(em.store.organizations.has(orgId)).toBe(true);
  });

  it('applies to the next N matches only (times)', async () => {
    em.faults.add({ path: '/organizations', status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(em, 'GET', '/organizations')).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
  });

  it('applies to a fraction of matches, spread evenly', async () => {
    em.faults.add({ path: '/connections', status: 502, fraction: 0.25 });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await api(em, 'GET', '/connections')).status);
    expect(statuses.filter((s) => s === 502)).toHaveLength(5);
  });

  it('adds latency and then serves the route', async () => {
    em.faults.add({ path: '/organizations', latencyMs: 150, times: 1 });
    const t0 = performance.now();
    const res = await api(em, 'GET', '/organizations');
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection without a response', async () => {
    em.faults.add({ path: '/organizations/*', drop: true, times: 1 });
    await expect(fetch(`${em.url}/organizations/${orgId}`, { headers: { authorization: `Bearer ${em.apiKey}` } })).rejects.toThrow();
    expect(em.requests.log().at(-1)).toMatchObject({ route: '/organizations/:id', status: 0 });
    // The server is still fine afterwards.
    expect((await api(em, 'GET', `/organizations/${orgId}`)).status).toBe(200);
  });

  it('removes and clears faults', async () => {
    const id = em.faults.add({ path: '/**', status: 500 });
    expect((await api(em, 'GET', '/connections')).status).toBe(500);
    em.faults.remove(id);
    expect((await api(em, 'GET', '/connections')).status).toBe(200);
    em.faults.add({ path: '/**', status: 500 });
    em.faults.clear();
    expect((await api(em, 'GET', '/connections')).status).toBe(200);
  });

  it('glob patterns', () => {
    expect(pathPattern('/organizations/*').test('/organizations/org_1')).toBe(true);
    expect(pathPattern('/organizations/*').test('/organizations/org_1/x')).toBe(false);
    expect(pathPattern('/organizations/**').test('/organizations/org_1/x')).toBe(true);
    expect(pathPattern('/user_management/*/:id').test('/user_management/users/user_1')).toBe(true);
  });
});

describe('request counters', () => {
  it('counts by route template with the final status, including 401 and faults', async () => {
    const workos = sdkFor(em);
    await workos.organizations.getOrganization(orgId);
    await workos.organizations.getOrganization(orgId);
    await caught(workos.organizations.getOrganization('org_missing')).then((e) => expect(e).toBeInstanceOf(NotFoundException));
    await fetch(`${em.url}/organizations`);
    em.faults.add({ path: '/connections', status: 500, times: 1 });
    await api(em, 'GET', '/connections');
    expect(em.requests.counts()).toEqual({ 'GET /organizations/:id': 3, 'GET /organizations': 1, 'GET /connections': 1 });
    expect(em.requests.total()).toBe(5);
    expect(em.requests.log().map((e) => e.status)).toEqual([200, 200, 404, 401, 500]);
    expect(em.requests.log()[2]).toEqual({ method: 'GET', route: '/organizations/:id', path: '/organizations/org_missing', status: 404, startedAt: expect.any(Number), endedAt: expect.any(Number) });
    em.requests.reset();
    expect(em.requests.total()).toBe(0);
  });
});

describe('HTTP test controls under /_emulator', () => {
  it('need no API key, are not counted, and steer faults, counters and reset', async () => {
    const post = (path: string, body?: unknown) =>
      fetch(`${em.url}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

    const added = await post('/faults', { path: '/organizations', status: 500, times: 1 });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect(id).toBeTruthy();
    expect((await api(em, 'GET', '/organizations')).status).toBe(500);
    expect((await api(em, 'GET', '/organizations')).status).toBe(200);

    const counted = (await (await fetch(`${em.url}/_emulator/requests`)).json()) as { total: number; counts: Record<string, number> };
    expect(counted).toMatchObject({ total: 2, counts: { 'GET /organizations': 2 } });

    await post('/faults', { path: '/**', status: 500 });
    expect((await fetch(`${em.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(em, 'GET', '/organizations')).status).toBe(200);

    await post('/requests/reset');
    expect(em.requests.total()).toBe(0);

    await api(em, 'DELETE', `/organizations/${orgId}`);
    expect((await post('/reset')).status).toBe(200);
    expect(em.store.organizations.has(orgId)).toBe(true);

    const bad = await post('/faults', { status: 500 });
    expect(bad.status).toBe(422);
    const info = (await (await fetch(`${em.url}/_emulator/`)).json()) as { clientId: string };
    expect(info.clientId).toBe(em.clientId);
    expect(em.requests.total()).toBe(0);
  });
});
