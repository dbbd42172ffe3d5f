import type { Role } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import { RoleRef, type RoleShape } from './admin-refs.ts';
import { cost } from './cost.ts';
import { builder } from './builder.ts';
import { planField } from './plan.ts';
import { OrganizationRef } from './refs.ts';

const RoleTypeEnum = builder.enumType('RoleType', {
  description: 'Where a role is defined.',
  values: {
    ENVIRONMENT: { value: 'EnvironmentRole', description: 'An environment role: every organization has it.' },
    ORGANIZATION: { value: 'OrganizationRole', description: 'A role of this organization only.' },
  } as const,
});

/**
 * The role in full: the one in hand, else the organization's role list (one call per organization
 * per request, shared with Organization.roles). Undefined when the slug is no longer a role there.
 */
async function details(role: RoleShape, ctx: GatewayContext): Promise<Role | undefined> {
  if (role.role) return role.role;
  if (!role.organizationId) return undefined;
  const roles = await ctx.admin.loaders.organizationRoles.load(role.organizationId);
  return roles?.find((r) => r.slug === role.slug);
}

/** A role of an organization, for the role dropdown and every membership or invitation that names it. */
export const roleOf = (organizationId: string | null, slug: string): RoleShape => ({ slug, organizationId });

RoleRef.implement({
  description:
    'A role members hold in an organization (WorkOS roles: the environment’s and the organization’s own). ' +
    '`slug` costs nothing; the other fields read the organization’s roles once per request.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'The role’s slug, e.g. admin or member.' }),
    name: t.string({
      nullable: true,
      description: 'Display name, e.g. Admin (null if the slug is no longer a role of the organization).',
      resolve: async (r, _args, ctx) => (await details(r, ctx))?.name ?? null,
    }),
    description: t.string({
      nullable: true,
      description: 'What the role is for.',
      resolve: async (r, _args, ctx) => (await details(r, ctx))?.description ?? null,
    }),
    permissions: t.stringList({
      nullable: true,
      description: 'Permission slugs the role grants, e.g. users:manage.',
      resolve: async (r, _args, ctx) => (await details(r, ctx))?.permissions ?? null,
    }),
    type: t.field({
      type: RoleTypeEnum,
      nullable: true,
      description: 'Environment role or organization role.',
      resolve: async (r, _args, ctx) => (await details(r, ctx))?.type ?? null,
    }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  roles: t.field({
    ...cost({ calls: 1, items: 50 }),
    type: [RoleRef],
    nullable: true,
    description: 'The roles members may hold here, in priority order: the environment’s, then the organization’s own (for a role dropdown).',
    resolve: async (o, _args, ctx) => (await ctx.admin.loaders.organizationRoles.load(o.id))?.map((role) => ({ slug: role.slug, organizationId: o.id, role })) ?? null,
  }),
}));

// Needs only the organization's id: the plan starts it with the organization.
planField('Organization.roles', { start: (ctx, _args, id) => id && ctx.admin.loaders.organizationRoles.load(id) });
