import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureVerificationException, UnprocessableEntityException, WorkOS } from '@workos-inc/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorConfig } from '../src/context.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import type { EventRecord } from '../src/store.ts';
import { createWebhookDelivery, signWebhook } from '../src/webhooks.ts';
import { api, caught, sdkFor } from './helpers.ts';
import { checkResponse, createSpecCheckedFetch, type SpecCheckedFetch } from './spec-validator.ts';

const SECRET = 'whsec_test_secret';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A tiny webhook receiver on 127.0.0.1; `status` decides each answer (attempt number from 1). */
async function receiver(status: (attempt: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status(received.length)).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const waitFor = async (n: number, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} deliveries, got ${received.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return received;
  };
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, received, waitFor, close };
}

const config = (webhookEndpoints: EmulatorConfig['webhookEndpoints']): EmulatorConfig => ({
  apiKey: 'sk_test',
  clientId: 'client_test',
  baseUrl: () => 'http://127.0.0.1',
  rateLimits: false,
  webhookEndpoints,
  exportDelayMs: 0,
});

const record = (id: string, event = 'test.happened'): EventRecord => ({
  object: 'event',
  id,
  event,
  data: { id: 'thing_1', n: 1 },
  created_at: new Date().toISOString(),
});

describe('GET /events', () => {
  let em: EmulatorHandle;
  let workos: WorkOS;
  let spec: SpecCheckedFetch;
  let orgA: string;
  let orgB: string;
  const types = (list: { data: { event: string }[] }) => list.data.map((e) => e.event);

  beforeAll(async () => {
    em = await startEmulator({ rateLimits: false, seed: false });
    spec = createSpecCheckedFetch();
    workos = sdkFor(em, { fetchFn: spec.fetchFn });
    // Events in order: created A, created B, updated A, updated B, updated A.
    orgA = (await workos.organizations.createOrganization({ name: 'Org A' })).id;
    orgB = (await workos.organizations.createOrganization({ name: 'Org B' })).id;
    await workos.organizations.updateOrganization({ organization: orgA, name: 'Org A2' });
    await workos.organizations.updateOrganization({ organization: orgB, name: 'Org B2' });
    await workos.organizations.updateOrganization({ organization: orgA, name: 'Org A3' });
  });

  afterAll(async () => {
    await em?.close();
  });

  it('filters by a comma list of event types and by organization, newest first by default', async () => {
    const created = await workos.events.listEvents({ events: ['organization.created'] });
    expect(created.data.map((e) => (e.data as { id: string }).id)).toEqual([orgB, orgA]);

    const forA = await workos.events.listEvents({ events: ['organization.created', 'organization.updated'], organizationId: orgA });
    expect(types(forA)).toEqual(['organization.updated', 'organization.updated', 'organization.created']);
    expect(forA.data[0].data).toMatchObject({ id: orgA, name: 'Org A3' });
  });

  it('pages forward with after; list_metadata has only after', async () => {
    const events: ('organization.created' | 'organization.updated')[] = ['organization.created', 'organization.updated'];
    const first = await workos.events.listEvents({ events, limit: 2, order: 'asc' });
    expect(types(first)).toEqual(['organization.created', 'organization.created']);
    expect(first.listMetadata.after).toBe(first.data[1].id);
    const second = await workos.events.listEvents({ events, limit: 2, order: 'asc', after: first.listMetadata.after! });
    expect(second.data.map((e) => (e.data as { name: string }).name)).toEqual(['Org A2', 'Org B2']);
    const last = await workos.events.listEvents({ events, limit: 2, order: 'asc', after: second.listMetadata.after! });
    expect(last.data.map((e) => (e.data as { name: string }).name)).toEqual(['Org A3']);
    expect(last.listMetadata.after).toBeNull();

    const raw = await api(em, 'GET', '/events?events=organization.created%2Corganization.updated&limit=1');
    expect(checkResponse('GET', '/events', raw.status, raw.body).failure).toBeUndefined();
    const body = raw.body as { list_metadata: object; data: Record<string, unknown>[] };
    expect(Object.keys(body.list_metadata)).toEqual(['after']);
    expect(body.data[0]).toEqual({
      object: 'event',
      id: expect.stringMatching(/^event_/),
      event: 'organization.updated',
      data: expect.objectContaining({ object: 'organization', id: orgA }),
      created_at: expect.any(String),
    });
  });

  it('filters by range_start / range_end and rejects a malformed date with 422', async () => {
    const all = await workos.events.listEvents({ events: ['organization.created', 'organization.updated'], order: 'asc' });
    const from = all.data[2].createdAt;
    const ranged = await workos.events.listEvents({ events: ['organization.updated'], rangeStart: from, order: 'asc' });
    expect(ranged.data.length).toBeGreaterThan(0);
    expect(ranged.data.every((e) => e.createdAt >= from)).toBe(true);
    const none = await workos.events.listEvents({ events: ['organization.created'], rangeEnd: '2000-01-01T00:00:00.000Z' });
    expect(none.data).toEqual([]);

    const bad = await caught(workos.events.listEvents({ events: ['organization.created'], rangeStart: 'not-a-date' }));
    expect(bad).toBeInstanceOf(UnprocessableEntityException);
    const res = await api(em, 'GET', '/events?range_start=not-a-date');
    expect(res).toMatchObject({ status: 422, body: { errors: [{ field: 'range_start', code: 'invalid_date' }] } });
  });

  it('passes other event types through (emitted directly)', async () => {
    em.emit('widget.created', { object: 'widget', id: 'widget_1', organization_id: orgB });
    const res = await api(em, 'GET', `/events?events=widget.created&organization_id=${orgB}`);
    expect((res.body as { data: { event: string }[] }).data.map((e) => e.event)).toEqual(['widget.created']);
  });

  it('every JSON body the SDK received matches the OpenAPI spec', () => {
    expect(spec.checked()).toBeGreaterThan(8);
    expect(spec.failures).toEqual([]);
  });
});

