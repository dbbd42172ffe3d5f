import type { DirectoryGroup, DirectoryUser, DirectoryUserWithGroups } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { administersOwnerOf, ofOrganization, readsOrganization, serviceOnly } from './auth-scopes.ts';
import { PERMISSIONS } from '../auth/permissions.ts';
import { organizationStub } from '../data/organization-stub.ts';
import { BY_ID, ORGANIZATION_ID_FIELDS, PAGED, cost } from './cost.ts';
import { builder } from './builder.ts';
import { connectionOfItems, resolveConnection } from './connection.ts';
import {
  DirectoryConnection,
  DirectoryGroupConnection,
  DirectoryGroupRef,
  DirectoryRef,
  DirectoryUserConnection,
  DirectoryUserRef,
  OrganizationRef,
} from './refs.ts';
import { DeletePayload, deleteErrors } from './payloads.ts';
import { planField, validArgs } from './plan.ts';
import { idOf } from './validators.ts';

const created = { type: 'DateTime', description: 'When it was created.' } as const;
const updated = { type: 'DateTime', description: 'When it last changed.' } as const;

// A directory's lists need only its id: the plan starts them with the directory itself.
const usersOf = (id: string, args: ConnectionArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (p) => ctx.loaders.listDirectoryUsers({ ...p, directory: id }));
const groupsOf = (id: string, args: ConnectionArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (p) => ctx.loaders.listDirectoryGroups({ ...p, directory: id }));
type DirectoriesArgs = ConnectionArgs & { organizationId?: string | number | null; search?: string | null };
const listDirectories = (args: DirectoriesArgs, ctx: GatewayContext) =>
  resolveConnection(args, ctx, (p) =>
    ctx.loaders.listDirectories({ ...p, organizationId: args.organizationId ? String(args.organizationId) : undefined, search: args.search ?? undefined }),
  );

const directoryId = idOf('Directory');
planField('Directory.users', { start: (ctx, args, id) => id && usersOf(id, args, ctx) });
planField('Directory.groups', { start: (ctx, args, id) => id && groupsOf(id, args, ctx) });
planField('Query.directory', {
  start: (ctx, args) => validArgs(args, { id: directoryId }) && ctx.access.directory(String(args.id)),
  child: (_ctx, args) => (validArgs(args, { id: directoryId }) ? { type: 'Directory', id: String(args.id) } : undefined),
});
const directoriesArgs = { organizationId: idOf('Organization') };
planField('Query.directories', {
  start: (ctx, args) => validArgs(args, directoriesArgs) && listDirectories(args, ctx),
  access: (_ctx, args) => Boolean(validArgs(args, directoriesArgs)),
});

/** The groups a directory user's payload carries (the SDK's DirectoryUserWithGroups), if it does. */
const groupsInPayload = (u: DirectoryUser | DirectoryUserWithGroups): DirectoryGroup[] | undefined =>
  'groups' in u && Array.isArray(u.groups) ? u.groups : undefined;

builder.node(DirectoryRef, {
  description: 'A Directory Sync directory (SCIM, Google Workspace, HRIS ...) of an organization.',
  id: { resolve: (d) => d.id },
  authScopes: ofOrganization,
  loadWithoutCache: (id, ctx) => ctx.access.directory(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    domain: t.string({ nullable: true, description: 'The directory’s domain.', resolve: (d) => d.domain || null }),
    type: t.string({ description: 'Provider type, e.g. "okta scim v2.0".', resolve: (d) => d.type }),
    state: t.string({
      description: 'Connection state: active, inactive, validating, invalid_credentials or deleting.',
      resolve: (d) => d.state,
    }),
    externalKey: t.exposeString('externalKey', { description: 'The directory’s external key.' }),
    createdAt: t.field({ ...created, resolve: (d) => d.createdAt }),
    updatedAt: t.field({ ...updated, resolve: (d) => d.updatedAt }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_ID_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization the directory belongs to.',
      resolve: (d) => (d.organizationId ? organizationStub(d.organizationId) : null),
    }),
    users: t.field({
      ...PAGED,
      type: DirectoryUserConnection,
      nullable: true,
      description: 'Users provisioned by this directory.',
      args: { ...t.arg.connectionArgs() },
      resolve: (d, args, ctx) => usersOf(d.id, args, ctx),
    }),
    groups: t.field({
      ...PAGED,
      type: DirectoryGroupConnection,
      nullable: true,
      description: 'Groups provisioned by this directory.',
      args: { ...t.arg.connectionArgs() },
      resolve: (d, args, ctx) => groupsOf(d.id, args, ctx),
    }),
  }),
});

