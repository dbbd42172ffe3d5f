import type {
  AuditLogExport,
  Connection,
  Directory,
  DirectoryGroup,
  DirectoryUser,
  OrganizationMembership,
  User,
} from '@workos-inc/node';
import type { OrganizationModel } from '../data/organization-stub.ts';
import { VISIBLE_USER } from './auth-scopes.ts';
import { builder } from './builder.ts';

/**
 * Object refs, declared apart from their fields so domain files can point at each other
 * (an organization lists memberships, a membership points back at its organization).
 * Each is backed by the SDK's own type.
 */
/** Backed by the full SDK object or by a stub from another object's payload (src/data/organization-stub.ts). */
export const OrganizationRef = builder.objectRef<OrganizationModel>('Organization');
export const UserRef = builder.objectRef<User>('User');
export const OrganizationMembershipRef = builder.objectRef<OrganizationMembership>('OrganizationMembership');
export const DirectoryRef = builder.objectRef<Directory>('Directory');
export const DirectoryUserRef = builder.objectRef<DirectoryUser>('DirectoryUser');
export const DirectoryGroupRef = builder.objectRef<DirectoryGroup>('DirectoryGroup');
export const SsoConnectionRef = builder.objectRef<Connection>('SsoConnection');
export const AuditLogExportRef = builder.objectRef<AuditLogExport>('AuditLogExport');

export const OrganizationConnection = builder.connectionObject(
  { type: OrganizationRef, name: 'OrganizationConnection', description: 'A page of organizations, newest first.' },
  { name: 'OrganizationEdge' },
);
// Every field returning users as a page is scoped to an organization the caller can read (the
// root `users` by its organizationId, `Organization.users` by its organization), so its users may be read.
export const UserConnection = builder.connectionObject(
  { type: UserRef, name: 'UserConnection', description: 'A page of users, newest first.' },
  { name: 'UserEdge', nodeField: { grantScopes: [VISIBLE_USER] } },
);
export const OrganizationMembershipConnection = builder.connectionObject(
  {
    type: OrganizationMembershipRef,
    name: 'OrganizationMembershipConnection',
    description: 'A page of organization memberships, newest first.',
  },
  { name: 'OrganizationMembershipEdge' },
);
export const DirectoryConnection = builder.connectionObject(
  { type: DirectoryRef, name: 'DirectoryConnection', description: 'A page of directories, newest first.' },
  { name: 'DirectoryEdge' },
);
export const DirectoryUserConnection = builder.connectionObject(
  { type: DirectoryUserRef, name: 'DirectoryUserConnection', description: 'A page of directory users, newest first.' },
  { name: 'DirectoryUserEdge' },
);
export const DirectoryGroupConnection = builder.connectionObject(
  {
    type: DirectoryGroupRef,
    name: 'DirectoryGroupConnection',
    description: 'A page of directory groups, newest first.',
  },
  { name: 'DirectoryGroupEdge' },
);
export const SsoConnectionConnection = builder.connectionObject(
  { type: SsoConnectionRef, name: 'SsoConnectionConnection', description: 'A page of SSO connections, newest first.' },
  { name: 'SsoConnectionEdge' },
);
