import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, send, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';
import { sleep, startEventsStack, upstream, waitFor } from '../kit/events.ts';
import { subscribe } from '../kit/sse.ts';

const EVENTS = `subscription($types: [String!], $org: ID) {
  workosEvents(types: $types, organizationId: $org) { id type organizationId createdAt data }
}`;

type Received = { id: string; type: string; organizationId: string | null; data: { name?: string } };
const eventsOf = (sub: ReturnType<typeof subscribe>) => sub.results.flatMap((r) => (r.data?.workosEvents ? [r.data.workosEvents as Received] : []));

describe('subscriptions over server-sent events', () => {
  let stack: Stack;
  let s: ReturnType<typeof seeded>;
  let outsider: { id: string };
  beforeAll(async () => {
    stack = await startEventsStack();
    // Looked up before the tests rename organizations.
    s = seeded(stack);
    outsider = s.globexOnly();
  });
  afterAll(() => stack.close());

  it('a service subscriber receives the event of a change made at WorkOS', async () => {
    const sub = subscribe(stack.url, stack.serviceToken, EVENTS, { types: ['organization.updated'] });
    try {
      await sub.ready();
      expect(sub.status).toBe(200);
      await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: 'Acme Live' });
      await waitFor(() => eventsOf(sub).length > 0, 5_000, 'the event');
      expect(eventsOf(sub)[0]).toMatchObject({ type: 'organization.updated', organizationId: s.acme.id, data: { name: 'Acme Live' } });
    } finally {
      await sub.close();
    }
  });

  it('a member of another organization receives nothing of it, and is refused when asking for it', async () => {
    const token = await tokenFor(stack, outsider.id);
    const sub = subscribe(stack.url, token, EVENTS, {});
    try {
      await sub.ready();
      await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: 'Acme Hidden' });
      await upstream(stack.emulator, 'PUT', `/organizations/${s.globex.id}`, { name: 'Globex Seen' });
      await waitFor(() => eventsOf(sub).some((e) => e.organizationId === s.globex.id), 5_000, 'their own organization’s event');
      await sleep(200);
      expect(eventsOf(sub).map((e) => e.organizationId)).not.toContain(s.acme.id);
    } finally {
      await sub.close();
    }

    const refused = subscribe(stack.url, token, EVENTS, { org: s.acme.id });
    await Promise.race([refused.done, sleep(3_000)]);
    await refused.close();
    expect(refused.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(eventsOf(refused)).toEqual([]);
  });

  it('an anonymous caller cannot subscribe', async () => {
    const sub = subscribe(stack.url, null, EVENTS, {});
    await Promise.race([sub.done, sleep(3_000)]);
    await sub.close();
    expect(sub.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('auditLogExportStatus yields the export’s states until it is ready, then ends', async () => {
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation($input: CreateAuditLogExportInput!) { createAuditLogExport(input: $input) { ... on AuditLogExportPayload { auditLogExport { id } } } }`,
      { input: { organizationId: s.globex.id, rangeStart: '2026-10-01T00:00:00.000Z', rangeEnd: '2026-12-01T00:00:00.000Z' } },
    );
    const id = (body.data?.createAuditLogExport as { auditLogExport: { id: string } }).auditLogExport.id;
    const sub = subscribe(stack.url, stack.serviceToken, 'subscription($id: ID!) { auditLogExportStatus(id: $id) { id state } }', { id });
    await Promise.race([sub.done, sleep(10_000)]);
    await sub.close();
    const states = sub.results.map((r) => (r.data?.auditLogExportStatus as { state: string }).state);
    expect(states).toEqual(['PENDING', 'READY']);
  });
});

describe('subscriptions run in their caller’s scope', () => {
  const ORG_EVENTS = `subscription { workosEvents(types: ["organization.updated"]) { id organizationId } }`;

  it('an event’s upstream calls are dropped unsent once the subscriber has gone', async () => {
    const stack = await startEventsStack({ GATEWAY_UPSTREAM_CONCURRENCY: '1' });
    try {
      const s = seeded(stack);
      const sub = subscribe(stack.url, await tokenFor(stack, s.alice.id), ORG_EVENTS);
      await sub.ready();
      stack.resetCalls();
      // A slow read holds the only upstream slot...
      stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', latencyMs: 1_500, times: 1 });
      stack.gateway.queue.resetStats();
      const slow = send(stack, stack.serviceToken, `{ organization(id: "${s.globex.id}") { id } }`);
      await waitFor(() => stack.gateway.queue.snapshot().calls === 1, 5_000, 'the slow read');
      // ...so the event's check of Alice's memberships waits in the queue.
      await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: 'Acme While Queued' });
      await waitFor(() => stack.gateway.queue.snapshot().depth.current === 1, 5_000, 'the subscriber’s queued call');
      await sub.close();
      await slow;
      await waitFor(() => stack.gateway.queue.snapshot().depth.current === 0, 5_000, 'the queue to empty');
      // Only the slow read went out; the gone subscriber's check never did.
      expect(stack.gateway.queue.snapshot().calls).toBe(1);
      expect(stack.gateway.queue.snapshot().dropped).toBe(1);
      expect(stack.calls()['GET /user_management/organization_memberships']).toBeUndefined();
    } finally {
      await stack.close();
    }
  });

  it('each event gets a fresh budget: an event long after the start is still decided', async () => {
    const stack = await startEventsStack({ GATEWAY_REQUEST_BUDGET_MS: '300' });
    try {
      const s = seeded(stack);
      const sub = subscribe(stack.url, await tokenFor(stack, s.alice.id), ORG_EVENTS);
      try {
        await sub.ready();
        await sleep(600);
        await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: 'Acme Later' });
        await waitFor(() => eventsOf(sub).length > 0 || sub.ended, 5_000, 'the event');
        expect(eventsOf(sub).map((e) => e.organizationId)).toEqual([s.acme.id]);
      } finally {
        await sub.close();
      }
    } finally {
      await stack.close();
    }
  });

  it('one caller may hold GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER streams; beyond that a clear error', async () => {
    const stack = await startEventsStack({ GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER: '2' });
    const subs: ReturnType<typeof subscribe>[] = [];
    try {
      const s = seeded(stack);
      const alice = await tokenFor(stack, s.alice.id);
      for (let i = 0; i < 2; i++) subs.push(subscribe(stack.url, alice, ORG_EVENTS));
      await Promise.all(subs.map((sub) => sub.ready()));
      const third = subscribe(stack.url, alice, ORG_EVENTS);
      await Promise.race([third.done, sleep(3_000)]);
      await third.close();
      const errors = third.results.flatMap((r) => r.errors ?? []);
      expect(errors.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
      expect(errors[0].message).toContain('At most 2 open subscriptions');

      // Another caller is not held back by Alice's streams.
      const other = subscribe(stack.url, stack.serviceToken, ORG_EVENTS);
      subs.push(other);
      await other.ready();

      // Once one of hers ends, she may open another.
      await subs[0].close();
      let again: ReturnType<typeof subscribe> | undefined;
      for (let attempt = 0; attempt < 20 && !again; attempt++) {
        const candidate = subscribe(stack.url, alice, ORG_EVENTS);
        await candidate.ready();
        if (candidate.results.some((r) => r.errors?.length)) await candidate.close();
        else again = candidate;
      }
      expect(again).toBeDefined();
      subs.push(again!);
      await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: 'Acme Again' });
      await waitFor(() => eventsOf(again!).length > 0 && eventsOf(other).length > 0, 5_000, 'the event on both');
    } finally {
      for (const sub of subs) await sub.close();
      await stack.close();
    }
  });
});
