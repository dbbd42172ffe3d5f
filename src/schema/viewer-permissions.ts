import { PERMISSIONS } from '../auth/permissions.ts';
import { builder } from './builder.ts';
import { OrganizationMembershipRef, OrganizationRef } from './refs.ts';

/**
 * What the caller may do with an object, for showing or hiding a screen's buttons. Each
 * answer is the rule the matching mutation checks (src/auth/access.ts), read from the
 * memberships the request already loaded to see the object: no WorkOS call of its own.
 */

builder.objectFields(OrganizationRef, (t) => ({
  viewerCanUpdate: t.boolean({
    description: 'Whether you may change this organization (updateOrganization).',
    resolve: (o, _args, ctx) => ctx.access.canAdminister(o.id, PERMISSIONS.organizations),
  }),
  viewerCanDelete: t.boolean({
    description: 'Whether you may delete this organization (deleteOrganization).',
    resolve: (o, _args, ctx) => ctx.access.canAdminister(o.id, PERMISSIONS.organizations),
  }),
  viewerCanManageMembers: t.boolean({
    description: 'Whether you may add, change, deactivate and remove its memberships.',
    resolve: (o, _args, ctx) => ctx.access.canAdminister(o.id, PERMISSIONS.users),
  }),
}));

builder.objectFields(OrganizationMembershipRef, (t) => ({
  viewerCanUpdate: t.boolean({
    description: 'Whether you may change this membership’s role, deactivate or reactivate it.',
    resolve: (m, _args, ctx) => ctx.access.canAdminister(m.organizationId, PERMISSIONS.users),
  }),
  viewerCanDelete: t.boolean({
    description: 'Whether you may remove this membership (deleteOrganizationMembership).',
    resolve: (m, _args, ctx) => ctx.access.canAdminister(m.organizationId, PERMISSIONS.users),
  }),
}));
