import type {
  ConnectionRecord,
  DirectoryRecord,
  DirectoryUserRecord,
  MembershipRecord,
  Store,
} from './store.ts';

/**
 * Records are stored in wire format; these add what WorkOS derives on the way out and drop what
 * the spec types as non-nullable but the store keeps as null.
 */

/** Memberships embed their user (spec: #UserlandUserOrganizationMembership). */
export function membershipWire(store: Store, m: MembershipRecord) {
  const org = store.organizations.get(m.organization_id);
  return { ...m, organization_name: org?.name ?? m.organization_name, user: store.users.get(m.user_id) ?? null };
}

/** Directory users always carry a `groups` array: the SDK maps over it. */
export function directoryUserWire(store: Store, u: DirectoryUserRecord) {
  const { group_ids, role, ...rest } = u;
  const groups = group_ids.flatMap((id) => {
    const g = store.directoryGroups.get(id);
    return g ? [g] : [];
  });
  return { ...rest, ...(role ? { role } : {}), groups };
}

export function directoryWire(d: DirectoryRecord) {
  const { domain, ...rest } = d;
  return domain === null ? rest : { ...rest, domain };
}

export function connectionWire(conn: ConnectionRecord) {
  const { organization_id, ...rest } = conn;
  return organization_id === null ? rest : { ...rest, organization_id };
}
