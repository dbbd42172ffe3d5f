import type { EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { isObject, readJsonObject } from '../body.ts';
import { mapList, paginate, parsePageParams } from '../pagination.ts';
import type { AuditLogActionRecord, AuditLogSchemaRecord } from '../store.ts';

/**
 * Audit log actions and their schemas (GET /audit_logs/actions, GET and POST
 * /audit_logs/actions/:actionName/schemas), and an organization's retention
 * (GET and PUT /organizations/:id/audit_logs_retention).
 *
 * Choices where WorkOS leaves room:
 * - Actions are listed by name (their cursor is the name); schemas by version (cursor: the
 *   version, zero-padded to 10 digits).
 * - Retention takes the spec's `retention_period_in_days` (30 or 365) and also the SDK's
 *   `retention_period` (`1_MONTH` ... `11_MONTHS`, `1_YEAR` ... `10_YEARS`, as days).
 */

const ACTION = /^[a-zA-Z0-9_.-]{1,100}$/;

const schemaCursor = (version: number) => String(version).padStart(10, '0');

function actionWire(action: AuditLogActionRecord) {
  return {
    object: 'audit_log_action',
    name: action.name,
    schema: action.schemas[action.schemas.length - 1],
    created_at: action.created_at,
    updated_at: action.updated_at,
  };
}

/** `retention_period` of the SDK as days, or undefined when it is not one of its values. */
function periodDays(period: unknown): number | undefined {
  const m = typeof period === 'string' ? /^(\d{1,2})_(MONTH|MONTHS|YEAR|YEARS)$/.exec(period) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  const years = m[2].startsWith('YEAR');
  if (n < 1 || (years ? n > 10 : n > 11)) return undefined;
  return years ? n * 365 : n * 30;
}

/** Records a new schema version of an action (made with the first one). */
export function addAuditLogSchema(ctx: Pick<EmulatorContext, 'store' | 'now'>, name: string, body: Omit<AuditLogSchemaRecord, 'object' | 'version' | 'created_at'>): AuditLogSchemaRecord {
  const at = ctx.now().toISOString();
  let action = ctx.store.auditLogActions.get(name);
  if (!action) {
    action = { name, schemas: [], created_at: at, updated_at: at };
    ctx.store.auditLogActions.set(name, action);
  }
  const schema: AuditLogSchemaRecord = { object: 'audit_log_schema', version: action.schemas.length + 1, ...body, created_at: at };
  action.schemas.push(schema);
  action.updated_at = at;
  return schema;
}

const auditLogActions: RouteModule = (app, ctx) => {
  const { store } = ctx;

  app.get('/audit_logs/actions', (c) => {
    const page = parsePageParams(new URL(c.req.url).searchParams);
    const items = [...store.auditLogActions.values()].map((a) => ({ id: a.name, action: a }));
    return c.json(mapList(paginate(items, page), (item) => actionWire(item.action)));
  });

  app.get('/audit_logs/actions/:actionName/schemas', (c) => {
    const action = store.auditLogActions.get(c.req.param('actionName'));
    if (!action) throw notFound('Audit Log Action', c.req.param('actionName'));
    const page = parsePageParams(new URL(c.req.url).searchParams);
    const items = action.schemas.map((s) => ({ id: schemaCursor(s.version), schema: s }));
    return c.json(mapList(paginate(items, page), (item) => item.schema));
  });

  app.post('/audit_logs/actions/:actionName/schemas', async (c) => {
    const name = c.req.param('actionName');
    if (!ACTION.test(name)) throw new ApiError(422, { message: 'Invalid action name.' });
    const body = await readJsonObject(c);
    const targets = body.targets;
    if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => isObject(t) && typeof t.type === 'string' && t.type !== '')) {
      throw new ApiError(422, { message: 'targets must be a non-empty array of { type, metadata? }.' });
    }
    const actor = isObject(body.actor) && isObject(body.actor.metadata) ? { metadata: body.actor.metadata } : undefined;
    const schema = addAuditLogSchema(ctx, name, {
      ...(actor ? { actor } : {}),
      targets: targets.map((t) => ({ type: String(t.type), ...(isObject(t.metadata) ? { metadata: t.metadata } : {}) })),
      ...(isObject(body.metadata) ? { metadata: body.metadata } : {}),
    });
    return c.json(schema, 201);
  });

  app.get('/organizations/:id/audit_logs_retention', (c) => {
    const orgId = c.req.param('id');
    if (!store.organizations.has(orgId)) throw notFound('Organization', orgId);
    return c.json({ retention_period_in_days: store.auditLogRetention.get(orgId) ?? null });
  });

  app.put('/organizations/:id/audit_logs_retention', async (c) => {
    const orgId = c.req.param('id');
    const body = await readJsonObject(c);
    if (!store.organizations.has(orgId)) throw notFound('Organization', orgId);
    const days = body.retention_period_in_days ?? periodDays(body.retention_period);
    if (body.retention_period_in_days !== undefined ? days !== 30 && days !== 365 : days === undefined) {
      throw new ApiError(422, { message: 'retention_period_in_days must be 30 or 365.' });
    }
    store.auditLogRetention.set(orgId, days as number);
    return c.json({ retention_period_in_days: days });
  });
};

export default auditLogActions;
