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
