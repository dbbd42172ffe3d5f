import type {
  AuditLogExport,
  Connection,
  ConnectionType,
  Directory,
  DirectoryGroup,
  DirectoryUser,
  Organization,
  OrganizationMembership,
  OrganizationMembershipStatus,
  User,
  WorkOS,
} from '@workos-inc/node';
import DataLoader from 'dataloader';
import { listThenGet, oneByOne } from './batch-plan.ts';
import { toGatewayError } from '../errors/upstream.ts';
import type { IdPrefixes, NodeTypeName } from '../workos/ids.ts';
import { membershipFromWire, type MembershipWire } from '../workos/membership-wire.ts';
import type { Page, PageParams } from './pagination.ts';

export interface MembershipFilter {
  organizationId?: string;
  userId?: string;
  statuses?: OrganizationMembershipStatus[];
}

type ByIdKind =
  | 'organization'
  | 'user'
  | 'membership'
  | 'directory'
  | 'directoryUser'
  | 'directoryGroup'
  | 'connection'
  | 'auditLogExport';
type LoadedBy<K extends ByIdKind> = WorkOSLoaders[K] extends DataLoader<string, infer V> ? V : never;

/** The GraphQL type of each kind, for learning the id prefixes the upstream uses (node(id) dispatch). */
const NODE_TYPE: Record<ByIdKind, NodeTypeName> = {
  organization: 'Organization',
  user: 'User',
  membership: 'OrganizationMembership',
  directory: 'Directory',
  directoryUser: 'DirectoryUser',
  directoryGroup: 'DirectoryGroup',
  connection: 'SsoConnection',
  auditLogExport: 'AuditLogExport',
};

/** Request-scoped by-id loader: one fetch per distinct id; `planned: false` turns off caching too. */
function byIdLoader<T>(batch: (ids: readonly string[]) => Promise<(T | null | Error)[]>, planned: boolean) {
  return new DataLoader<string, T | null>(batch, planned ? {} : { cache: false, batch: false });
}

/** One list call per distinct parameter set per request. */
function listLoader<P extends object, T>(fetchPage: (params: P) => Promise<Page<T>>, planned: boolean): DataLoader<P, Page<T>, string> {
  return new DataLoader<P, Page<T>, string>((keys) => Promise.all(keys.map((key) => fetchPage(key).catch(toGatewayError))), {
    cacheKeyFn: (key) => JSON.stringify(key),
    ...(planned ? {} : { cache: false, batch: false }),
  });
}

const pageOf = <T>(list: { data: T[]; listMetadata: { before?: string | null; after?: string | null } }): Page<T> => ({
  data: list.data,
  listMetadata: { before: list.listMetadata.before ?? null, after: list.listMetadata.after ?? null },
});

/**
 * The per-request data layer: resolvers ask these loaders, never the SDK. Every list result
 * primes the by-id loaders, so an object a list already returned is never fetched again.
 */
export class WorkOSLoaders {
  readonly organization: DataLoader<string, Organization | null>;
  readonly organizationByExternalId: DataLoader<string, Organization | null>;
  readonly user: DataLoader<string, User | null>;
  readonly userByExternalId: DataLoader<string, User | null>;
  readonly membership: DataLoader<string, OrganizationMembership | null>;
  readonly directory: DataLoader<string, Directory | null>;
  readonly directoryUser: DataLoader<string, DirectoryUser | null>;
  readonly directoryGroup: DataLoader<string, DirectoryGroup | null>;
  readonly connection: DataLoader<string, Connection | null>;
  readonly auditLogExport: DataLoader<string, AuditLogExport | null>;

  private readonly organizations;
  private readonly users;
  private readonly memberships;
  private readonly directories;
  private readonly directoryUsers;
  private readonly directoryGroups;
  private readonly connections;

