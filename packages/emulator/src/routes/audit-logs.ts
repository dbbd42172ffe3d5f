import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, unprocessable } from '../errors.ts';
import { idempotency } from '../idempotency.ts';
import type { AuditLogEventRecord, AuditLogExportRecord, Store } from '../store.ts';

/**
 * Audit logs: POST /audit_logs/events (validated, idempotent), exports that turn ready after
 * config.exportDelayMs, and the CSV download their URL points to.
 *
 * Error shapes follow the spec: a missing organization_id/event is 422 {errors:[{field,code}]};
 * an invalid event is 400 `invalid_audit_log_event` {errors:[{instancePath,message}]}; export
 * bodies with missing fields get the Nest-style 400 {message:[...], error:"Bad Request"}.
 */

/**
 * Where export CSVs download from (WorkOS uses another host). Must be public (no API key): the
 * signed, expiring token in the query string is the credential.
 */
export const AUDIT_LOG_EXPORT_DOWNLOAD_PREFIX = '/audit_log_exports/';

const URL_TTL_MS = 10 * 60_000;
const METADATA_MAX_KEYS = 50;
const METADATA_KEY = /^[a-zA-Z0-9_-]{0,40}$/;
const METADATA_MAX_STRING = 500;

type Json = Record<string, unknown>;

