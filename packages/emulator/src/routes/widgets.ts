import { randomBytes } from 'node:crypto';
import type { RouteModule } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { BodyReader, readJsonObject } from '../body.ts';

/** Widget tokens: POST /widgets/token answers `{ token }` for WorkOS' React widgets, valid for an hour. */

export const WIDGET_SCOPES = [
  'widgets:users-table:manage',
  'widgets:domain-verification:manage',
  'widgets:sso:manage',
  'widgets:api-keys:manage',
  'widgets:dsync:manage',
  'widgets:audit-log-streaming:manage',
];
const TOKEN_TTL_MS = 60 * 60_000;

const widgets: RouteModule = (app, ctx) => {
  app.post('/widgets/token', async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const orgId = r.string('organization_id', { required: true });
    const userId = r.string('user_id');
    const scopes = r.stringArray('scopes') ?? [];
    r.done();
    const unknown = scopes.find((s) => !WIDGET_SCOPES.includes(s));
    if (unknown) throw new ApiError(422, { message: `Invalid scope '${unknown}'.` });
    if (!ctx.store.organizations.has(orgId)) throw notFound('Organization', orgId);
    if (userId !== undefined && !ctx.store.users.has(userId)) throw notFound('User', userId);
    const now = ctx.now();
    const token = `wt_${randomBytes(24).toString('base64url')}`;
    ctx.store.widgetTokens.set(token, {
      organization_id: orgId,
      ...(userId ? { user_id: userId } : {}),
      scopes,
      expires_at: now.getTime() + TOKEN_TTL_MS,
      created_at: now.toISOString(),
    });
    return c.json({ token }, 201);
  });
};

export default widgets;
