import type { RouteModule } from '../context.ts';
import auditLogActions from './audit-log-actions.ts';
import auditLogs from './audit-logs.ts';
import authFactors from './auth-factors.ts';
import authkit from './authkit.ts';
import authorize from './authorize.ts';
import connections from './connections.ts';
import directories from './directories.ts';
import events from './events.ts';
import invitations from './invitations.ts';
import memberships from './memberships.ts';
import organizationDomains from './organization-domains.ts';
import organizations from './organizations.ts';
import portal from './portal.ts';
import roles from './roles.ts';
import sessions from './sessions.ts';
import users from './users.ts';
import widgets from './widgets.ts';

/** Every WorkOS route family the emulator serves; the server mounts them in this order. */
export const routeModules: RouteModule[] = [
  organizations,
  organizationDomains,
  users,
  memberships,
  invitations,
  roles,
  directories,
  connections,
  authkit,
  authorize,
  sessions,
  authFactors,
  auditLogs,
  auditLogActions,
  portal,
  widgets,
  events,
];
