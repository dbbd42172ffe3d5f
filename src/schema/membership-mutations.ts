import type { OrganizationMembership } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions.ts';
import { administersFor, administersOwnerOf } from './auth-scopes.ts';
import type { GatewayContext } from '../context/context.ts';
import { cost } from './cost.ts';
import { builder } from './builder.ts';
import { DeletePayload, deleteErrors, writeErrors } from './payloads.ts';
import { OrganizationMembershipRef } from './refs.ts';
import { idOf } from './validators.ts';

export const MembershipPayload = builder
  .objectRef<{ organizationMembership: OrganizationMembership }>('OrganizationMembershipPayload')
  .implement({
    description: 'The membership as it is after the change.',
    fields: (t) => ({
      organizationMembership: t.field({ type: OrganizationMembershipRef, resolve: (p) => p.organizationMembership }),
    }),
  });

export const roleSlug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'Expected a role slug such as admin or member.' });

const membershipIdInput = { id: idOf('OrganizationMembership') };

/** Changing a membership needs the admin role (or users:manage) in its organization. */
const administersMembership = administersOwnerOf(
  PERMISSIONS.users,
  async (ctx: GatewayContext, id) => (await ctx.loaders.membership.load(id))?.organizationId,
);

builder.mutationFields((t) => ({
  createOrganizationMembership: t.fieldWithInput({
    ...cost({ calls: 1, userCalls: 1 }),
    description:
      'Adds a user to an organization with a role (default member). Needs its admin role or users:manage, and a user ' +
      'the caller can already see (a member of one of their organizations); anyone else joins through a WorkOS invitation.',
    type: MembershipPayload,
    errors: writeErrors(),
    // An admin must not pull a stranger in, and so gain sight of their profile.
    authScopes: (_root, { input }) => administersFor(String(input.organizationId), PERMISSIONS.users, String(input.userId)),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization') }),
      userId: t.input.id({ required: true, validate: idOf('User') }),
      roleSlug: t.input.string({ required: false, validate: roleSlug.nullish(), description: 'Defaults to member.' }),
    },
    resolve: async (_root, { input }, ctx) => ({
      organizationMembership: await ctx.writes.createMembership({
        organizationId: String(input.organizationId),
        userId: String(input.userId),
        roleSlug: input.roleSlug ?? undefined,
      }),
    }),
  }),
  updateOrganizationMembershipRole: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Changes a member’s role.',
    type: MembershipPayload,
    errors: writeErrors(),
    authScopes: administersMembership,
    input: {
      id: t.input.id({ required: true, validate: membershipIdInput.id }),
      roleSlug: t.input.string({ required: true, validate: roleSlug }),
    },
    resolve: async (_root, { input }, ctx) => ({
      organizationMembership: await ctx.writes.updateMembershipRole(String(input.id), input.roleSlug),
    }),
  }),
  deactivateOrganizationMembership: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Deactivates a membership (the user loses access but the membership is kept).',
    type: MembershipPayload,
    errors: writeErrors(),
    authScopes: administersMembership,
    input: { id: t.input.id({ required: true, validate: membershipIdInput.id }) },
    resolve: async (_root, { input }, ctx) => ({
      organizationMembership: await ctx.writes.deactivateMembership(String(input.id)),
    }),
  }),
  reactivateOrganizationMembership: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Reactivates a deactivated membership.',
    type: MembershipPayload,
    errors: writeErrors(),
    authScopes: administersMembership,
    input: { id: t.input.id({ required: true, validate: membershipIdInput.id }) },
    resolve: async (_root, { input }, ctx) => ({
      organizationMembership: await ctx.writes.reactivateMembership(String(input.id)),
    }),
  }),
  deleteOrganizationMembership: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Removes a user from an organization.',
    type: DeletePayload,
    errors: deleteErrors(),
    authScopes: administersMembership,
    input: { id: t.input.id({ required: true, validate: membershipIdInput.id }) },
    resolve: async (_root, { input }, ctx) => {
      await ctx.writes.deleteMembership(String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
}));