builder.node(DirectoryUserRef, {
  description: 'A user provisioned by a directory.',
  id: { resolve: (u) => u.id },
  authScopes: ofOrganization,
  loadWithoutCache: (id, ctx) => ctx.access.directoryUser(id),
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true, description: 'Primary email address.' }),
    firstName: t.exposeString('firstName', { nullable: true, description: 'First name.' }),
    lastName: t.exposeString('lastName', { nullable: true, description: 'Last name.' }),
    idpId: t.exposeString('idpId', { description: 'The user’s id at the identity provider.' }),
    state: t.string({ description: 'active, suspended or inactive.', resolve: (u) => u.state }),
    role: t.string({ nullable: true, description: 'Role slug assigned by the directory.', resolve: (u) => u.role?.slug ?? null }),
    customAttributes: t.field({ type: 'JSON', description: 'Mapped custom attributes.', resolve: (u) => u.customAttributes }),
    rawAttributes: t.field({ type: 'JSON', description: 'Attributes as the provider sent them.', resolve: (u) => u.rawAttributes }),
    createdAt: t.field({ ...created, resolve: (u) => u.createdAt }),
    updatedAt: t.field({ ...updated, resolve: (u) => u.updatedAt }),
    directory: t.field({
      ...BY_ID,
      type: DirectoryRef,
      nullable: true,
      description: 'The directory that provisioned the user.',
      resolve: (u, _args, ctx) => ctx.loaders.directory.load(u.directoryId),
    }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_ID_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization of the directory.',
      resolve: (u) => (u.organizationId ? organizationStub(u.organizationId) : null),
    }),
    groups: t.field({
      ...cost({ items: 'page' }),
      type: DirectoryGroupConnection,
      nullable: true,
      description: 'Groups the user is in.',
      args: { ...t.arg.connectionArgs() },
      // WorkOS sends a directory user with all their groups: page those rather than ask again.
      resolve: (u, args, ctx) =>
        groupsInPayload(u)
          ? connectionOfItems(groupsInPayload(u)!, args, ctx)
          : resolveConnection(args, ctx, (p) => ctx.loaders.listDirectoryGroups({ ...p, user: u.id })),
    }),
  }),
});

builder.node(DirectoryGroupRef, {
  description: 'A group provisioned by a directory.',
  id: { resolve: (g) => g.id },
  authScopes: ofOrganization,
  loadWithoutCache: (id, ctx) => ctx.access.directoryGroup(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Group name.' }),
    idpId: t.exposeString('idpId', { description: 'The group’s id at the identity provider.' }),
    rawAttributes: t.field({ type: 'JSON', description: 'Attributes as the provider sent them.', resolve: (g) => g.rawAttributes ?? {} }),
    createdAt: t.field({ ...created, resolve: (g) => g.createdAt }),
    updatedAt: t.field({ ...updated, resolve: (g) => g.updatedAt }),
    directory: t.field({
      ...BY_ID,
      type: DirectoryRef,
      nullable: true,
      description: 'The directory the group belongs to.',
      resolve: (g, _args, ctx) => ctx.loaders.directory.load(g.directoryId),
    }),
    organization: t.field({
      ...cost({ stub: ORGANIZATION_ID_FIELDS }),
      type: OrganizationRef,
      nullable: true,
      description: 'The organization of the directory.',
      resolve: (g) => (g.organizationId ? organizationStub(g.organizationId) : null),
    }),
    users: t.field({
      ...PAGED,
      type: DirectoryUserConnection,
      nullable: true,
      description: 'Members of the group.',
      args: { ...t.arg.connectionArgs() },
      resolve: (g, args, ctx) => resolveConnection(args, ctx, (p) => ctx.loaders.listDirectoryUsers({ ...p, group: g.id })),
    }),
  }),
});

builder.queryFields((t) => ({
  directory: t.field({
    ...BY_ID,
    type: DirectoryRef,
    nullable: true,
    description: 'A directory by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('Directory') }) },
    resolve: (_root, { id }, ctx) => ctx.access.directory(String(id)),
  }),
  directories: t.field({
    ...PAGED,
    type: DirectoryConnection,
    nullable: true,
    description:
      'Directories, newest first; filter by organization or a name search. ' +
      'A signed-in user must name an organization they can read; without one, service callers only.',
    args: {
      ...t.arg.connectionArgs(),
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish() }),
      search: t.arg.string({ required: false, description: 'Matches directory names.' }),
    },
    authScopes: (_root, args) => (args.organizationId ? readsOrganization(String(args.organizationId)) : serviceOnly),
    resolve: (_root, args, ctx) => listDirectories(args, ctx),
  }),
  directoryUser: t.field({
    ...BY_ID,
    type: DirectoryUserRef,
    nullable: true,
    description: 'A directory user by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('DirectoryUser') }) },
    resolve: (_root, { id }, ctx) => ctx.access.directoryUser(String(id)),
  }),
  directoryGroup: t.field({
    ...BY_ID,
    type: DirectoryGroupRef,
    nullable: true,
    description: 'A directory group by id; null when none has that id or it is not yours.',
    args: { id: t.arg.id({ required: true, validate: idOf('DirectoryGroup') }) },
    resolve: (_root, { id }, ctx) => ctx.access.directoryGroup(String(id)),
  }),
}));

builder.mutationField('deleteDirectory', (t) =>
  t.fieldWithInput({
    // Reads the directory to learn its organization, then deletes it.
    ...cost({ calls: 2 }),
    description: 'Deletes a directory (its users and groups stop syncing).',
    type: DeletePayload,
    errors: deleteErrors(),
    input: { id: t.input.id({ required: true, validate: idOf('Directory') }) },
    authScopes: administersOwnerOf(PERMISSIONS.organizations, async (ctx, id) => (await ctx.loaders.directory.load(id))?.organizationId),
    resolve: async (_root, { input }, ctx) => {
      await ctx.writes.deleteDirectory(String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
);
