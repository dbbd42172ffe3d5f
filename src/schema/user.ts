import type { OrganizationMembershipStatus } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { readsOrganization, serviceOnly, VISIBLE_USER } from './auth-scopes.ts';
import { PAGED, cost } from './cost.ts';
import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import { MembershipStatusEnum } from './membership.ts';
import { membershipsOfUser, organizationsOfUser } from './organizations-of-user.ts';
import { OrganizationConnection, OrganizationMembershipConnection, UserConnection, UserRef } from './refs.ts';
import { planField, validArgs } from './plan.ts';
import { email, externalId, idOf } from './validators.ts';

builder.node(UserRef, {
  description: 'A WorkOS AuthKit user.',
  id: { resolve: (u) => u.id },
  // A user carries no organization: whoever returns one grants it (after checking), e.g. a
  // membership its member, an organization's user list its users, `user(id)` after canSeeUser.
  authScopes: { service: true, $granted: VISIBLE_USER },
  loadWithoutCache: (id, ctx) => ctx.access.user(id),
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Email address.' }),
    emailVerified: t.exposeBoolean('emailVerified', { description: 'Whether the email address is verified.' }),
    firstName: t.exposeString('firstName', { nullable: true, description: 'First name.' }),
    lastName: t.exposeString('lastName', { nullable: true, description: 'Last name.' }),
    name: t.string({
      nullable: true,
      description: 'Full name.',
      resolve: (u) => u.name ?? ([u.firstName, u.lastName].filter(Boolean).join(' ') || null),
    }),
    profilePictureUrl: t.exposeString('profilePictureUrl', { nullable: true, description: 'Avatar URL.' }),
    locale: t.exposeString('locale', { nullable: true, description: 'Preferred locale.' }),
    externalId: t.exposeString('externalId', { nullable: true, description: 'Your own id for this user.' }),
    metadata: t.field({ type: 'JSON', description: 'Key/value metadata (string values).', resolve: (u) => u.metadata ?? {} }),
    lastSignInAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user last signed in.',
      resolve: (u) => u.lastSignInAt,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (u) => u.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (u) => u.updatedAt }),
    memberships: t.field({
      ...cost({ pages: true, shares: 'memberships-of-user' }),
      type: OrganizationMembershipConnection,
      nullable: true,
      description: 'The user’s organization memberships (for a signed-in viewer: in organizations the viewer can read).',
      args: {
        ...t.arg.connectionArgs(),
        statuses: t.arg({ type: [MembershipStatusEnum], required: false, description: 'Only these statuses.' }),
      },
      resolve: (u, args, ctx) => membershipsOfUser(args, ctx, u.id, args.statuses ?? undefined),
    }),
    organizations: t.field({
      ...cost({ pages: true, shares: 'memberships-of-user' }),
      type: OrganizationConnection,
      nullable: true,
      description:
        'Organizations the user is a member of (through their memberships), newest membership first; ' +
        'for a signed-in viewer only those the viewer can read.',
      args: { ...t.arg.connectionArgs() },
      resolve: (u, args, ctx) => organizationsOfUser(args, ctx, u.id),
    }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    ...cost({ calls: 1, userCalls: 1 }),
    type: UserRef,
    nullable: true,
    description: 'A user by id; null when none has that id or you may not see them.',
    args: { id: t.arg.id({ required: true, validate: idOf('User') }) },
    grantScopes: [VISIBLE_USER],
    resolve: (_root, { id }, ctx) => ctx.access.user(String(id)),
  }),
  userByExternalId: t.field({
    ...cost({ calls: 1, userCalls: 1 }),
    type: UserRef,
    nullable: true,
    description: 'A user by your own external id; null when none has it or you may not see them.',
    args: { externalId: t.arg.string({ required: true, validate: externalId }) },
    grantScopes: [VISIBLE_USER],
    resolve: (_root, args, ctx) => ctx.access.userByExternalId(args.externalId),
  }),
  users: t.field({
    ...PAGED,
    type: UserConnection,
    nullable: true,
    description:
      'Users, newest first; filter by organization or exact email. ' +
      'A signed-in user must name an organization they can read; without one, service callers only.',
    args: {
      ...t.arg.connectionArgs(),
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish() }),
      email: t.arg.string({ required: false, validate: email.nullish() }),
    },
    authScopes: (_root, args) => (args.organizationId ? readsOrganization(String(args.organizationId)) : serviceOnly),
    resolve: (_root, args, ctx) => listUsers(args, ctx),
  }),
}));

type UsersArgs = ConnectionArgs & { organizationId?: string | number | null; email?: string | null };
const listUsers = (args: UsersArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (page) =>
    ctx.loaders.listUsers({ ...page, organizationId: args.organizationId ? String(args.organizationId) : undefined, email: args.email ?? undefined }),
  );

const userId = idOf('User');
const usersArgs = { organizationId: idOf('Organization'), email: email.nullish() };
type MembershipsArgs = ConnectionArgs & { statuses?: OrganizationMembershipStatus[] | null };
// A user's lists need only their id; `users(organizationId:)` need not wait for the scope check's read.
planField('User.memberships', { start: (ctx, args, id) => id && membershipsOfUser(args, ctx, id, (args as MembershipsArgs).statuses ?? undefined) });
planField('User.organizations', { start: (ctx, args, id) => id && organizationsOfUser(args, ctx, id) });
planField('Query.user', {
  start: (ctx, args) => validArgs(args, { id: userId }) && ctx.access.user(String(args.id)),
  child: (_ctx, args) => (validArgs(args, { id: userId }) ? { type: 'User', id: String(args.id) } : undefined),
});
// Without an organization the list is a service's: a user is refused by scope, with nothing read.
planField('Query.users', { start: (ctx, args) => validArgs(args, usersArgs) && listUsers(args, ctx), access: (_ctx, args) => Boolean(validArgs(args, usersArgs)) });
