import type { EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { BodyReader, readJsonObject } from '../body.ts';
import { paginate, parsePageParams } from '../pagination.ts';
import type { SessionRecord } from '../store.ts';
import { endSession } from './authkit.ts';

/**
 * AuthKit sessions, opened by every sign-in (routes/authkit.ts): GET /user_management/users/:id/sessions,
 * POST /user_management/sessions/revoke, and the browser sign-out GET /user_management/sessions/logout
 * (no API key, as WorkOS serves it to browsers): it ends the session and redirects to `return_to`.
 */

export const LOGOUT_PATH = '/user_management/sessions/logout';

/** An active session past its expiry reads as expired from then on. */
function settle(ctx: Pick<EmulatorContext, 'now'>, session: SessionRecord): SessionRecord {
  if (session.status === 'active' && Date.parse(session.expires_at) < ctx.now().getTime()) session.status = 'expired';
  return session;
}

const sessions: RouteModule = (app, ctx) => {
  app.get('/user_management/users/:id/sessions', (c) => {
    const userId = c.req.param('id');
    if (!ctx.store.users.has(userId)) throw notFound('User', userId);
    const page = parsePageParams(new URL(c.req.url).searchParams);
    const items = [...ctx.store.sessions.values()].filter((s) => s.user_id === userId).map((s) => settle(ctx, s));
    return c.json(paginate(items, page));
  });

  app.post('/user_management/sessions/revoke', async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const sessionId = r.string('session_id', { required: true });
    r.string('return_to');
    r.done();
    const session = ctx.store.sessions.get(sessionId);
    if (!session) throw new ApiError(400, { message: `Session not found: '${sessionId}'.` });
    endSession(ctx, session);
    return c.body(null, 200);
  });

  app.get(LOGOUT_PATH, (c) => {
    const sessionId = c.req.query('session_id');
    const returnTo = c.req.query('return_to');
    if (!sessionId) throw new ApiError(422, { message: 'session_id is required.' });
    if (returnTo !== undefined && !URL.canParse(returnTo)) throw new ApiError(422, { message: 'return_to must be a URL.' });
    const session = ctx.store.sessions.get(sessionId);
    if (session) endSession(ctx, session);
    if (returnTo) return c.redirect(returnTo, 302);
    return c.html('<!doctype html><title>Signed out</title><p>You are signed out.</p>');
  });
};

export default sessions;
