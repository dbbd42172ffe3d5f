/**
 * Permission slugs (AuthKit roles and permissions) that allow writes in an organization to a
 * member without the admin role, when their access token carries them for that organization.
 */
export const PERMISSIONS = {
  /** Update or delete the organization, delete its directories and SSO connections. */
  organizations: 'organizations:manage',
  /** Add, change, deactivate and remove memberships. */
  users: 'users:manage',
  /** Record audit log events, create and read exports. */
  auditLogs: 'audit_logs:manage',
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** The role that may write in its organization whatever the token's permissions. */
export const ADMIN_ROLE = 'admin';