interface EventIssue {
  instancePath: string;
  message: string;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

async function readJson(c: Context, onInvalid: () => ApiError): Promise<Json> {
  try {
    const parsed: unknown = JSON.parse(await c.req.text());
    if (isObject(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw onInvalid();
}

function checkMetadata(value: unknown, path: string, issues: EventIssue[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    issues.push({ instancePath: path, message: 'must be object' });
    return;
  }
  const entries = Object.entries(value);
  if (entries.length > METADATA_MAX_KEYS) issues.push({ instancePath: path, message: `must NOT have more than ${METADATA_MAX_KEYS} properties` });
  for (const [key, v] of entries) {
    const at = `${path}/${key}`;
    if (!METADATA_KEY.test(key)) issues.push({ instancePath: at, message: 'key must match ^[a-zA-Z0-9_-]{0,40}$' });
    else if (typeof v === 'string' && v.length > METADATA_MAX_STRING) issues.push({ instancePath: at, message: `must NOT have more than ${METADATA_MAX_STRING} characters` });
    else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') issues.push({ instancePath: at, message: 'must be string, number or boolean' });
  }
}

function checkEntity(value: unknown, path: string, issues: EventIssue[]): void {
  if (!isObject(value)) {
    issues.push({ instancePath: path, message: value === undefined ? 'is required' : 'must be object' });
    return;
  }
  for (const field of ['id', 'type']) {
    if (!isNonEmptyString(value[field])) issues.push({ instancePath: `${path}/${field}`, message: 'must be a non-empty string' });
  }
  if (value.name !== undefined && typeof value.name !== 'string') issues.push({ instancePath: `${path}/name`, message: 'must be string' });
  checkMetadata(value.metadata, `${path}/metadata`, issues);
}

/** The event checks of AuditLogEventDto, with JSON-pointer paths as WorkOS reports them. */
export function validateAuditLogEvent(event: Json): EventIssue[] {
  const issues: EventIssue[] = [];
  if (!isNonEmptyString(event.action)) issues.push({ instancePath: '/action', message: 'must be a non-empty string' });
  if (typeof event.occurred_at !== 'string' || Number.isNaN(Date.parse(event.occurred_at))) {
    issues.push({ instancePath: '/occurred_at', message: 'must be an ISO-8601 date-time' });
  }
  checkEntity(event.actor, '/actor', issues);
  if (!Array.isArray(event.targets)) issues.push({ instancePath: '/targets', message: 'must be array' });
  else event.targets.forEach((t, i) => checkEntity(t, `/targets/${i}`, issues));
  if (!isObject(event.context)) issues.push({ instancePath: '/context', message: 'must be object' });
  else {
    if (!isNonEmptyString(event.context.location)) issues.push({ instancePath: '/context/location', message: 'must be a non-empty string' });
    if (event.context.user_agent !== undefined && typeof event.context.user_agent !== 'string') {
      issues.push({ instancePath: '/context/user_agent', message: 'must be string' });
    }
  }
  checkMetadata(event.metadata, '/metadata', issues);
  if (event.version !== undefined && !Number.isInteger(event.version)) issues.push({ instancePath: '/version', message: 'must be integer' });
  return issues;
}

// ---------- exports ----------

// Per-emulator secret for download URLs: unguessable, and void after a restart.
const urlSecrets = new WeakMap<Store, Buffer>();

function urlSecret(store: Store): Buffer {
  let secret = urlSecrets.get(store);
  if (!secret) urlSecrets.set(store, (secret = randomBytes(32)));
  return secret;
}

const sign = (store: Store, id: string, expires: number) =>
  createHmac('sha256', urlSecret(store)).update(`${id}.${expires}`).digest('base64url');

function downloadUrl(ctx: EmulatorContext, id: string): string {
  const expires = ctx.now().getTime() + URL_TTL_MS;
  const token = `${expires}.${sign(ctx.store, id, expires)}`;
  return `${ctx.config.baseUrl()}${AUDIT_LOG_EXPORT_DOWNLOAD_PREFIX}${id}.csv?token=${token}`;
}

function tokenValid(ctx: EmulatorContext, id: string, token: string): boolean {
  const [expiresText, mac] = token.split('.');
  const expires = Number(expiresText);
  if (!mac || !Number.isFinite(expires) || expires < ctx.now().getTime()) return false;
  const expected = Buffer.from(sign(ctx.store, id, expires));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Moves a pending export to ready once its delay has passed. */
function settle(record: AuditLogExportRecord, now: number): void {
  if (record.state === 'pending' && now >= record.ready_at) {
    record.state = 'ready';
    record.updated_at = new Date(record.ready_at).toISOString();
  }
}

function exportWire(ctx: EmulatorContext, record: AuditLogExportRecord): Json {
  settle(record, ctx.now().getTime());
  return {
    object: 'audit_log_export',
    id: record.id,
    state: record.state,
    ...(record.state === 'ready' ? { url: downloadUrl(ctx, record.id) } : {}),
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

const nestError = (messages: string[]) => new ApiError(400, { message: messages, error: 'Bad Request' });

function stringList(body: Json, field: string, problems: string[]): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(`${field} must be an array of strings`);
    return undefined;
  }
  return value;
}

function parseExportBody(ctx: EmulatorContext, body: Json) {
  const problems: string[] = [];
  for (const field of ['organization_id', 'range_start', 'range_end']) {
    if (!isNonEmptyString(body[field])) problems.push(`${field} should not be empty`);
  }
  const actions = stringList(body, 'actions', problems);
  const actorNames = stringList(body, 'actor_names', problems);
  const actors = stringList(body, 'actors', problems);
  const actorIds = stringList(body, 'actor_ids', problems);
  const targets = stringList(body, 'targets', problems);
  if (problems.length > 0) throw nestError(problems);

  const organizationId = body.organization_id as string;
  if (!ctx.store.organizations.has(organizationId)) {
    throw new ApiError(400, { message: `Organization not found: '${organizationId}'.` });
  }
  const start = Date.parse(body.range_start as string);
  const end = Date.parse(body.range_end as string);
  if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
    throw new ApiError(400, { message: 'Invalid date range', code: 'invalid_audit_log_export_range_date' });
  }
  const names = actorNames || actors ? [...(actorNames ?? []), ...(actors ?? [])] : undefined;
  return {
    organizationId,
    filters: {
      range_start: new Date(start).toISOString(),
      range_end: new Date(end).toISOString(),
      ...(actions ? { actions } : {}),
      ...(names ? { actor_names: names } : {}),
      ...(actorIds ? { actor_ids: actorIds } : {}),
      ...(targets ? { targets } : {}),
    },
  };
}

interface ExportFilters {
  range_start: string;
  range_end: string;
  actions?: string[];
  actor_names?: string[];
  actor_ids?: string[];
  targets?: string[];
}

function matches(record: AuditLogEventRecord, organizationId: string, f: ExportFilters): boolean {
  if (record.organization_id !== organizationId) return false;
  const e = record.event;
  const at = Date.parse(String(e.occurred_at));
  if (at < Date.parse(f.range_start) || at > Date.parse(f.range_end)) return false;
  const actor = isObject(e.actor) ? e.actor : {};
  const targets = Array.isArray(e.targets) ? e.targets.filter(isObject) : [];
  if (f.actions && !f.actions.includes(String(e.action))) return false;
  if (f.actor_names && !f.actor_names.includes(String(actor.name))) return false;
  if (f.actor_ids && !f.actor_ids.includes(String(actor.id))) return false;
  if (f.targets && !targets.some((t) => f.targets!.includes(String(t.type)))) return false;
  return true;
}

const CSV_COLUMNS = ['occurred_at', 'action', 'actor_id', 'actor_type', 'actor_name', 'targets', 'location', 'user_agent', 'metadata', 'version'];

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportCsv(events: AuditLogEventRecord[]): string {
  const rows = [...events]
    .sort((a, b) => Date.parse(String(a.event.occurred_at)) - Date.parse(String(b.event.occurred_at)))
    .map(({ event: e }) => {
      const actor = isObject(e.actor) ? e.actor : {};
      const context = isObject(e.context) ? e.context : {};
      return [e.occurred_at, e.action, actor.id, actor.type, actor.name, e.targets, context.location, context.user_agent, e.metadata, e.version];
    });
  return [CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---------- routes ----------

const auditLogs: RouteModule = (app: Hono, ctx: EmulatorContext) => {
  app.post('/audit_logs/events', idempotency(ctx), async (c) => {
    const body = await readJson(c, () => unprocessable([{ field: 'body', code: 'invalid_json' }], 'The request body must be a JSON object.'));
    const missing = [
      !isNonEmptyString(body.organization_id) && { field: 'organization_id', code: 'required' },
      !isObject(body.event) && { field: 'event', code: 'required' },
    ].filter((e): e is { field: string; code: string } => !!e);
    if (missing.length > 0) throw unprocessable(missing, 'Validation failed.');
    const organizationId = body.organization_id as string;
    if (!ctx.store.organizations.has(organizationId)) {
      throw new ApiError(404, { message: `Organization not found: '${organizationId}'.` });
    }
    const event = body.event as Json;
    const issues = validateAuditLogEvent(event);
    if (issues.length > 0) {
      throw new ApiError(400, { code: 'invalid_audit_log_event', message: 'Invalid Audit Log event.', errors: issues });
    }
    ctx.store.auditLogEvents.push({ organization_id: organizationId, event, received_at: ctx.now().toISOString() });
    return c.json({ success: true });
  });

  app.post('/audit_logs/exports', idempotency(ctx), async (c) => {
    const body = await readJson(c, () => nestError(['The request body must be a JSON object']));
    const { organizationId, filters } = parseExportBody(ctx, body);
    const now = ctx.now();
    const record: AuditLogExportRecord = {
      object: 'audit_log_export',
      id: ctx.ids.make('auditLogExport'),
      organization_id: organizationId,
      state: 'pending',
      filters,
      ready_at: now.getTime() + ctx.config.exportDelayMs,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    ctx.store.auditLogExports.set(record.id, record);
    // Always `pending` on creation, even with a zero delay, as WorkOS answers.
    const { object, id, state, created_at, updated_at } = record;
    return c.json({ object, id, state, created_at, updated_at }, 201);
  });

  app.get('/audit_logs/exports/:id', (c) => {
    const record = ctx.store.auditLogExports.get(c.req.param('id'));
    if (!record) throw new ApiError(404, { message: `Audit Log Export not found: '${c.req.param('id')}'.` });
    return c.json(exportWire(ctx, record));
  });

  app.get(`${AUDIT_LOG_EXPORT_DOWNLOAD_PREFIX}:file`, (c) => {
    const file = c.req.param('file');
    const id = file.endsWith('.csv') ? file.slice(0, -4) : '';
    const record = ctx.store.auditLogExports.get(id);
    if (!record) throw new ApiError(404, { message: `Audit Log Export not found: '${id || file}'.` });
    if (!tokenValid(ctx, id, c.req.query('token') ?? '')) {
      throw new ApiError(403, { message: 'The download link is invalid or has expired.' });
    }
    settle(record, ctx.now().getTime());
    if (record.state !== 'ready') throw new ApiError(404, { message: `Audit Log Export not ready: '${id}'.` });
    const events = ctx.store.auditLogEvents.filter((e) => matches(e, record.organization_id, record.filters as unknown as ExportFilters));
    return c.body(exportCsv(events), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${id}.csv"`,
    });
  });
};

export default auditLogs;
