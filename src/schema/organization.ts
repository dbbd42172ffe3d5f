import { OrganizationDomainRef } from './admin-refs.ts';
import { readsOrganization } from './auth-scopes.ts';
import { builder } from './builder.ts';
import { orderArgs } from './list-order.ts';
import { resolveConnection } from './connection.ts';
import { MembershipStatusEnum } from './membership.ts';
import { organizationsOfUser } from './organizations-of-user.ts';
import {
  DirectoryConnection,
  OrganizationConnection,
  OrganizationMembershipConnection,
  OrganizationRef,
  SsoConnectionConnection,
  UserConnection,
} from './refs.ts';
import { domain, externalId, idOf } from './validators.ts';

builder.node(OrganizationRef, {
  description: 'A WorkOS organization: a customer of your application, with its domains, members and directories.',
  id: { resolve: (org) => org.id },
  authScopes: (org) => readsOrganization(org.id),
  loadWithoutCache: (id, ctx) => ctx.access.organization(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    externalId: t.exposeString('externalId', { nullable: true, description: 'Your own id for this organization.' }),
    metadata: t.field({ type: 'JSON', description: 'Key/value metadata (string values).', resolve: (o) => o.metadata ?? {} }),
    stripeCustomerId: t.exposeString('stripeCustomerId', { nullable: true, description: 'Linked Stripe customer id.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (o) => o.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (o) => o.updatedAt }),
    domains: t.field({
      type: [OrganizationDomainRef],
      description: 'The organization’s domains, with their verification state (add and verify one with createOrganizationDomain and verifyOrganizationDomain).',
      resolve: (o) => o.domains.map((d) => ({ ...d, organizationId: d.organizationId ?? o.id })),
    }),
    memberships: t.field({
      type: OrganizationMembershipConnection,
      nullable: true,
      description: 'Memberships of users in this organization (each carries the role).',
      args: {
        ...t.arg.connectionArgs(), ...orderArgs,
        statuses: t.arg({ type: [MembershipStatusEnum], required: false, description: 'Only these statuses.' }),
      },
      resolve: (o, args, ctx) =>
        resolveConnection(args, ctx, (page) =>
          ctx.loaders.listMemberships({ ...page, organizationId: o.id, statuses: args.statuses ?? undefined }),
        ),
    }),
    users: t.field({
      type: UserConnection,
      nullable: true,
      description: 'Users who are members of this organization.',
      args: { ...t.arg.connectionArgs(), ...orderArgs },
      resolve: (o, args, ctx) =>
        resolveConnection(args, ctx, (page) => ctx.loaders.listUsers({ ...page, organizationId: o.id })),
    }),
    directories: t.field({
      type: DirectoryConnection,
      nullable: true,
      description: 'Directory Sync directories connected to this organization.',
      args: { ...t.arg.connectionArgs(), ...orderArgs },
      resolve: (o, args, ctx) =>
        resolveConnection(args, ctx, (page) => ctx.loaders.listDirectories({ ...page, organizationId: o.id })),
    }),
    ssoConnections: t.field({
      type: SsoConnectionConnection,
      nullable: true,
      description: 'SSO connections of this organization.',
      args: { ...t.arg.connectionArgs(), ...orderArgs },
      resolve: (o, args, ctx) =>
        resolveConnection(args, ctx, (page) => ctx.loaders.listConnections({ ...page, organizationId: o.id })),
    }),
  }),
});

builder.queryFields((t) => ({
  organization: t.field({
    type: OrganizationRef,
    nullable: true,
    description: 'An organization by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('Organization') }) },
    resolve: (_root, { id }, ctx) => ctx.access.organization(String(id)),
  }),
  organizationByExternalId: t.field({
    type: OrganizationRef,
    nullable: true,
    description: 'An organization by your own external id; null when none has it or it is not yours.',
    args: { externalId: t.arg.string({ required: true, validate: externalId }) },
    resolve: (_root, args, ctx) => ctx.access.organizationByExternalId(args.externalId),
  }),
  organizations: t.field({
    type: OrganizationConnection,
    nullable: true,
    description:
      'Organizations, newest first; optionally only those with one of the given domains. ' +
      'A service caller sees all; a signed-in user sees those where they are an active member (cursors are then membership ids).',
    args: {
      ...t.arg.connectionArgs(), ...orderArgs,
      domains: t.arg.stringList({ required: false, validate: domain.array().max(20) }),
    },
    resolve: (_root, args, ctx) =>
      ctx.caller.kind === 'user'
        ? organizationsOfUser(args, ctx, ctx.caller.userId, { statuses: ['active'], domains: args.domains ?? undefined })
        : resolveConnection(args, ctx, (page) => ctx.loaders.listOrganizations({ ...page, domains: args.domains ?? undefined })),
  }),
}));
