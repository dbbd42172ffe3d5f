import { readsOrganization, serviceOnly, VISIBLE_USER } from './auth-scopes.ts';
import { builder } from './builder.ts';
import { orderArgs } from './list-order.ts';
import { resolveConnection } from './connection.ts';
import { MembershipStatusEnum } from './membership.ts';
import { organizationsOfUser } from './organizations-of-user.ts';
import { OrganizationConnection, OrganizationMembershipConnection, UserConnection, UserRef } from './refs.ts';
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
      type: OrganizationMembershipConnection,
      nullable: true,
      description: 'The user’s organization memberships (for a signed-in viewer: in organizations the viewer can read).',
      args: {
        ...t.arg.connectionArgs(), ...orderArgs,
        statuses: t.arg({ type: [MembershipStatusEnum], required: false, description: 'Only these statuses.' }),
      },
      resolve: async (u, args, ctx) => {
        const page = await resolveConnection(args, ctx, (p) =>
          ctx.loaders.listMemberships({ ...p, userId: u.id, statuses: args.statuses ?? undefined }),
        );
        const readable = new Set((await ctx.access.onlyReadable(page.edges.map((e) => e.node), (m) => m.organizationId)).map((m) => m.id));
        return { ...page, edges: page.edges.filter((edge) => readable.has(edge.node.id)) };
      },
    }),
    organizations: t.field({
      type: OrganizationConnection,
      nullable: true,
      description:
        'Organizations the user is a member of (through their memberships), newest membership first; ' +
        'for a signed-in viewer only those the viewer can read.',
      args: { ...t.arg.connectionArgs(), ...orderArgs },
      resolve: (u, args, ctx) => organizationsOfUser(args, ctx, u.id),
    }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by id; null when none has that id or you may not see them.',
    args: { id: t.arg.id({ required: true, validate: idOf('User') }) },
    grantScopes: [VISIBLE_USER],
    resolve: (_root, { id }, ctx) => ctx.access.user(String(id)),
  }),
  userByExternalId: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by your own external id; null when none has it or you may not see them.',
    args: { externalId: t.arg.string({ required: true, validate: externalId }) },
    grantScopes: [VISIBLE_USER],
    resolve: (_root, args, ctx) => ctx.access.userByExternalId(args.externalId),
  }),
  users: t.field({
    type: UserConnection,
    nullable: true,
    description:
      'Users, newest first; filter by organization or exact email. ' +
      'A signed-in user must name an organization they can read; without one, service callers only.',
    args: {
      ...t.arg.connectionArgs(), ...orderArgs,
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish() }),
      email: t.arg.string({ required: false, validate: email.nullish() }),
    },
    authScopes: (_root, args) => (args.organizationId ? readsOrganization(String(args.organizationId)) : serviceOnly),
    resolve: (_root, args, ctx) =>
      resolveConnection(args, ctx, (page) =>
        ctx.loaders.listUsers({
          ...page,
          organizationId: args.organizationId ? String(args.organizationId) : undefined,
          email: args.email ?? undefined,
        }),
      ),
  }),
}));
