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
import { isNotFound } from './errors.ts';
import { membershipFromWire, type MembershipWire } from './membership-wire.ts';
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

/** Fetches one object; a 404 is an answer (null), anything else is an error. */
async function getOrNull<T>(fetchOne: () => Promise<T>): Promise<T | null> {
  try {
    return await fetchOne();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * WorkOS has no multi-id endpoint, so a by-id batch is one GET per distinct id; what the
 * loader saves is asking twice, and what priming saves is asking at all.
 */
function byIdLoader<T>(fetchOne: (id: string) => Promise<T>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>((ids) => Promise.all(ids.map((id) => getOrNull(() => fetchOne(id)))));
}

/** One list call per distinct parameter set per request. */
function listLoader<P extends object, T>(fetchPage: (params: P) => Promise<Page<T>>): DataLoader<P, Page<T>, string> {
  return new DataLoader<P, Page<T>, string>((keys) => Promise.all(keys.map((key) => fetchPage(key))), {
    cacheKeyFn: (key) => JSON.stringify(key),
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

  constructor(private readonly workos: WorkOS) {
    this.organization = byIdLoader((id) => workos.organizations.getOrganization(id));
    this.organizationByExternalId = byIdLoader(async (externalId) =>
      this.primeOne(this.organization, await workos.organizations.getOrganizationByExternalId(externalId)),
    );
    this.user = byIdLoader((id) => workos.userManagement.getUser(id));
    this.userByExternalId = byIdLoader(async (externalId) =>
      this.primeOne(this.user, await workos.userManagement.getUserByExternalId(externalId)),
    );
    this.membership = byIdLoader(async (id) => {
      const { data } = await workos.get<MembershipWire>(`/user_management/organization_memberships/${id}`);
      const { membership, user } = membershipFromWire(data);
      if (user) this.user.prime(user.id, user);
      return membership;
    });
    this.directory = byIdLoader((id) => workos.directorySync.getDirectory(id));
    this.directoryUser = byIdLoader((id) => workos.directorySync.getUser(id));
    this.directoryGroup = byIdLoader((id) => workos.directorySync.getGroup(id));
    this.connection = byIdLoader((id) => workos.sso.getConnection(id));
    this.auditLogExport = byIdLoader((id) => workos.auditLogs.getExport(id));

    this.organizations = listLoader(async (p: PageParams & { domains?: string[] }) =>
      this.primeAll(this.organization, pageOf(await workos.organizations.listOrganizations(p))),
    );
    this.users = listLoader(async (p: PageParams & { organizationId?: string; email?: string }) =>
      this.primeAll(this.user, pageOf(await workos.userManagement.listUsers(p))),
    );
    this.memberships = listLoader((p: PageParams & MembershipFilter) => this.fetchMemberships(p));
    this.directories = listLoader(async (p: PageParams & { organizationId?: string; search?: string }) =>
      this.primeAll(this.directory, pageOf(await workos.directorySync.listDirectories(p))),
    );
    this.directoryUsers = listLoader(async (p: PageParams & { directory?: string; group?: string }) =>
      this.primeAll(this.directoryUser, pageOf(await workos.directorySync.listUsers(p))),
    );
    this.directoryGroups = listLoader(async (p: PageParams & { directory?: string; user?: string }) =>
      this.primeAll(this.directoryGroup, pageOf(await workos.directorySync.listGroups(p))),
    );
    this.connections = listLoader(
      async (p: PageParams & { organizationId?: string; connectionType?: ConnectionType; domain?: string }) =>
        this.primeAll(this.connection, pageOf(await workos.sso.listConnections(p))),
    );
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
      if (user) this.user.prime(user.id, user);
      return membership;
    });
    return this.primeAll(this.membership, {
      data: memberships,
      listMetadata: { before: data.list_metadata.before ?? null, after: data.list_metadata.after ?? null },
    });
  }

  /** After a write: this request reads the written object, and no list page from before it. */
  remember<K extends ByIdKind, V extends NonNullable<LoadedBy<K>> & { id: string }>(kind: K, value: V): V {
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

  private primeAll<T extends { id: string }>(loader: DataLoader<string, T | null>, page: Page<T>): Page<T> {
    for (const item of page.data) loader.prime(item.id, item);
    return page;
  }

  private primeOne<T extends { id: string }>(loader: DataLoader<string, T | null>, item: T): T {
    loader.prime(item.id, item);
    return item;
  }
}
