/**
 * The emulator's in-memory data, kept in WorkOS wire format (snake_case), so routes can return
 * records as they are. Maps keep insertion order; lists sort by id (ULIDs sort by creation).
 */
export interface OrganizationDomainRecord {
  object: 'organization_domain';
  id: string;
  organization_id: string;
  domain: string;
  state: 'failed' | 'legacy_verified' | 'pending' | 'unverified' | 'verified';
  verification_strategy: 'dns' | 'manual';
  verification_token?: string | null;
  verification_prefix?: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganizationRecord {
  object: 'organization';
  id: string;
  name: string;
  domains: OrganizationDomainRecord[];
  metadata: Record<string, string>;
  external_id: string | null;
  stripe_customer_id?: string;
  allow_profiles_outside_organization: boolean;
  created_at: string;
  updated_at: string;
}

export interface UserRecord {
  object: 'user';
  id: string;
  email: string;
  email_verified: boolean;
  first_name: string | null;
  last_name: string | null;
  profile_picture_url: string | null;
  external_id: string | null;
  last_sign_in_at: string | null;
  metadata: Record<string, string>;
  locale: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipRecord {
  object: 'organization_membership';
  id: string;
  user_id: string;
  organization_id: string;
  organization_name: string;
  status: 'active' | 'inactive' | 'pending';
  directory_managed: boolean;
  custom_attributes: Record<string, unknown>;
  role: { slug: string };
  roles: { slug: string }[];
  created_at: string;
  updated_at: string;
}

export interface DirectoryRecord {
  object: 'directory';
  id: string;
  organization_id: string;
  external_key: string;
  type: string;
  state: 'linked' | 'validating' | 'invalid_credentials' | 'unlinked' | 'deleting';
  name: string;
  domain: string | null;
  created_at: string;
  updated_at: string;
}

export interface DirectoryGroupRecord {
  object: 'directory_group';
  id: string;
  idp_id: string;
  directory_id: string;
  organization_id: string;
  name: string;
  raw_attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface DirectoryUserRecord {
  object: 'directory_user';
  id: string;
  directory_id: string;
  organization_id: string;
  idp_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  emails: { primary: boolean; type: string; value: string }[];
  username: string | null;
  state: 'active' | 'suspended' | 'inactive';
  raw_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  role: { slug: string } | null;
  /** Ids of the groups the user is in; the wire `groups` array is built from these. */
  group_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface ConnectionRecord {
  object: 'connection';
  id: string;
  organization_id: string | null;
  connection_type: string;
  name: string;
  state: 'requires_type' | 'draft' | 'active' | 'validating' | 'inactive' | 'deleting';
  status: 'linked' | 'unlinked';
  domains: { id: string; object: 'connection_domain'; domain: string }[];
  created_at: string;
  updated_at: string;
}

export interface AuditLogEventRecord {
  organization_id: string;
  event: Record<string, unknown>;
  received_at: string;
}

export interface AuditLogExportRecord {
  object: 'audit_log_export';
  id: string;
  organization_id: string;
  state: 'pending' | 'ready' | 'error';
  filters: Record<string, unknown>;
  /** When the export becomes ready (pending until then). */
  ready_at: number;
  created_at: string;
  updated_at: string;
}

export interface EventRecord {
  object: 'event';
  id: string;
  event: string;
  data: Record<string, unknown>;
  created_at: string;
  organization_id?: string;
}

export interface InvitationRecord {
  object: 'invitation';
  id: string;
  email: string;
  /** Stored as sent; `expired` is derived from expires_at when read (see routes/invitations.ts). */
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
  accepted_at: string | null;
  revoked_at: string | null;
  expires_at: string;
  organization_id: string | null;
  inviter_user_id: string | null;
  accepted_user_id: string | null;
  role_slug: string | null;
  token: string;
  created_at: string;
  updated_at: string;
}

/** An email the emulator would have sent (it sends none): tests read the links and tokens here. */
export interface SentEmailRecord {
  id: string;
  to: string;
  kind: 'invitation';
  subject: string;
  /** The link the email carries (for invitations: the accept URL with the token). */
  url: string;
  invitation_id?: string;
  token?: string;
  sent_at: string;
}

export interface RoleRecord {
  object: 'role';
  id: string;
  slug: string;
  name: string;
  description: string | null;
  type: 'EnvironmentRole' | 'OrganizationRole';
  resource_type_slug: string;
  permissions: string[];
  created_at: string;
  updated_at: string;
  /** Set for organization (custom) roles. */
  organization_id?: string;
}

export interface SessionRecord {
  object: 'session';
  id: string;
  user_id: string;
  organization_id?: string;
  ip_address: string | null;
  user_agent: string | null;
  auth_method: 'cross_app_auth' | 'external_auth' | 'impersonation' | 'magic_code' | 'migrated_session' | 'oauth' | 'passkey' | 'password' | 'sso' | 'unknown';
  status: 'active' | 'expired' | 'revoked';
  impersonator?: { email: string; reason: string | null };
  expires_at: string;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditLogActionRecord {
  name: string;
  /** Every version, oldest first; the action's `schema` is the last one. */
  schemas: AuditLogSchemaRecord[];
  created_at: string;
  updated_at: string;
}

export interface AuditLogSchemaRecord {
  object: 'audit_log_schema';
  version: number;
  actor?: { metadata: Record<string, unknown> };
  targets: { type: string; metadata?: Record<string, unknown> }[];
  metadata?: Record<string, unknown>;
  created_at: string;
}

/** An organization's sign-in rules (WorkOS sets them in the dashboard; no API changes them). */
export interface AuthPolicyRecord {
  /** Password and magic auth sign-ins answer `sso_required` with the organization's active connections. */
  ssoRequired?: boolean;
  /** Users without a factor must enroll one (`mfa_enrollment`) before their session is issued. */
  mfaRequired?: boolean;
}

export interface PortalLinkRecord {
  secret: string;
  organization_id: string;
  intent: string;
  return_url?: string;
  success_url?: string;
  expires_at: number;
  created_at: string;
}

export interface WidgetTokenRecord {
  organization_id: string;
  user_id?: string;
  scopes: string[];
  expires_at: number;
  created_at: string;
}

/** Secrets and short-lived auth state that WorkOS never returns on the wire. */
export interface AuthState {
  /** user id -> password (plain: the emulator is a local test double, never production). */
  passwords: Map<string, string>;
  /** refresh token -> session it belongs to; single use (rotated on each refresh). */
  refreshTokens: Map<string, { userId: string; organizationId: string | null; sessionId: string }>;
  /** session id -> the sign-in it stands for; a revoked session refreshes no more. */
  /** authorization code -> user (+ org); single use. */
  authorizationCodes: Map<string, { userId: string; organizationId: string | null; codeChallenge?: string; authenticationMethod?: string; expiresAt?: number }>;
  /** magic auth codes by email (lower case). */
  magicAuthCodes: Map<string, { id: string; code: string; userId: string; expiresAt: number; email?: string; createdAt?: string }>;
  /** pending authentication tokens (email verification, MFA). */
  pendingAuthentications: Map<string, PendingAuthentication>;
  /** password reset token -> reset. */
  passwordResets: Map<string, { id: string; userId: string; token: string; expiresAt: number; email?: string; createdAt?: string }>;
  /** TOTP factors by factor id; the secret stays here to check codes. */
  authFactors: Map<string, AuthFactorRecord>;
  /** MFA challenges by challenge id. */
  authChallenges: Map<string, { id: string; factorId: string; userId: string; createdAt: string }>;
  /** Latest email verification code per user id. */
  emailVerifications: Map<string, { id: string; userId: string; code: string; expiresAt: number; createdAt: string }>;
}

/** A sign-in that passed its first step and waits for another (verification, MFA, organization). */
export interface PendingAuthentication {
  userId: string;
  organizationId: string | null;
  emailVerificationCode?: string;
  totpSecret?: string;
  challengeId?: string;
  authenticationMethod?: string;
  /** Where the sign-in came from, for the session it will open. */
  ipAddress?: string;
  userAgent?: string;
  expiresAt?: number;
}

export interface AuthFactorRecord {
  id: string;
  userId: string;
  type: 'totp';
  secret: string;
  issuer: string;
  user: string;
  createdAt: string;
}

export class Store {
  organizations = new Map<string, OrganizationRecord>();
  users = new Map<string, UserRecord>();
  memberships = new Map<string, MembershipRecord>();
  directories = new Map<string, DirectoryRecord>();
  directoryGroups = new Map<string, DirectoryGroupRecord>();
  directoryUsers = new Map<string, DirectoryUserRecord>();
  connections = new Map<string, ConnectionRecord>();
  auditLogEvents: AuditLogEventRecord[] = [];
  auditLogExports = new Map<string, AuditLogExportRecord>();
  events: EventRecord[] = [];
  invitations = new Map<string, InvitationRecord>();
  /** What the emulator would have emailed, oldest first. */
  emails: SentEmailRecord[] = [];
  /** Environment roles (every organization has them) and organization roles, by id. */
  roles = new Map<string, RoleRecord>();
  sessions = new Map<string, SessionRecord>();
  /** Sign-in rules by organization id. */
  authPolicies = new Map<string, AuthPolicyRecord>();
  /** "DNS": TXT records by name (`<verification_prefix>.<domain>`), for domain verification. */
  dnsTxtRecords = new Map<string, string[]>();
  auditLogActions = new Map<string, AuditLogActionRecord>();
  /** Audit log retention by organization id (days; absent = never set). */
  auditLogRetention = new Map<string, number>();
  portalLinks = new Map<string, PortalLinkRecord>();
  /** Widget tokens handed out, by token. */
  widgetTokens = new Map<string, WidgetTokenRecord>();
  /** Idempotency-Key -> first response (status + body + a hash of the request body). */
  idempotency = new Map<string, { bodyHash: string; status: number; body: unknown; storedAt: number }>();
  auth: AuthState = {
    passwords: new Map(),
    refreshTokens: new Map(),
    authorizationCodes: new Map(),
    magicAuthCodes: new Map(),
    pendingAuthentications: new Map(),
    passwordResets: new Map(),
    authFactors: new Map(),
    authChallenges: new Map(),
    emailVerifications: new Map(),
  };
}
