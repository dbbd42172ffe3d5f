import type { Invitation, OrganizationDomain, Role, Session } from '@workos-inc/node';
import type { AuditLogAction } from '../data/admin-loaders.ts';
import { builder } from './builder.ts';

/**
 * Refs of the admin screens' types (beside refs.ts, on the same pattern), so their domain files
 * and the older ones can point at each other.
 */
export const InvitationRef = builder.objectRef<Invitation>('Invitation');
export const OrganizationDomainRef = builder.objectRef<OrganizationDomain>('OrganizationDomain');
export const SessionRef = builder.objectRef<Session>('Session');
export const AuditLogActionRef = builder.objectRef<AuditLogAction>('AuditLogAction');

/**
 * A role as the schema sees it: a slug in an organization, and the role itself when already in
 * hand (the organization's role list). A membership carries only the slug: name, description
 * and permissions are read from its organization's role list, once per organization per request.
 */
export interface RoleShape {
  slug: string;
  organizationId: string | null;
  role?: Role;
}
export const RoleRef = builder.objectRef<RoleShape>('Role');

/** Granted to an invitation its invitee reached (invitationByToken, acceptInvitation): they may read it. */
export const INVITEE = 'invitee';

export const InvitationConnection = builder.connectionObject(
  { type: InvitationRef, name: 'InvitationConnection', description: 'A page of invitations, newest first unless ordered otherwise.' },
  { name: 'InvitationEdge' },
);
export const SessionConnection = builder.connectionObject(
  { type: SessionRef, name: 'SessionConnection', description: 'A page of AuthKit sessions, newest first unless ordered otherwise.' },
  { name: 'SessionEdge' },
);
export const AuditLogActionConnection = builder.connectionObject(
  { type: AuditLogActionRef, name: 'AuditLogActionConnection', description: 'A page of audit log actions, by name.' },
  { name: 'AuditLogActionEdge' },
);
