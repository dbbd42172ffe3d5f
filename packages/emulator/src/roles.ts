import type { RoleRecord, Store } from './store.ts';

/**
 * The roles of an organization, in priority order: the environment roles every organization has
 * (admin and member to start with), then the organization's own roles, oldest first.
 */
export function rolesOf(store: Store, organizationId: string): RoleRecord[] {
  const all = [...store.roles.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return [...all.filter((r) => r.type === 'EnvironmentRole'), ...all.filter((r) => r.organization_id === organizationId)];
}

export function environmentRoles(store: Store): RoleRecord[] {
  return [...store.roles.values()].filter((r) => r.type === 'EnvironmentRole').sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Whether `slug` names a role members of the organization may hold. */
export const isRoleOf = (store: Store, organizationId: string, slug: string): boolean => rolesOf(store, organizationId).some((r) => r.slug === slug);

/** The wire form: organization roles carry no organization id on the wire. */
export function roleWire(role: RoleRecord) {
  const { organization_id: _organizationId, ...wire } = role;
  return wire;
}
