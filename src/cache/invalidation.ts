import type { CachedEntry, StalePredicate } from './upstream-cache.ts';

/** What changed upstream, from an event's payload or from a write the gateway made. */
export interface Change {
  kind: 'organization' | 'user' | 'membership' | 'directory' | 'connection';
  id: string;
  organizationId?: string;
  userId?: string;
  /** Directory events: the directory, and the directory user/group ids the event names. */
  directoryId?: string;
  relatedIds?: string[];
}

const ORGS = '/organizations';
const USERS = '/user_management/users';
const MEMBERSHIPS = '/user_management/organization_memberships';

const isList = (e: CachedEntry, path: string) => e.path === path;
const under = (e: CachedEntry, path: string) => e.path === path || e.path.startsWith(`${path}/`);
/** Ids carry a type prefix and are unique, so "the body names it" is a safe (if generous) test. */
const names = (e: CachedEntry, id: string | undefined) => id !== undefined && e.body.includes(`"${id}"`);
const param = (e: CachedEntry, name: string, value: string | undefined) => value !== undefined && e.params.get(name) === value;

/**
 * The cached reads a change can make stale, and no others:
 * - organization: itself (also by external id), every organization list, and membership
 *   answers naming it (they carry its name);
 * - membership: itself, the membership lists of its user and of its organization, and the user
 *   lists filtered by that organization (when user or organization is unknown: all of them);
 * - user: itself (also by external id), every user list, and membership answers naming it
 *   (they embed the user);
 * - directory: its users and groups, and for a directory-level event itself and the directory lists;
 * - connection: itself and every connection list.
 */
export function staleAfter(change: Change): StalePredicate {
  switch (change.kind) {
    case 'organization':
      return (e) =>
        e.path === `${ORGS}/${change.id}` ||
        e.path.startsWith(`${ORGS}/external_id/`) ||
        isList(e, ORGS) ||
        (under(e, MEMBERSHIPS) && names(e, change.id));
    case 'membership': {
      const { userId, organizationId } = change;
      const known = userId !== undefined && organizationId !== undefined;
      return (e) =>
        e.path === `${MEMBERSHIPS}/${change.id}` ||
        (isList(e, MEMBERSHIPS) &&
          (!known || param(e, 'user_id', userId) || param(e, 'organization_id', organizationId) || names(e, change.id))) ||
        (isList(e, USERS) && (known ? param(e, 'organization_id', organizationId) : e.params.has('organization_id')));
    }
    case 'user':
      return (e) =>
        e.path === `${USERS}/${change.id}` ||
        e.path.startsWith(`${USERS}/external_id/`) ||
        isList(e, USERS) ||
        (under(e, MEMBERSHIPS) && names(e, change.id));
    case 'directory': {
      const directoryId = change.directoryId ?? change.id;
      const ids = [directoryId, ...(change.relatedIds ?? [])];
      // Only a directory-level event (dsync.activated/deleted) changes the directory itself.
      const whole = change.id === directoryId;
      return (e) =>
        (whole && (e.path === `/directories/${directoryId}` || isList(e, '/directories'))) ||
        ((under(e, '/directory_users') || under(e, '/directory_groups')) &&
          (ids.some((id) => names(e, id)) || [...e.params.values()].some((v) => ids.includes(v))));
    }
    case 'connection':
      return (e) => e.path === `/connections/${change.id}` || isList(e, '/connections');
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const idIn = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && 'id' in v ? str((v as { id: unknown }).id) : undefined;

/** A payload field, as the SDK deserializes it (camelCase) or as WorkOS sends it (snake_case). */
export const fieldOf = (data: Record<string, unknown>, camel: string, snake: string): string | undefined =>
  str(data[camel]) ?? str(data[snake]);

/** The change a WorkOS event announces, read from its payload; null for types nothing caches. */
export function changeOfEvent(type: string, data: Record<string, unknown>): Change | null {
  const id = str(data.id);
  const userId = fieldOf(data, 'userId', 'user_id');
  const orgId = fieldOf(data, 'organizationId', 'organization_id');
  if (type.startsWith('organization_membership.')) {
    return id ? { kind: 'membership', id, userId, organizationId: orgId } : null;
  }
  if (type.startsWith('organization.') || type.startsWith('organization_domain.')) {
    const organizationId = type.startsWith('organization.') ? id : orgId;
    return organizationId ? { kind: 'organization', id: organizationId } : null;
  }
  if (type.startsWith('user.')) return id ? { kind: 'user', id } : null;
  if (type.startsWith('dsync.') || type.startsWith('directory')) {
    // dsync.activated/deleted carry the directory; dsync.user.*/group.* carry directory_id.
    const directoryId = fieldOf(data, 'directoryId', 'directory_id') ?? id;
    if (!directoryId) return null;
    const related = [id, idIn(data.user), idIn(data.group)].filter((x): x is string => x !== undefined);
    return { kind: 'directory', id: id ?? directoryId, directoryId, relatedIds: related };
  }
  if (type.startsWith('connection.')) return id ? { kind: 'connection', id } : null;
  return null;
}
