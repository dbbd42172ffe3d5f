import type { ConnectionType } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { PERMISSIONS } from '../auth/permissions.ts';
import { administersOwnerOf, ofOrganization, readsOrganization, serviceOnly } from './auth-scopes.ts';
import { organizationStub } from '../data/organization-stub.ts';
import { BY_ID, IN_HAND, ORGANIZATION_ID_FIELDS, PAGED, cost } from './cost.ts';
import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import { OrganizationRef, SsoConnectionConnection, SsoConnectionRef } from './refs.ts';
import { DeletePayload, deleteErrors } from './payloads.ts';
import { planField, validArgs } from './plan.ts';
import { domain, idOf } from './validators.ts';

const SsoConnectionDomainRef = builder.objectRef<{ id: string; domain: string }>('SsoConnectionDomain').implement({
  description: 'A domain routed to an SSO connection.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The WorkOS id of the connection domain (conn_domain_...).' }),
    domain: t.exposeString('domain', { description: 'The domain name.' }),
  }),
});

builder.node(SsoConnectionRef, {
  description: 'A WorkOS SSO connection (WorkOS calls it Connection): how an organization’s users sign in with their identity provider.',
  id: { resolve: (c) => c.id },
  authScopes: ofOrganization,
  loadWithoutCache: (id, ctx) => ctx.access.connection(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    connectionType: t.string({ description: 'Provider and protocol, e.g. OktaSAML or GoogleOAuth.', resolve: (c) => String(c.type) }),
    state: t.string({ description: 'draft, active, inactive or validating.', resolve: (c) => c.state }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (c) => c.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (c) => c.updatedAt }),
    domains: t.field({ ...IN_HAND, type: [SsoConnectionDomainRef], description: 'Domains routed to this connection.', resolve: (c) => c.domains }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_ID_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization the connection belongs to.',
      resolve: (c) => (c.organizationId ? organizationStub(c.organizationId) : null),
    }),
  }),
});

builder.queryFields((t) => ({
  ssoConnection: t.field({
    ...BY_ID,
    type: SsoConnectionRef,
    nullable: true,
    description: 'An SSO connection by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('SsoConnection') }) },
    resolve: (_root, { id }, ctx) => ctx.access.connection(String(id)),
  }),
  ssoConnections: t.field({
    ...PAGED,
    type: SsoConnectionConnection,
    nullable: true,
    description:
      'SSO connections, newest first; filter by organization, type or domain. ' +
      'A signed-in user must name an organization they can read; without one, service callers only.',
    args: {
      ...t.arg.connectionArgs(),
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish() }),
      connectionType: t.arg.string({ required: false, description: 'e.g. OktaSAML, GoogleOAuth.' }),
      domain: t.arg.string({ required: false, validate: domain.nullish() }),
    },
    authScopes: (_root, args) => (args.organizationId ? readsOrganization(String(args.organizationId)) : serviceOnly),
    resolve: (_root, args, ctx) => listConnections(args, ctx),
  }),
}));

type ConnectionsArgs = ConnectionArgs & { organizationId?: string | number | null; connectionType?: string | null; domain?: string | null };
const listConnections = (args: ConnectionsArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (p) =>
    ctx.loaders.listConnections({
      ...p,
      organizationId: args.organizationId ? String(args.organizationId) : undefined,
      connectionType: (args.connectionType ?? undefined) as ConnectionType | undefined,
      domain: args.domain ?? undefined,
    }),
  );
// Named organization: the list need not wait for the scope check's read of the viewer's memberships.
const connectionsArgs = { organizationId: idOf('Organization'), domain: domain.nullish() };
planField('Query.ssoConnections', {
  start: (ctx, args) => validArgs(args, connectionsArgs) && listConnections(args, ctx),
  access: (_ctx, args) => Boolean(validArgs(args, connectionsArgs)),
});

builder.mutationField('deleteSsoConnection', (t) =>
  t.fieldWithInput({
    // Reads the connection to learn its organization, then deletes it.
    ...cost({ calls: 2 }),
    description: 'Deletes an SSO connection.',
    type: DeletePayload,
    errors: deleteErrors(),
    input: { id: t.input.id({ required: true, validate: idOf('SsoConnection') }) },
    authScopes: administersOwnerOf(PERMISSIONS.organizations, async (ctx, id) => (await ctx.loaders.connection.load(id))?.organizationId),
    resolve: async (_root, { input }, ctx) => {
      await ctx.writes.deleteConnection(String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
);
