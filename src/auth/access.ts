import type { OrganizationMembership } from '@workos-inc/node';
import type { WorkOSLoaders } from '../data/loaders.ts';
import type { Caller } from './caller.ts';
import type { ExportOwners } from './export-owners.ts';
import { ADMIN_ROLE, PERMISSIONS, type Permission } from './permissions.ts';

/** Memberships read to decide access; a user in more organizations than this sees the first ones. */
const MAX_VIEWER_MEMBERSHIPS = 1000;
const PAGE = 100;
/** A well-formed user id that no user has. */
const NO_USER_ID = 'user_00000000000000000000000000';

/**
 * What this request's caller may see and change, decided from WorkOS' own data: the
 * viewer's ACTIVE memberships, read once per request through the loaders (a write in the same
 * request clears the loaders' lists, so the next check reads them again).
 *
 * The rules (docs/security.md):
 * - a service caller sees and changes everything;
 * - a user sees the organizations where they hold an active membership, and what belongs to
 *   them; they see another user who is a member of one of those organizations;
 * - a user writes in an organization where their active membership has the admin role, or where
 *   their token carries the matching permission for that organization;
 * - an anonymous caller sees nothing.
 *
 * The by-id reads below answer null both for an absent object and for one the caller may not
 * see, so a denial never tells whether the object exists; where the id alone decides
 * (organizations, users, exports), nothing is fetched before the decision.
 */
export class Access {
  constructor(
    readonly caller: Caller,
    private readonly loaders: WorkOSLoaders,
    private readonly exportOwners: ExportOwners,
  ) {}

  get isService(): boolean {
    return this.caller.kind === 'service';
  }

  /** The viewer's active memberships, newest first ([] for service and anonymous callers). */
  async viewerMemberships(): Promise<OrganizationMembership[]> {
    if (this.caller.kind !== 'user') return [];
    const { userId } = this.caller;
    const all: OrganizationMembership[] = [];
    let after: string | undefined;
    do {
      const page = await this.loaders.listMemberships({
        userId,
        statuses: ['active'],
        limit: PAGE,
        order: 'desc',
        ...(after ? { after } : {}),
      });
      // Access is granted by what the memberships say, not by the upstream's filter alone.
      all.push(...page.data.filter((m) => m.status === 'active' && m.userId === userId));
      after = page.listMetadata.after ?? undefined;
    } while (after && all.length < MAX_VIEWER_MEMBERSHIPS);
    return all;
  }

  private async membershipIn(organizationId: string): Promise<OrganizationMembership | undefined> {
    return (await this.viewerMemberships()).find((m) => m.organizationId === organizationId);
  }

  async canRead(organizationId: string | null | undefined): Promise<boolean> {
    if (this.isService) return true;
    if (!organizationId || this.caller.kind !== 'user') return false;
    return (await this.membershipIn(organizationId)) !== undefined;
  }

  async canAdminister(organizationId: string, permission: Permission): Promise<boolean> {
    if (this.isService) return true;
    if (this.caller.kind !== 'user') return false;
    const membership = await this.membershipIn(organizationId);
    if (!membership) return false;
    const roles = [membership.role.slug, ...(membership.roles ?? []).map((r) => r.slug)];
    if (roles.includes(ADMIN_ROLE)) return true;
    // The token's permissions speak for its own organization only.
    return this.caller.organizationId === organizationId && this.caller.permissions.includes(permission);
  }

  /** Self, or a member (any status) of an organization the viewer can read: one list call when not self. */
  async canSeeUser(userId: string): Promise<boolean> {
    if (this.isService) return true;
    if (this.caller.kind !== 'user') return false;
    if (this.caller.userId === userId) return true;
    const mine = new Set((await this.viewerMemberships()).map((m) => m.organizationId));
    if (mine.size === 0) return false;
    const theirs = await this.loaders.listMemberships({ userId, limit: PAGE, order: 'desc' });
    return theirs.data.some((m) => mine.has(m.organizationId));
  }

  /** Who may read an export: an audit log manager of its organization, when the gateway knows it. */
  async canReadExport(exportId: string): Promise<boolean> {
    if (this.isService) return true;
    const owner = await this.exportOwners.ownerOf(exportId);
    return owner !== undefined && this.canAdminister(owner, PERMISSIONS.auditLogs);
  }

  /** The export's organization, when this gateway (any instance of it) made the export. */
  exportOwner(exportId: string): Promise<string | undefined> {
    return this.exportOwners.ownerOf(exportId);
  }

  // ---- by-id reads: null for absent and for hidden alike ----

  // The object and the access check are read together: one wave, and a denial costs the same
  // calls whether the object exists or not.
  organization = async (id: string) => {
    const [allowed, org] = await Promise.all([this.canRead(id), this.loaders.organization.load(id)]);
    return allowed ? org : null;
  };

  organizationByExternalId = async (externalId: string) => this.ifReadable(await this.loaders.organizationByExternalId.load(externalId), (o) => o.id);

  user = async (id: string) => {
    const [allowed, user] = await Promise.all([this.canSeeUser(id), this.loaders.user.load(id)]);
    return allowed ? user : null;
  };

  userByExternalId = async (externalId: string) => {
    const user = await this.loaders.userByExternalId.load(externalId);
    if (this.isService) return user;
    // A miss reads the memberships of a user id that matches nothing: it costs what a hidden hit does.
    const allowed = await this.canSeeUser(user?.id ?? NO_USER_ID);
    return user && allowed ? user : null;
  };

  membership = async (id: string) => this.ifReadable(await this.loaders.membership.load(id), (m) => m.organizationId);

  directory = async (id: string) => this.ifReadable(await this.loaders.directory.load(id), (d) => d.organizationId);

  directoryUser = async (id: string) => this.ifReadable(await this.loaders.directoryUser.load(id), (u) => u.organizationId);

  directoryGroup = async (id: string) => this.ifReadable(await this.loaders.directoryGroup.load(id), (g) => g.organizationId);

  connection = async (id: string) => this.ifReadable(await this.loaders.connection.load(id), (c) => c.organizationId);

  auditLogExport = async (id: string) => ((await this.canReadExport(id)) ? this.loaders.auditLogExport.load(id) : null);

  /** Keeps the items of a list that belong to organizations the viewer can read. */
  async onlyReadable<T>(items: T[], organizationOf: (item: T) => string | null | undefined): Promise<T[]> {
    if (this.isService) return items;
    const allowed = await Promise.all(items.map((item) => this.canRead(organizationOf(item))));
    return items.filter((_item, i) => allowed[i]);
  }

  private async ifReadable<T>(item: T | null, organizationOf: (item: T) => string | null | undefined): Promise<T | null> {
    return item && (await this.canRead(organizationOf(item))) ? item : null;
  }
}
