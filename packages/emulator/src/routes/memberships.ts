import type { EmulatorContext, RouteModule } from '../context.ts';
import { idempotency } from '../idempotency.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';
import { BodyReader, readJsonObject } from '../body.ts';
import { arrayParam, mapList, paginate, parsePageParams } from '../pagination.ts';
import type { MembershipRecord } from '../store.ts';
import { membershipWire } from '../wire.ts';
import { membershipRecord } from '../membership-record.ts';
import { isRoleOf } from '../roles.ts';

const STATUSES = ['active', 'inactive', 'pending'];

function getMembership(ctx: EmulatorContext, id: string): MembershipRecord {
  const m = ctx.store.memberships.get(id);
  if (!m) throw notFound('Organization membership', id);
  return m;
}

/** `role_slug` xor `role_slugs` (one role only: multiple roles are not enabled here), a role of the organization. */
function readRole(ctx: EmulatorContext, r: BodyReader, organizationId: string | undefined): string | undefined {
  const slug = r.string('role_slug');
  const slugs = r.stringArray('role_slugs');
  r.done();
  if (slug !== undefined && slugs !== undefined) {
    throw new ApiError(422, { code: 'invalid_request_parameters', message: 'Provide either role_slug or role_slugs, not both.' });
  }
  if (slugs && slugs.length > 1) {
    throw new ApiError(422, { code: 'multiple_roles_not_enabled', message: 'Multiple roles are not enabled for this environment.' });
  }
  const role = slug ?? slugs?.[0];
  if (role !== undefined && organizationId !== undefined && !isRoleOf(ctx.store, organizationId, role)) {
    throw new ApiError(422, { code: 'invalid_role', message: `Role '${role}' is not a valid role.` });
  }
  return role;
}

const memberships: RouteModule = (app, ctx) => {
  const wire = (m: MembershipRecord) => membershipWire(ctx.store, m);
  const save = (m: MembershipRecord, event: string) => {
    ctx.store.memberships.set(m.id, m);
    ctx.emit(event, { ...m });
    return wire(m);
  };

  app.get('/user_management/organization_memberships', (c) => {
    const q = new URL(c.req.url).searchParams;
    const userId = q.get('user_id');
    const orgId = q.get('organization_id');
    if (!userId && !orgId) {
      throw badRequest('missing_user_id_or_organization_id', 'Either user_id or organization_id is required.');
    }
    const page = parsePageParams(q);
    const statuses = arrayParam(q, 'statuses');
    const unknown = statuses?.find((s) => !STATUSES.includes(s));
    if (unknown) throw badRequest('invalid_request_parameters', `Unknown status '${unknown}'.`);
    const items = [...ctx.store.memberships.values()].filter(
      (m) =>
        (!userId || m.user_id === userId) &&
        (!orgId || m.organization_id === orgId) &&
        (!statuses || statuses.length === 0 || statuses.includes(m.status)),
    );
    return c.json(mapList(paginate(items, page), wire));
  });

  app.get('/user_management/organization_memberships/:id', (c) => c.json(wire(getMembership(ctx, c.req.param('id')))));

  app.post('/user_management/organization_memberships', idempotency(ctx), async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const userId = r.string('user_id', { required: true });
    const orgId = r.string('organization_id', { required: true });
    const role = readRole(ctx, r, ctx.store.organizations.has(orgId as string) ? orgId : undefined) ?? 'member';
    const user = ctx.store.users.get(userId as string);
    if (!user) throw notFound('User', userId as string);
    const org = ctx.store.organizations.get(orgId as string);
    if (!org) throw notFound('Organization', orgId as string);
    for (const m of ctx.store.memberships.values()) {
      if (m.user_id === user.id && m.organization_id === org.id) {
        throw conflict(`User '${user.id}' is already a member of organization '${org.id}'.`, 'organization_membership_already_exists');
      }
    }
    const at = ctx.now().toISOString();
    const m = membershipRecord(ctx.ids.make('membership'), at, user, org, role, 'active');
    return c.json(save(m, 'organization_membership.created'), 201);
  });

  app.put('/user_management/organization_memberships/:id', async (c) => {
    const m = getMembership(ctx, c.req.param('id'));
    const role = readRole(ctx, new BodyReader(await readJsonObject(c)), m.organization_id);
    if (role === undefined) return c.json(wire(m));
    const updated = { ...m, role: { slug: role }, roles: [{ slug: role }], updated_at: ctx.now().toISOString() };
    return c.json(save(updated, 'organization_membership.updated'));
  });

  app.delete('/user_management/organization_memberships/:id', (c) => {
    const m = getMembership(ctx, c.req.param('id'));
    ctx.store.memberships.delete(m.id);
    ctx.emit('organization_membership.deleted', { ...m });
    return c.body(null, 200);
  });

  app.put('/user_management/organization_memberships/:id/deactivate', (c) => {
    const m = getMembership(ctx, c.req.param('id'));
    if (m.status === 'pending') {
      throw badRequest(
        'cannot_deactivate_pending_organization_membership',
        'A pending organization membership cannot be deactivated. This membership should be deleted instead.',
      );
    }
    if (m.status === 'inactive') return c.json(wire(m));
    return c.json(save({ ...m, status: 'inactive', updated_at: ctx.now().toISOString() }, 'organization_membership.updated'));
  });

  app.put('/user_management/organization_memberships/:id/reactivate', (c) => {
    const m = getMembership(ctx, c.req.param('id'));
    if (m.status === 'pending') {
      throw badRequest(
        'cannot_reactivate_pending_organization_membership',
        'A pending organization membership cannot be reactivated. The user needs to accept the invitation instead.',
      );
    }
    if (m.status === 'active') return c.json(wire(m));
    return c.json(save({ ...m, status: 'active', updated_at: ctx.now().toISOString() }, 'organization_membership.updated'));
  });
};

export default memberships;
