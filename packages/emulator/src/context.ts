import type { KeyObject } from 'node:crypto';
import type { Hono } from 'hono';
import type { IdFactory } from './ids.ts';
import type { Store } from './store.ts';

export interface DemoUser {
  email: string;
  password: string;
  role: 'admin' | 'member';
  organizationName: string;
  /** false = the user must verify the email at sign-in (403 email_verification_required). Default true. */
  emailVerified?: boolean;
  /** Base32 TOTP secret: the seed enrolls a TOTP factor, so sign-in answers 403 mfa_challenge. */
  totpSecret?: string;
}

export interface RateLimitConfig {
  /** Requests per window for every route, per API key (WorkOS: 6,000 / 60 s). */
  general: { limit: number; windowMs: number };
  /** GET /user_management/* (WorkOS: 1,000 / 10 s). */
  userManagementReads: { limit: number; windowMs: number };
  /** POST/PUT/DELETE /user_management/* (WorkOS: 500 / 10 s). */
  userManagementWrites: { limit: number; windowMs: number };
  /** GET /directory_users, per directory (WorkOS: 4 / s). */
  directoryUsers: { limit: number; windowMs: number };
  /** DELETE /organizations/:id (WorkOS: 50 / 60 s). */
  organizationDeletes: { limit: number; windowMs: number };
  /** POST /user_management/authenticate, per email (WorkOS: 10 / 60 s). */
  authenticate: { limit: number; windowMs: number };
  /** POST /user_management/magic_auth, per email (WorkOS: 3 / 60 s). */
  magicAuth: { limit: number; windowMs: number };
  /** POST /user_management/password_reset, per email (WorkOS: 3 / 60 s). */
  passwordReset: { limit: number; windowMs: number };
  /** POST /user_management/users/:id/email_verification/send, per user (WorkOS: 3 / 60 s). */
  emailVerification: { limit: number; windowMs: number };
}

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface EmulatorConfig {
  apiKey: string;
  clientId: string;
  /** Public base URL (known once listening). Used in export URLs and the JWT issuer. */
  baseUrl: () => string;
  /** false = no rate limiting at all. */
  rateLimits: RateLimitConfig | false;
  webhookEndpoints: WebhookEndpoint[];
  /** How long an audit log export stays pending before it is ready (ms). */
  exportDelayMs: number;
  /** Access token lifetime in seconds (default 300, as WorkOS' session tokens). */
  accessTokenTtlSeconds?: number;
  /** The RSA key tokens are signed with; absent: a new one per emulator. */
  signingKey?: KeyObject;
}

/** What every route module gets: the data, id maker, clock, config and the event emitter. */
export interface EmulatorContext {
  store: Store;
  ids: IdFactory;
  now: () => Date;
  config: EmulatorConfig;
  /**
   * Records a WorkOS event (GET /events) and delivers it, signed, to every webhook endpoint.
   * Call it after every create/update/delete, e.g. emit('organization.updated', orgRecord).
   */
  emit: (event: string, data: Record<string, unknown>) => void;
}

/** A group of routes; the server mounts each module on one Hono app behind auth, limits and faults. */
export type RouteModule = (app: Hono, ctx: EmulatorContext) => void;
