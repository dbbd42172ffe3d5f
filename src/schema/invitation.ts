import type { Invitation } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions.ts';
import { fetchFilteredConnectionPage } from '../data/filtered-pages.ts';
import { planPages, type ConnectionArgs } from '../data/pagination.ts';
import type { GatewayContext } from '../context/context.ts';
import { INVITEE, InvitationConnection, InvitationRef, RoleRef } from './admin-refs.ts';
import { administers, administersOwnerOf, VISIBLE_USER } from './auth-scopes.ts';
import { BY_ID, cost } from './cost.ts';
import { builder } from './builder.ts';
import { connectionOf, resolveConnection } from './connection.ts';
import { orderArgs } from './list-order.ts';
import { planField } from './plan.ts';
import { roleSlug } from './membership-mutations.ts';
import { writeErrors } from './payloads.ts';
import { OrganizationRef, UserRef } from './refs.ts';
import { roleOf } from './role.ts';
import { email, idOf } from './validators.ts';

const InvitationStateEnum = builder.enumType('InvitationState', {
  description: 'Where an invitation stands.',
  values: {
    PENDING: { value: 'pending', description: 'Sent, not yet accepted; it can be resent or revoked.' },
    ACCEPTED: { value: 'accepted', description: 'The invitee accepted: they are a member now.' },
    EXPIRED: { value: 'expired', description: 'Not accepted in time; send a new one.' },
    REVOKED: { value: 'revoked', description: 'Withdrawn before it was accepted.' },
  } as const,
});

