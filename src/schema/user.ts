import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import { MembershipStatusEnum } from './membership.ts';
import { OrganizationConnection, OrganizationMembershipConnection, UserConnection, UserRef } from './refs.ts';
import { email, externalId, idOf } from './validators.ts';

builder.node(UserRef, {
  description: 'A WorkOS AuthKit user.',
  id: { resolve: (u) => u.id },
  loadWithoutCache: (id, ctx) => ctx.loaders.user.load(id),
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
      description: 'The user’s organization memberships.',
      args: {
        ...t.arg.connectionArgs(),
        statuses: t.arg({ type: [MembershipStatusEnum], required: false, description: 'Only these statuses.' }),
      },
      resolve: (u, args, ctx) =>
        resolveConnection(args, ctx, (page) =>
          ctx.loaders.listMemberships({ ...page, userId: u.id, statuses: args.statuses ?? undefined }),
        ),
    }),
    organizations: t.field({
      type: OrganizationConnection,
      nullable: true,
      description: 'Organizations the user is a member of (through their memberships), newest membership first.',
      args: { ...t.arg.connectionArgs() },
      // One membership page names the organizations; each is then loaded once per request.
      resolve: async (u, args, ctx) => {
        const page = await resolveConnection(args, ctx, (p) => ctx.loaders.listMemberships({ ...p, userId: u.id }));
        const orgs = await Promise.all(page.edges.map((edge) => ctx.loaders.organization.load(edge.node.organizationId)));
        return {
          pageInfo: page.pageInfo,
          edges: page.edges.flatMap((edge, i) => {
            const node = orgs[i];
            return node ? [{ cursor: edge.cursor, node }] : [];
          }),
        };
      },
    }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by id; null when none has that id.',
    args: { id: t.arg.id({ required: true, validate: idOf('User') }) },
    resolve: (_root, { id }, ctx) => ctx.loaders.user.load(String(id)),
  }),
  userByExternalId: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by your own external id; null when none has it.',
    args: { externalId: t.arg.string({ required: true, validate: externalId }) },
    resolve: (_root, args, ctx) => ctx.loaders.userByExternalId.load(args.externalId),
  }),
  users: t.field({
    type: UserConnection,
    nullable: true,
    description: 'Users, newest first; filter by organization or exact email.',
    args: {
      ...t.arg.connectionArgs(),
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish() }),
      email: t.arg.string({ required: false, validate: email.nullish() }),
    },
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
