import type { RouteModule } from '../context.ts';
import { notFound } from '../errors.ts';
import { mapList, paginate, parsePageParams } from '../pagination.ts';
import { factorWire } from './authkit.ts';

/**
 * A user's authentication factors: GET /user_management/users/:id/auth_factors (without secrets),
 * GET and DELETE /auth/factors/:id. Enrollment and challenges are in routes/authkit.ts.
 */
const authFactors: RouteModule = (app, ctx) => {
  const factors = ctx.store.auth.authFactors;

  app.get('/user_management/users/:id/auth_factors', (c) => {
    const userId = c.req.param('id');
    if (!ctx.store.users.has(userId)) throw notFound('User', userId);
    const page = parsePageParams(new URL(c.req.url).searchParams);
    const mine = [...factors.values()].filter((f) => f.userId === userId);
    return c.json(mapList(paginate(mine, page), (f) => factorWire(f, false)));
  });

  app.get('/auth/factors/:id', (c) => {
    const factor = factors.get(c.req.param('id'));
    if (!factor) throw notFound('Authentication Factor', c.req.param('id'));
    return c.json(factorWire(factor, false));
  });

  app.delete('/auth/factors/:id', (c) => {
    const factor = factors.get(c.req.param('id'));
    if (!factor) throw notFound('Authentication Factor', c.req.param('id'));
    factors.delete(factor.id);
    for (const [id, challenge] of ctx.store.auth.authChallenges) if (challenge.factorId === factor.id) ctx.store.auth.authChallenges.delete(id);
    return c.body(null, 204);
  });
};

export default authFactors;