describe('signed webhooks', () => {
  const receivers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('delivers emulator events that the SDK verifies; an altered body or stale timestamp is rejected', async () => {
    const hook = await receiver();
    receivers.push(hook);
    const em = await startEmulator({ rateLimits: false, seed: false, webhookEndpoints: [{ url: hook.url, secret: SECRET }] });
    try {
      const workos = sdkFor(em);
      const org = await workos.organizations.createOrganization({ name: 'Hooked Org' });
      const [delivery] = await hook.waitFor(1);

      const sigHeader = String(delivery.headers['workos-signature']);
      expect(sigHeader).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
      expect(Math.abs(Number(/t=(\d+)/.exec(sigHeader)![1]) - Date.now())).toBeLessThan(10_000);
      expect(delivery.headers['content-type']).toBe('application/json');

      const event = await workos.webhooks.constructEvent({ payload: delivery.body, sigHeader, secret: SECRET });
      expect(event).toMatchObject({ event: 'organization.created', data: { id: org.id, name: 'Hooked Org' } });
      expect(Object.keys(JSON.parse(delivery.body) as object).sort()).toEqual(['created_at', 'data', 'event', 'id']);

      const altered = delivery.body.replace('Hooked Org', 'Hacked Org');
      await expect(workos.webhooks.constructEvent({ payload: altered, sigHeader, secret: SECRET })).rejects.toBeInstanceOf(
        SignatureVerificationException,
      );
      await expect(workos.webhooks.constructEvent({ payload: delivery.body, sigHeader, secret: 'whsec_other' })).rejects.toBeInstanceOf(
        SignatureVerificationException,
      );
      const stale = signWebhook(SECRET, delivery.body, Date.now() - 200_000);
      await expect(workos.webhooks.constructEvent({ payload: delivery.body, sigHeader: stale, secret: SECRET })).rejects.toBeInstanceOf(
        SignatureVerificationException,
      );
    } finally {
      await em.close();
    }
  });

  it('retries a failing endpoint with a fresh signature until it answers 2xx', async () => {
    const hook = await receiver((attempt) => (attempt < 3 ? 500 : 204));
    receivers.push(hook);
    const delivery = createWebhookDelivery(config([{ url: hook.url, secret: SECRET }]), { backoffMs: 10 });
    delivery.deliver(record('event_01JRETRY000000000000000000'));
    const got = await hook.waitFor(3);
    await delivery.close();
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    const workos = new WorkOS('sk_test', { clientId: 'client_test' });
    const last = got[2];
    await expect(
      workos.webhooks.constructEvent({ payload: last.body, sigHeader: String(last.headers['workos-signature']), secret: SECRET }),
    ).resolves.toMatchObject({ id: 'event_01JRETRY000000000000000000', event: 'test.happened' });
  });

  it('reads the endpoints at delivery time and never throws when an endpoint is down', async () => {
    const cfg = config([]);
    const failures: string[] = [];
    const delivery = createWebhookDelivery(cfg, { backoffMs: 5, attempts: 2, onFailure: (endpoint) => failures.push(endpoint.url) });
    delivery.deliver(record('event_01JNOBODY00000000000000000'));

    const hook = await receiver();
    receivers.push(hook);
    cfg.webhookEndpoints.push({ url: hook.url, secret: SECRET });
    // Port 9 on loopback (discard) is closed: connection refused, retried, then reported.
    cfg.webhookEndpoints.push({ url: 'http://127.0.0.1:9/hooks', secret: SECRET });
    expect(() => delivery.deliver(record('event_01JLATER000000000000000000'))).not.toThrow();
    await hook.waitFor(1);
    await delivery.close();
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0].body)).toMatchObject({ id: 'event_01JLATER000000000000000000' });
    expect(failures).toEqual(['http://127.0.0.1:9/hooks']);
  });

  it('close() waits for deliveries on the wire and stops later ones', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = createServer((req, res) => {
      req.resume();
      void gate.then(() => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    receivers.push({ close: () => new Promise<void>((resolve) => slow.close(() => resolve())) });
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    const failures: unknown[] = [];
    const delivery = createWebhookDelivery(config([{ url, secret: SECRET }]), { onFailure: (_e, _ev, err) => failures.push(err) });
    delivery.deliver(record('event_01JSLOW0000000000000000000'));
    await new Promise((r) => setTimeout(r, 50));

    let closed = false;
    const closing = delivery.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(failures).toEqual([]);
    expect(() => delivery.deliver(record('event_01JAFTER000000000000000000'))).not.toThrow();
  });
});
