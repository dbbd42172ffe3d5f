import {
  BadRequestException,
  GenericServerException,
  NotFoundException,
  OauthException,
  type CreateAuditLogEventOptions,
  type WorkOS,
} from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api, caught as failure, sdkFor } from './helpers.ts';
import { checkResponse, createSpecCheckedFetch, type SpecCheckedFetch } from './spec-validator.ts';

const EXPORT_DELAY_MS = 300;

let em: EmulatorHandle;
let workos: WorkOS;
let orgId: string;
let otherOrgId: string;
let spec: SpecCheckedFetch;

const event = (over: Partial<CreateAuditLogEventOptions> = {}): CreateAuditLogEventOptions => ({
  action: 'user.signed_in',
  occurredAt: new Date('2026-03-01T10:00:00.000Z'),
  actor: { id: 'user_1', type: 'user', name: 'Jon Smith' },
  targets: [{ id: 'team_1', type: 'team' }],
  context: { location: '203.0.113.7', userAgent: 'Chrome/104' },
  metadata: { plan: 'pro' },
  ...over,
});

/** Awaits a rejection, checks its class and returns it typed. */
async function failsWith<T>(p: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const err: unknown = await failure(p);
  expect(err).toBeInstanceOf(type);
  return err as T;
}

const eventsOf = (org: string) => em.store.auditLogEvents.filter((e) => e.organization_id === org);

/** A raw POST with the API key; its JSON body is checked against the spec as well. */
async function rawPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await api(em, 'POST', path, body, headers);
  expect(checkResponse('POST', path, res.status, res.body).failure).toBeUndefined();
  return { ...res, body: res.body as Record<string, unknown> };
}

beforeAll(async () => {
  em = await startEmulator({
    rateLimits: false,
    exportDelayMs: EXPORT_DELAY_MS,
    seed: { organizations: 3, users: 5, directories: 0, directoryUsersPerDirectory: 0, connections: 0 },
  });
  spec = createSpecCheckedFetch();
  workos = sdkFor(em, { fetchFn: spec.fetchFn });
  [orgId, otherOrgId] = [...em.store.organizations.keys()];
});

afterAll(async () => {
  await em?.close();
});

describe('POST /audit_logs/events', () => {
  it('stores a valid event and answers {success:true}', async () => {
    const before = eventsOf(orgId).length;
    await workos.auditLogs.createEvent(orgId, event());
    expect(eventsOf(orgId)).toHaveLength(before + 1);
    expect(eventsOf(orgId).at(-1)!.event).toMatchObject({ action: 'user.signed_in', occurred_at: '2026-03-01T10:00:00.000Z' });

    const raw = await rawPost('/audit_logs/events', { organization_id: orgId, event: { ...eventBody(), action: 'doc.viewed' } });
    expect(raw).toMatchObject({ status: 200, body: { success: true } });
  });

  it('stores one event for a repeated Idempotency-Key and replays the first response', async () => {
    const before = eventsOf(orgId).length;
    const e = event({ action: 'invoice.paid' });
    await workos.auditLogs.createEvent(orgId, e, { idempotencyKey: 'idem-audit-1' });
    await workos.auditLogs.createEvent(orgId, e, { idempotencyKey: 'idem-audit-1' });
    expect(eventsOf(orgId)).toHaveLength(before + 1);

    const body = { organization_id: orgId, event: eventBody() };
    const first = await rawPost('/audit_logs/events', body, { 'idempotency-key': 'idem-audit-2' });
    const replay = await rawPost('/audit_logs/events', body, { 'idempotency-key': 'idem-audit-2' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay).toMatchObject({ status: 200, body: { success: true } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(eventsOf(orgId)).toHaveLength(before + 2);
  });

  it('refuses the same key with a different body (400 idempotency_key_reused) without storing', async () => {
    await workos.auditLogs.createEvent(orgId, event({ action: 'a.one' }), { idempotencyKey: 'idem-audit-3' });
    const before = eventsOf(orgId).length;
    const err = await failure(workos.auditLogs.createEvent(orgId, event({ action: 'a.two' }), { idempotencyKey: 'idem-audit-3' }));
    expect(err).toBeInstanceOf(GenericServerException);
    expect(err).toMatchObject({ status: 400, code: 'idempotency_key_reused' });
    expect(eventsOf(orgId)).toHaveLength(before);
  });

  it('does not keep a failed response under its key', async () => {
    const key = 'idem-audit-4';
    const bad = await failure(workos.auditLogs.createEvent('org_01AAAAAAAAAAAAAAAAAAAAAAAA', event(), { idempotencyKey: key }));
    expect(bad).toBeInstanceOf(NotFoundException);
    await workos.auditLogs.createEvent(orgId, event(), { idempotencyKey: key });
  });

  it('answers 404 for an unknown organization', async () => {
    const err = await failsWith(workos.auditLogs.createEvent('org_01AAAAAAAAAAAAAAAAAAAAAAAA', event()), NotFoundException);
    expect(err.message).toContain("Organization not found: 'org_01AAAAAAAAAAAAAAAAAAAAAAAA'.");
  });

  it('reports each invalid field as 400 invalid_audit_log_event', async () => {
    const before = em.store.auditLogEvents.length;
    const bad = await failsWith(
      workos.auditLogs.createEvent(orgId, {
        ...event(),
        action: '',
        targets: undefined as never,
        actor: { id: 'user_1' } as never,
        context: {} as never,
      }),
      BadRequestException,
    );
    expect(bad.code).toBe('invalid_audit_log_event');
    const paths = (bad.errors as { instancePath: string }[]).map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(['/action', '/actor/type', '/targets', '/context/location']));
    expect(em.store.auditLogEvents).toHaveLength(before);

    const date = await rawPost('/audit_logs/events', { organization_id: orgId, event: { ...eventBody(), occurred_at: 'yesterday' } });
    expect(date).toMatchObject({ status: 400, body: { code: 'invalid_audit_log_event', errors: [{ instancePath: '/occurred_at' }] } });
  });

  it('enforces the metadata limits', async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await failsWith(workos.auditLogs.createEvent(orgId, event({ metadata: many })), BadRequestException);
    expect(tooMany.errors).toEqual([expect.objectContaining({ instancePath: '/metadata' })]);

    const long = await failsWith(
      workos.auditLogs.createEvent(orgId, event({ actor: { id: 'u', type: 'user', metadata: { note: 'x'.repeat(501) } } })),
      BadRequestException,
    );
    expect(long.errors).toEqual([expect.objectContaining({ instancePath: '/actor/metadata/note' })]);

    const badKey = await rawPost('/audit_logs/events', { organization_id: orgId, event: { ...eventBody(), metadata: { 'bad key!': 1 } } });
    expect(badKey.status).toBe(400);

    await workos.auditLogs.createEvent(orgId, event({ metadata: { n: 1, ok: true, s: 'x'.repeat(500) } }));
  });

  it('answers 422 naming a missing organization_id or event', async () => {
    const res = await rawPost('/audit_logs/events', {});
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'organization_id', code: 'required' },
      { field: 'event', code: 'required' },
    ]);
  });
});

