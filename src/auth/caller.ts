/**
 * Who sent a request. Decided once per request from its Authorization header (src/auth/authenticate.ts)
 * and never changed afterwards: every scope check and cache of the request relies on that.
 */
export type Caller = AnonymousCaller | ServiceCaller | UserCaller;

export interface AnonymousCaller {
  kind: 'anonymous';
}

/** A backend holding one of GATEWAY_SERVICE_TOKENS: full access. */
export interface ServiceCaller {
  kind: 'service';
  /** Fingerprint of the token (not the token), for logs and the upstream fairness key. */
  fingerprint: string;
}

/** A person signed in through AuthKit, per the claims of their access token. */
export interface UserCaller {
  kind: 'user';
  userId: string;
  sessionId: string | undefined;
  /** The organization the session is in (`org_id`), if any. */
  organizationId: string | undefined;
  /** `role` in that organization, as the token says (memberships read from WorkOS decide writes). */
  role: string | undefined;
  /** `permissions` in that organization. */
  permissions: string[];
  /** When the token expires. */
  expiresAt: Date;
  /** Who is signed in as this user, when it is an impersonation (the token's `act.sub`, an email). */
  impersonatorEmail?: string;
}

export const ANONYMOUS: AnonymousCaller = { kind: 'anonymous' };

/** The upstream queue's fairness key: one queue lane per organization or credential. */
export function tenantOf(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'service':
      return `service:${caller.fingerprint}`;
    case 'user':
      return caller.organizationId ? `org:${caller.organizationId}` : `user:${caller.userId}`;
  }
}