builder.node(InvitationRef, {
  description:
    'An AuthKit invitation to join an organization, emailed to the invitee. Its token and accept link go to the ' +
    'invitee’s inbox only, never through the gateway. Visible to the organization’s admins (admin role or ' +
    'users:manage) and, through invitationByToken, to the signed-in invitee.',
  id: { resolve: (i) => i.id },
  authScopes: (i) =>
    i.organizationId
      ? { service: true, adminOf: { organizationId: i.organizationId, permission: PERMISSIONS.users }, $granted: INVITEE }
      : { service: true, $granted: INVITEE },
  loadWithoutCache: (id, ctx) => ctx.admin.access.invitation(id),
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Who is invited.' }),
    state: t.field({ type: InvitationStateEnum, description: 'Pending, accepted, expired or revoked.', resolve: (i) => i.state }),
    role: t.field({
      ...cost({ stub: ['slug'] }),
      type: RoleRef,
      nullable: true,
      description: 'The role the invitee gets on accepting (null: the organization’s default role).',
      resolve: (i) => (i.roleSlug ? roleOf(i.organizationId, i.roleSlug) : null),
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it stops being acceptable.', resolve: (i) => i.expiresAt }),
    acceptedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was accepted.', resolve: (i) => i.acceptedAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was revoked.', resolve: (i) => i.revokedAt }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was sent first.', resolve: (i) => i.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (i) => i.updatedAt }),
    organizationId: t.id({ nullable: true, description: 'The organization it invites to.', resolve: (i) => i.organizationId }),
    organizationName: t.string({
      ...BY_ID,
      nullable: true,
      description: 'That organization’s name, which the invitee may see before joining.',
      resolve: async (i, _args, ctx) => (i.organizationId ? ((await ctx.loaders.organization.load(i.organizationId))?.name ?? null) : null),
    }),
    organization: t.field({
      ...BY_ID,
      type: OrganizationRef,
      nullable: true,
      description: 'The organization it invites to (readable by its members; the invitee has organizationName).',
      resolve: (i, _args, ctx) => (i.organizationId ? ctx.access.organization(i.organizationId) : null),
    }),
    inviter: t.field({
      ...BY_ID,
      type: UserRef,
      nullable: true,
      description: 'Who sent it, when the viewer may see them.',
      grantScopes: [VISIBLE_USER],
      resolve: (i, _args, ctx) => (i.inviterUserId ? ctx.access.user(i.inviterUserId) : null),
    }),
    acceptedUser: t.field({
      ...BY_ID,
      type: UserRef,
      nullable: true,
      description: 'Who accepted it, when the viewer may see them.',
      grantScopes: [VISIBLE_USER],
      resolve: (i, _args, ctx) => (i.acceptedUserId ? ctx.access.user(i.acceptedUserId) : null),
    }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  invitations: t.field({
    ...cost({ pages: true, calls: 2 }),
    type: InvitationConnection,
    nullable: true,
    description:
      'Invitations to this organization, newest first; `states` keeps only those (WorkOS has no such filter: ' +
      'the gateway reads up to three pages of 100 for one filtered page). Needs its admin role or users:manage.',
    authScopes: (o) => administers(o.id, PERMISSIONS.users),
    args: {
      ...t.arg.connectionArgs(),
      ...orderArgs,
      states: t.arg({ type: [InvitationStateEnum], required: false, description: 'Only invitations in these states.' }),
    },
    resolve: (o, args, ctx) => invitationsOf(o.id, args, ctx),
  }),
}));

type InvitationsArgs = ConnectionArgs & { states?: Invitation['state'][] | null };
/** An organization's invitations (filtered here by state: WorkOS' list has no such filter). */
async function invitationsOf(organizationId: string, args: InvitationsArgs, ctx: GatewayContext) {
  const list = (p: Parameters<typeof ctx.admin.loaders.listInvitations>[0]) => ctx.admin.loaders.listInvitations({ ...p, organizationId });
  if (!args.states?.length) return resolveConnection(args, ctx, list);
  const states = new Set<Invitation['state']>(args.states);
  return connectionOf(await fetchFilteredConnectionPage(planPages(args, ctx.limits.maxPageSize), list, (i) => states.has(i.state)));
}

// Needs only the organization's id: the plan starts it with the organization (the members page: one wave).
planField('Organization.invitations', { start: (ctx, args, id) => id && invitationsOf(id, args, ctx) });

const invitationToken = z.string().min(1).max(512);

builder.queryFields((t) => ({
  invitation: t.field({
    ...BY_ID,
    type: InvitationRef,
    nullable: true,
    description: 'An invitation by id; null when none has that id or you do not administer its organization’s members.',
    args: { id: t.arg.id({ required: true, validate: idOf('Invitation'), description: 'The invitation’s WorkOS id (invitation_...).' }) },
    resolve: (_root, { id }, ctx) => ctx.admin.access.invitation(String(id)),
  }),
  invitationByToken: t.field({
    ...cost({ calls: 2 }),
    type: InvitationRef,
    nullable: true,
    description:
      'The invitation an emailed link carries (its `invitation_token`), for the signed-in invitee (their email is the ' +
      'invitation’s) to see before accepting; null for an unknown token and for anyone else alike.',
    args: { token: t.arg.string({ required: true, validate: invitationToken, description: 'The `invitation_token` of the emailed link.' }) },
    grantScopes: [INVITEE],
    resolve: (_root, { token }, ctx) => ctx.admin.access.invitationByToken(token),
  }),
}));

const InvitationPayload = builder.objectRef<{ invitation: Invitation }>('InvitationPayload').implement({
  description: 'The invitation as it is after the change.',
  // The mutation was allowed on this invitation (its admin or its invitee): its result may be read.
  fields: (t) => ({ invitation: t.field({ type: InvitationRef, description: 'The invitation.', grantScopes: [INVITEE], resolve: (p) => p.invitation }) }),
});

const administersInvitation = administersOwnerOf(PERMISSIONS.users, (ctx, id) => ctx.admin.access.invitationOwner(id));
const invitationId = { id: idOf('Invitation') };

builder.mutationFields((t) => ({
  sendInvitation: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description:
      'Invites someone by email to an organization, with a role (default: the organization’s default role). WorkOS emails ' +
      'the link; an existing user becomes a pending member until they accept. Already invited or already a member is a ' +
      'ConflictError. Needs its admin role or users:manage.',
    type: InvitationPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), PERMISSIONS.users),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'The organization to invite to.' }),
      email: t.input.string({ required: true, validate: email, description: 'The invitee’s email address.' }),
      roleSlug: t.input.string({ required: false, validate: roleSlug.nullish(), description: 'A role of the organization (see Organization.roles).' }),
      expiresInDays: t.input.int({
        required: false,
        validate: z.number().int().min(1, { message: 'At least 1 day.' }).max(30, { message: 'At most 30 days.' }).nullish(),
        description: '1 to 30 days (default 7).',
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      invitation: await ctx.admin.writes.sendInvitation({
        organizationId: String(input.organizationId),
        email: input.email,
        roleSlug: input.roleSlug ?? undefined,
        expiresInDays: input.expiresInDays ?? undefined,
        inviterUserId: ctx.caller.kind === 'user' ? ctx.caller.userId : undefined,
      }),
    }),
  }),
  resendInvitation: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Emails a pending invitation again (an expired, revoked or accepted one is a ConflictError). Needs its organization’s admin role or users:manage.',
    type: InvitationPayload,
    errors: writeErrors(),
    authScopes: administersInvitation,
    input: { id: t.input.id({ required: true, validate: invitationId.id, description: 'The invitation (invitation_...).' }) },
    resolve: async (_root, { input }, ctx) => ({ invitation: await ctx.admin.writes.resendInvitation(String(input.id)) }),
  }),
  revokeInvitation: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Withdraws a pending invitation (its link stops working). Needs its organization’s admin role or users:manage.',
    type: InvitationPayload,
    errors: writeErrors(),
    authScopes: administersInvitation,
    input: { id: t.input.id({ required: true, validate: invitationId.id, description: 'The invitation (invitation_...).' }) },
    resolve: async (_root, { input }, ctx) => ({ invitation: await ctx.admin.writes.revokeInvitation(String(input.id)) }),
  }),
  acceptInvitation: t.fieldWithInput({
    ...cost({ calls: 3 }),
    description:
      'Accepts an invitation as its invitee (the signed-in user whose email it is; find it with invitationByToken): ' +
      'they become an active member with its role. Sign in again, or refresh the session, for a token that names the organization.',
    type: InvitationPayload,
    errors: writeErrors(),
    authScopes: async (_root, { input }, ctx) => ctx.caller.kind === 'service' || ctx.admin.access.mayAccept(String(input.id)),
    input: { id: t.input.id({ required: true, validate: invitationId.id, description: 'The invitation (invitation_...).' }) },
    resolve: async (_root, { input }, ctx) => ({ invitation: await ctx.admin.writes.acceptInvitation(String(input.id)) }),
  }),
}));