describe('audit log exports', () => {
  it('goes pending -> ready after the delay and serves the matching events as CSV', async () => {
    await workos.auditLogs.createEvent(otherOrgId, event({ action: 'export.me', occurredAt: new Date('2026-04-01T00:00:00.000Z') }));
    await workos.auditLogs.createEvent(otherOrgId, event({ action: 'export.me', occurredAt: new Date('2026-04-02T00:00:00.000Z'), actor: { id: 'u2', type: 'user', name: 'Quote "Me", Please' } }));
    await workos.auditLogs.createEvent(otherOrgId, event({ action: 'skip.me', occurredAt: new Date('2026-04-03T00:00:00.000Z') }));
    await workos.auditLogs.createEvent(otherOrgId, event({ action: 'export.me', occurredAt: new Date('2027-01-01T00:00:00.000Z') }));

    const created = await workos.auditLogs.createExport({
      organizationId: otherOrgId,
      rangeStart: new Date('2026-01-01T00:00:00.000Z'),
      rangeEnd: new Date('2026-12-31T00:00:00.000Z'),
      actions: ['export.me'],
    });
    expect(created).toMatchObject({ object: 'audit_log_export', state: 'pending', url: undefined });
    expect(created.id).toMatch(/^audit_log_export_/);
    expect((await workos.auditLogs.getExport(created.id)).state).toBe('pending');

    await new Promise((r) => setTimeout(r, EXPORT_DELAY_MS + 50));
    const ready = await workos.auditLogs.getExport(created.id);
    expect(ready.state).toBe('ready');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\.csv\?token=/);

    // Downloaded without the API key: the token is the credential.
    const res = await fetch(ready.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('occurred_at,action,actor_id,actor_type,actor_name,targets,location,user_agent,metadata,version');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^2026-04-01T00:00:00.000Z,export\.me,user_1,user,Jon Smith,/);
    expect(lines[2]).toContain('"Quote ""Me"", Please"');

    const forged = new URL(ready.url!);
    forged.searchParams.set('token', `${Date.now() + 60_000}.AAAA`);
    const denied = await fetch(forged);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: expect.any(String) });
  });

  it('answers 404 for an unknown export', async () => {
    const err = await failure(workos.auditLogs.getExport('audit_log_export_01AAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(err).toBeInstanceOf(NotFoundException);
  });

  it('rejects an unknown organization and a reversed range with 400', async () => {
    const unknownOrg = await failure(
      workos.auditLogs.createExport({ organizationId: 'org_01AAAAAAAAAAAAAAAAAAAAAAAA', rangeStart: new Date(0), rangeEnd: new Date() }),
    );
    expect(unknownOrg).toBeInstanceOf(GenericServerException);
    expect(unknownOrg).toMatchObject({ status: 400 });

    const reversed = await failure(
      workos.auditLogs.createExport({ organizationId: orgId, rangeStart: new Date(), rangeEnd: new Date(0) }),
    );
    expect(reversed).toMatchObject({ status: 400, code: 'invalid_audit_log_export_range_date' });
  });

  it('answers missing fields in the Nest-style 400 the spec documents', async () => {
    const res = await rawPost('/audit_logs/exports', { organization_id: orgId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Bad Request', message: ['range_start should not be empty', 'range_end should not be empty'] });
    const err = await failure(workos.post('/audit_logs/exports', { organization_id: orgId }));
    expect(err).toBeInstanceOf(OauthException);
  });
});

describe('wire format', () => {
  it('every JSON body the SDK received matches the OpenAPI spec', () => {
    expect(spec.checked()).toBeGreaterThan(20);
    expect(spec.failures).toEqual([]);
    expect(spec.undocumented).toEqual([]);
  });
});

function eventBody() {
  return {
    action: 'user.signed_in',
    occurred_at: '2026-03-01T10:00:00.000Z',
    actor: { id: 'user_1', type: 'user' },
    targets: [{ id: 'team_1', type: 'team' }],
    context: { location: '203.0.113.7' },
  };
}