  /**
   * `planned: false` is the naive baseline the benchmark compares against: no caching, no
   * batching, no priming from lists, no use of the users memberships carry.
   */
  constructor(
    private readonly workos: WorkOS,
    private readonly planned = true,
    /** Told the id of every object the upstream returns, so node(id) learns its prefixes. */
    private readonly prefixes?: IdPrefixes,
  ) {
    const listOrgs = async (p: PageParams & { domains?: string[] }) =>
      this.primeAll('organization', pageOf(await workos.organizations.listOrganizations(p)));
    const listUsers = async (p: PageParams & { organizationId?: string; email?: string }) =>
      this.primeAll('user', pageOf(await workos.userManagement.listUsers(p)));
    const listDirectories = async (p: PageParams & { organizationId?: string; search?: string }) =>
      this.primeAll('directory', pageOf(await workos.directorySync.listDirectories(p)));
    const listConnections = async (
      p: PageParams & { organizationId?: string; connectionType?: ConnectionType; domain?: string },
    ) => this.primeAll('connection', pageOf(await workos.sso.listConnections(p)));

    // Types with an unfiltered list get the list-first plan; the others can only be fetched one by one.
    const plan = <T extends { id: string }>(one: (id: string) => Promise<T>, page: (p: PageParams) => Promise<Page<T>>) =>
      planned ? listThenGet(one, page) : oneByOne(one);

    this.organization = byIdLoader(this.seen('organization', plan((id) => workos.organizations.getOrganization(id), listOrgs)), planned);
    this.organizationByExternalId = byIdLoader(
      oneByOne(async (externalId) => this.primeOne('organization', await workos.organizations.getOrganizationByExternalId(externalId))),
      planned,
    );
    this.user = byIdLoader(this.seen('user', plan((id) => workos.userManagement.getUser(id), listUsers)), planned);
    this.userByExternalId = byIdLoader(
      oneByOne(async (externalId) => this.primeOne('user', await workos.userManagement.getUserByExternalId(externalId))),
      planned,
    );
    this.membership = byIdLoader(
      this.seen(
        'membership',
        oneByOne(async (id) => {
          const { data } = await workos.get<MembershipWire>(`/user_management/organization_memberships/${id}`);
          const { membership, user } = membershipFromWire(data);
          if (user) this.primeOne('user', user);
          return membership;
        }),
      ),
      planned,
    );
    this.directory = byIdLoader(this.seen('directory', plan((id) => workos.directorySync.getDirectory(id), listDirectories)), planned);
    this.directoryUser = byIdLoader(this.seen('directoryUser', oneByOne((id) => workos.directorySync.getUser(id))), planned);
    this.directoryGroup = byIdLoader(this.seen('directoryGroup', oneByOne((id) => workos.directorySync.getGroup(id))), planned);
    this.connection = byIdLoader(this.seen('connection', plan((id) => workos.sso.getConnection(id), listConnections)), planned);
    this.auditLogExport = byIdLoader(this.seen('auditLogExport', oneByOne((id) => workos.auditLogs.getExport(id))), planned);

    this.organizations = listLoader(listOrgs, planned);
    this.users = listLoader(listUsers, planned);
    this.memberships = listLoader((p: PageParams & MembershipFilter) => this.fetchMemberships(p), planned);
    this.directories = listLoader(listDirectories, planned);
    this.directoryUsers = listLoader(
      async (p: PageParams & { directory?: string; group?: string }) =>
        this.primeAll('directoryUser', pageOf(await workos.directorySync.listUsers(p))),
      planned,
    );
    this.directoryGroups = listLoader(
      async (p: PageParams & { directory?: string; user?: string }) =>
        this.primeAll('directoryGroup', pageOf(await workos.directorySync.listGroups(p))),
      planned,
    );
    this.connections = listLoader(listConnections, planned);
  }

  listOrganizations = (p: PageParams & { domains?: string[] }) => this.organizations.load(p);
  listUsers = (p: PageParams & { organizationId?: string; email?: string }) => this.users.load(p);
  listMemberships = (p: PageParams & MembershipFilter) => this.memberships.load(p);
  listDirectories = (p: PageParams & { organizationId?: string; search?: string }) => this.directories.load(p);
  listDirectoryUsers = (p: PageParams & { directory?: string; group?: string }) => this.directoryUsers.load(p);
  listDirectoryGroups = (p: PageParams & { directory?: string; user?: string }) => this.directoryGroups.load(p);
  listConnections = (p: PageParams & { organizationId?: string; connectionType?: ConnectionType; domain?: string }) =>
    this.connections.load(p);

  /** Raw read: the membership's embedded user primes the user loader (the SDK would drop it). */
  private async fetchMemberships(p: PageParams & MembershipFilter): Promise<Page<OrganizationMembership>> {
    const { data } = await this.workos.get<{
      data: MembershipWire[];
      list_metadata: { before: string | null; after: string | null };
    }>('/user_management/organization_memberships', {
      query: {
        organization_id: p.organizationId,
        user_id: p.userId,
        statuses: p.statuses?.join(','),
        limit: p.limit,
        after: p.after,
        before: p.before,
        order: p.order,
      },
    });
    const memberships = data.data.map((raw) => {
      const { membership, user } = membershipFromWire(raw);
      if (user) this.primeOne('user', user);
      return membership;
    });
    return this.primeAll('membership', {
      data: memberships,
      listMetadata: { before: data.list_metadata.before ?? null, after: data.list_metadata.after ?? null },
    });
  }

  /** After a write: this request reads the written object, and no list page from before it. */
  remember<K extends ByIdKind, V extends NonNullable<LoadedBy<K>> & { id: string }>(kind: K, value: V): V {
    this.prefixes?.learn(NODE_TYPE[kind], value.id);
    const loader = this[kind] as unknown as DataLoader<string, V | null>;
    loader.clear(value.id).prime(value.id, value);
    this.forgetLists();
    return value;
  }

  forget(kind: ByIdKind, id: string): void {
    this[kind].clear(id);
    this.forgetLists();
  }

  private forgetLists(): void {
    for (const list of [
      this.organizations,
      this.users,
      this.memberships,
      this.directories,
      this.directoryUsers,
      this.directoryGroups,
      this.connections,
    ]) {
      list.clearAll();
    }
  }

  /** A by-id batch whose results teach the upstream's id prefixes. */
  private seen<T extends { id: string }>(kind: ByIdKind, batch: (ids: readonly string[]) => Promise<(T | null | Error)[]>) {
    return async (ids: readonly string[]) => {
      const results = await batch(ids);
      for (const r of results) if (r && !(r instanceof Error)) this.prefixes?.learn(NODE_TYPE[kind], r.id);
      return results;
    };
  }

  private primeAll<T extends { id: string }>(kind: ByIdKind, page: Page<T>): Page<T> {
    for (const item of page.data) this.prefixes?.learn(NODE_TYPE[kind], item.id);
    const loader = this[kind] as unknown as DataLoader<string, T | null>;
    if (this.planned) for (const item of page.data) loader.prime(item.id, item);
    return page;
  }

  private primeOne<T extends { id: string }>(kind: ByIdKind, item: T): T {
    this.prefixes?.learn(NODE_TYPE[kind], item.id);
    const loader = this[kind] as unknown as DataLoader<string, T | null>;
    if (this.planned) loader.prime(item.id, item);
    return item;
  }
}
