import type { RouteModule } from '../context.ts';
import auditLogs from './audit-logs.ts';
import authkit from './authkit.ts';
import connections from './connections.ts';
import directories from './directories.ts';
import events from './events.ts';
import memberships from './memberships.ts';
import organizations from './organizations.ts';
import users from './users.ts';

/** Every WorkOS route family the emulator serves; the server mounts them in this order. */
export const routeModules: RouteModule[] = [
  organizations,
  users,
  memberships,
  directories,
  connections,
  authkit,
  auditLogs,
  events,
];
