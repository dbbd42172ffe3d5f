import type { Organization, OrganizationDomain, OrganizationMembershipStatus } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import { fullOrganization, isStub, type OrganizationModel } from '../data/organization-stub.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { gatewayError } from '../errors/codes.ts';
import { readsOrganization } from './auth-scopes.ts';
import { BY_ID, IN_HAND, PAGED } from './cost.ts';
import { builder } from './builder.ts';
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
import { planField, validArgs } from './plan.ts';
import { domain, externalId, idOf } from './validators.ts';

const organizationId = idOf('Organization');

const OrganizationDomainRef = builder.objectRef<OrganizationDomain>('OrganizationDomain').implement({
  description: 'A domain that belongs to an organization (used for SSO and domain capture).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The WorkOS id of the domain (org_domain_...).' }),
    domain: t.exposeString('domain', { description: 'The domain name, e.g. example.com.' }),
    state: t.string({
      description: 'Verification state: verified, pending, failed, unverified or legacy_verified.',
      resolve: (d) => String(d.state),
    }),
    verificationStrategy: t.string({
      nullable: true,
      description: 'How the domain is verified: dns or manual.',
      resolve: (d) => (d.verificationStrategy ? String(d.verificationStrategy) : null),
    }),
  }),
});

// An organization's lists need only its id: the plan starts them with the organization itself.
type MembershipListArgs = ConnectionArgs & { statuses?: OrganizationMembershipStatus[] | null };
const membershipsOf = (id: string, args: MembershipListArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (page) => ctx.loaders.listMemberships({ ...page, organizationId: id, statuses: args.statuses ?? undefined }));
const usersOf = (id: string, args: ConnectionArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (page) => ctx.loaders.listUsers({ ...page, organizationId: id }));
const directoriesOf = (id: string, args: ConnectionArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (page) => ctx.loaders.listDirectories({ ...page, organizationId: id }));
const ssoConnectionsOf = (id: string, args: ConnectionArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (page) => ctx.loaders.listConnections({ ...page, organizationId: id }));

planField('Organization.memberships', { start: (ctx, args, id) => id && membershipsOf(id, args, ctx) });
planField('Organization.users', { start: (ctx, args, id) => id && usersOf(id, args, ctx) });
planField('Organization.directories', { start: (ctx, args, id) => id && directoriesOf(id, args, ctx) });
planField('Organization.ssoConnections', { start: (ctx, args, id) => id && ssoConnectionsOf(id, args, ctx) });
planField('Query.organization', {
  start: (ctx, args) => validArgs<{ id: string }>(args, { id: organizationId }) && ctx.access.organization(String(args.id)),
  child: (_ctx, args) => (validArgs(args, { id: organizationId }) ? { type: 'Organization', id: String(args.id) } : undefined),
});

/** The full organization behind `org` (loaded when it is a stub); an error when it no longer exists. */
async function loaded(org: OrganizationModel, ctx: GatewayContext): Promise<Organization> {
  const full = await fullOrganization(org, ctx.loaders);
  if (!full) throw gatewayError('NOT_FOUND', 'The organization no longer exists.');
  return full;
}

builder.node(OrganizationRef, {
  description: 'A WorkOS organization: a customer of your application, with its domains, members and directories.',
  id: { resolve: (org) => org.id },
  authScopes: (org) => readsOrganization(org.id),
  loadWithoutCache: (id, ctx) => ctx.access.organization(id),
  fields: (t) => ({
    name: t.string({
      description: 'Display name.',
      // A membership's payload names its organization: no load for `{ id name }`.
      resolve: async (o, _args, ctx) => (isStub(o) && o.name !== null ? o.name : (await loaded(o, ctx)).name),
    }),
    externalId: t.string({
      nullable: true,
      description: 'Your own id for this organization.',
      resolve: async (o, _args, ctx) => (await loaded(o, ctx)).externalId ?? null,
    }),
    metadata: t.field({
      type: 'JSON',
      description: 'Key/value metadata (string values).',
      resolve: async (o, _args, ctx) => (await loaded(o, ctx)).metadata ?? {},
    }),
    stripeCustomerId: t.string({
      nullable: true,
      description: 'Linked Stripe customer id.',
      resolve: async (o, _args, ctx) => (await loaded(o, ctx)).stripeCustomerId ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: async (o, _args, ctx) => (await loaded(o, ctx)).createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: async (o, _args, ctx) => (await loaded(o, ctx)).updatedAt }),
    domains: t.field({
      ...IN_HAND,
      type: [OrganizationDomainRef],
      description: 'The organization’s domains.',
      resolve: async (o, _args, ctx) => (await loaded(o, ctx)).domains,
    }),
    memberships: t.field({
      ...PAGED,
      type: OrganizationMembershipConnection,
      nullable: true,
      description: 'Memberships of users in this organization (each carries the role).',
      args: {
        ...t.arg.connectionArgs(),
        statuses: t.arg({ type: [MembershipStatusEnum], required: false, description: 'Only these statuses.' }),
      },
      resolve: (o, args, ctx) => membershipsOf(o.id, args, ctx),
    }),
    users: t.field({
      ...PAGED,
      type: UserConnection,
      nullable: true,
      description: 'Users who are members of this organization.',
      args: { ...t.arg.connectionArgs() },
      resolve: (o, args, ctx) => usersOf(o.id, args, ctx),
    }),
    directories: t.field({
      ...PAGED,
      type: DirectoryConnection,
      nullable: true,
      description: 'Directory Sync directories connected to this organization.',
      args: { ...t.arg.connectionArgs() },
      resolve: (o, args, ctx) => directoriesOf(o.id, args, ctx),
    }),
    ssoConnections: t.field({
      ...PAGED,
      type: SsoConnectionConnection,
      nullable: true,
      description: 'SSO connections of this organization.',
      args: { ...t.arg.connectionArgs() },
      resolve: (o, args, ctx) => ssoConnectionsOf(o.id, args, ctx),
    }),
  }),
});

builder.queryFields((t) => ({
  organization: t.field({
    ...BY_ID,
    type: OrganizationRef,
    nullable: true,
    description: 'An organization by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('Organization') }) },
    resolve: (_root, { id }, ctx) => ctx.access.organization(String(id)),
  }),
  organizationByExternalId: t.field({
    ...BY_ID,
    type: OrganizationRef,
    nullable: true,
    description: 'An organization by your own external id; null when none has it or it is not yours.',
    args: { externalId: t.arg.string({ required: true, validate: externalId }) },
    resolve: (_root, args, ctx) => ctx.access.organizationByExternalId(args.externalId),
  }),
  organizations: t.field({
    ...PAGED,
    type: OrganizationConnection,
    nullable: true,
    description:
      'Organizations, newest first; optionally only those with one of the given domains. ' +
      'A service caller sees all; a signed-in user sees those where they are an active member (cursors are then membership ids).',
    args: {
      ...t.arg.connectionArgs(),
      domains: t.arg.stringList({ required: false, validate: domain.array().max(20) }),
    },
    resolve: (_root, args, ctx) =>
      ctx.caller.kind === 'user'
        ? organizationsOfUser(args, ctx, ctx.caller.userId, { statuses: ['active'], domains: args.domains ?? undefined })
        : resolveConnection(args, ctx, (page) => ctx.loaders.listOrganizations({ ...page, domains: args.domains ?? undefined })),
  }),
}));
