import { ofOrganization, VISIBLE_USER } from './auth-scopes.ts';
import { organizationStub } from '../data/organization-stub.ts';
import { BY_ID, IN_HAND, ORGANIZATION_STUB_FIELDS, cost } from './cost.ts';
import { RoleRef } from './admin-refs.ts';
import { builder } from './builder.ts';
import { roleOf } from './role.ts';
import { OrganizationMembershipRef, OrganizationRef, UserRef } from './refs.ts';
import { idOf } from './validators.ts';

export const MembershipStatusEnum = builder.enumType('OrganizationMembershipStatus', {
  description: 'Whether a membership is in force.',
  values: {
    ACTIVE: { value: 'active', description: 'The user is a member.' },
    INACTIVE: { value: 'inactive', description: 'Deactivated; the user keeps no access.' },
    PENDING: { value: 'pending', description: 'Invited, not yet accepted.' },
  } as const,
});

builder.node(OrganizationMembershipRef, {
  description: 'A user’s membership of an organization, with their role.',
  id: { resolve: (m) => m.id },
  authScopes: ofOrganization,
  loadWithoutCache: (id, ctx) => ctx.access.membership(id),
  fields: (t) => ({
    status: t.field({ type: MembershipStatusEnum, description: 'Active, inactive or pending.', resolve: (m) => m.status }),
    role: t.field({ ...cost({ stub: ['slug'] }), type: RoleRef, description: 'The primary role.', resolve: (m) => roleOf(m.organizationId, m.role.slug) }),
    roles: t.field({
      ...cost({ stub: ['slug'] }),
      type: [RoleRef],
      description: 'All roles (when multiple roles are enabled), else the primary role alone.',
      resolve: (m) => (m.roles ?? [m.role]).map((r) => roleOf(m.organizationId, r.slug)),
    }),
    directoryManaged: t.exposeBoolean('directoryManaged', { description: 'Managed by Directory Sync.' }),
    organizationId: t.exposeID('organizationId', { description: 'The organization’s id (asking for `organization` reads it from WorkOS).' }),
    organizationName: t.string({
      nullable: true,
      description: 'The organization’s name at read time (null if the organization no longer exists).',
      // WorkOS sends it with the membership; an upstream that does not costs one organization read.
      resolve: async (m, _args, ctx) => m.organizationName ?? (await ctx.loaders.organization.load(m.organizationId))?.name ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (m) => m.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (m) => m.updatedAt }),
    user: t.field({
      ...IN_HAND,
      type: UserRef,
      nullable: true,
      description: 'The member (null if the user was deleted meanwhile).',
      // Whoever may read the membership may read its member.
      grantScopes: [VISIBLE_USER],
      resolve: (m, _args, ctx) => ctx.loaders.user.load(m.userId),
    }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_STUB_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization. Its id and name come with the membership; other fields load it.',
      resolve: (m) => organizationStub(m.organizationId, m.organizationName),
    }),
  }),
});

builder.queryField('organizationMembership', (t) =>
  t.field({
    ...BY_ID,
    type: OrganizationMembershipRef,
    nullable: true,
    description: 'A membership by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('OrganizationMembership') }) },
    resolve: (_root, { id }, ctx) => ctx.access.membership(String(id)),
  }),
);
