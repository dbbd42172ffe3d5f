import type { RouteModule } from '../context.ts';
import { notFound } from '../errors.ts';
import { environmentRoles, roleWire, rolesOf } from '../roles.ts';

/**
 * Roles: GET /authorization/roles (the environment's) and GET /authorization/organizations/:id/roles
 * (the environment's and the organization's own, in priority order). Neither list is paginated.
 * Roles are made in the WorkOS dashboard; here the seed makes them.
 */
const roles: RouteModule = (app, ctx) => {
  app.get('/authorization/roles', (c) => c.json({ object: 'list', data: environmentRoles(ctx.store).map(roleWire) }));

  app.get('/authorization/organizations/:organizationId/roles', (c) => {
    const orgId = c.req.param('organizationId');
    if (!ctx.store.organizations.has(orgId)) throw notFound('Organization', orgId);
    return c.json({ object: 'list', data: rolesOf(ctx.store, orgId).map(roleWire) });
  });

  app.get('/authorization/organizations/:organizationId/roles/:slug', (c) => {
    const orgId = c.req.param('organizationId');
    if (!ctx.store.organizations.has(orgId)) throw notFound('Organization', orgId);
    const role = rolesOf(ctx.store, orgId).find((r) => r.slug === c.req.param('slug'));
    if (!role) throw notFound('Role', c.req.param('slug'));
    return c.json(roleWire(role));
  });
};

export default roles;
