import type { EmulatorContext } from '../context.ts';
import type { DirectoryRecord, OrganizationRecord } from '../store.ts';
import { connectionWire, directoryWire } from '../wire.ts';

/** Deletes a directory with its users and groups, emitting `dsync.deleted`. */
export function deleteDirectoryCascade(ctx: EmulatorContext, dir: DirectoryRecord): void {
  const { store } = ctx;
  for (const [id, u] of store.directoryUsers) if (u.directory_id === dir.id) store.directoryUsers.delete(id);
  for (const [id, g] of store.directoryGroups) if (g.directory_id === dir.id) store.directoryGroups.delete(id);
  store.directories.delete(dir.id);
  ctx.emit('dsync.deleted', { ...directoryWire(dir), state: 'deleting' });
}

/** An organization takes its memberships, directories, connections, invitations, roles and settings with it. */
export function deleteOrganizationCascade(ctx: EmulatorContext, org: OrganizationRecord): void {
  const { store } = ctx;
  for (const [id, m] of store.memberships) {
    if (m.organization_id !== org.id) continue;
    store.memberships.delete(id);
    ctx.emit('organization_membership.deleted', { ...m });
  }
  for (const dir of [...store.directories.values()]) if (dir.organization_id === org.id) deleteDirectoryCascade(ctx, dir);
  for (const [id, conn] of store.connections) {
    if (conn.organization_id !== org.id) continue;
    store.connections.delete(id);
    ctx.emit('connection.deleted', { ...connectionWire(conn) });
  }
  for (const [id, invitation] of store.invitations) if (invitation.organization_id === org.id) store.invitations.delete(id);
  for (const [id, role] of store.roles) if (role.organization_id === org.id) store.roles.delete(id);
  store.authPolicies.delete(org.id);
  store.auditLogRetention.delete(org.id);
  store.organizations.delete(org.id);
  ctx.emit('organization.deleted', { ...org });
}
