import { statSync } from 'node:fs';
import { z } from 'zod';
import { bool, port, positiveInt } from './values.ts';
import { SECURITY_VARIABLES, securityConfigFrom, type SecurityConfig } from './security.ts';
import type { RateLimit, RateLimits } from '../transport/rate-buckets.ts';
import { RATE_LIMIT_VARIABLES, rateLimitValue, rateLimitsFrom } from './rate-limits.ts';
import { COOKIE_SESSION_VARIABLES, cookieSessionProblems, cookieSessionsFrom, type CookieSessionConfig } from './cookie-sessions.ts';
import { SHARED_STATE_VARIABLES, sharedStateFrom, type SharedStateConfig } from './shared-state.ts';
import { OBSERVABILITY_VARIABLES, observabilityConfigFrom, observabilityProblems, type ObservabilityConfig } from './observability.ts';

/**
 * Everything the gateway reads from the environment, parsed once at start.
 * A bad value stops the start with a message naming the variable.
 */
export interface GatewayConfig {
  host: string;
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  workos: {
    /** Absent: the gateway starts the embedded emulator with demo data. */
    apiKey: string | undefined;
    clientId: string | undefined;
    apiHostname: string;
    https: boolean;
    apiPort: number | undefined;
    webhookSecret: string | undefined;
    /** Appended to the gateway's User-Agent on every WorkOS call, naming the application. */
    userAgentSuffix: string | undefined;
  };
  upstream: {
    /** Upstream calls in flight at once, all tenants together. */
    maxConcurrency: number;
    /** Upstream calls of one tenant in flight at once. */
    maxConcurrencyPerTenant: number;
    /** Per-attempt timeout for one upstream call (ms). */
    timeoutMs: number;
    /** Time budget of one GraphQL request for its upstream calls (ms). */
    requestBudgetMs: number;
    /** Attempts per call, the first included (retries only where safe). */
    maxAttempts: number;
    /** Share one call between identical GETs in flight from different requests. */
    coalesce: boolean;
    /** Loader planning (caching, batching, priming); off only to measure the naive baseline. */
    planning: boolean;
    /** One bucket per documented WorkOS limit. */
    rateLimits: RateLimits;
    /** The longest pause a 429's Retry-After may impose on a bucket (ms). */
    maxRetryAfterMs: number;
  };
  /** Largest `first`/`last` a list accepts; above WorkOS' 100 it is served from several pages. */
  maxPageSize: number;
  /** Operations by id from codegen's persisted-documents.json (src/plugins/use-persisted-documents.ts). */
  persistedDocuments: { path: string | undefined; only: boolean };
  /** Authentication, query limits and production hardening (src/config/security.ts). */
  security: SecurityConfig;
  /** Browser sessions in an HttpOnly cookie (src/config/cookie-sessions.ts). */
  cookieSessions: CookieSessionConfig;
  /** WorkOS events in (webhook, Events API follower) and the cross-request cache they keep fresh. */
  events: EventsConfig;
  /** Logs, metrics, traces, readiness and shutdown (src/config/observability.ts). */
  observability: ObservabilityConfig;
  /** Redis for several instances sharing one budget (src/config/shared-state.ts). */
  shared: SharedStateConfig;
  /** Where local mode keeps its emulator's port, key and signing key across restarts. */
  dataDir: string;
}

export interface EventsConfig {
  /** How old a webhook signature may be (ms): older deliveries are refused as replays. */
  webhookToleranceMs: number;
  /** Largest webhook body accepted (bytes). */
  webhookMaxBytes: number;
  /** Poll the Events API from a stored cursor, so events sent while the gateway was down are not lost. */
  follow: boolean;
  pollMs: number;
  cursorFile: string;
  /** Lifetime of cached upstream reads (ms); 0 turns the cache off. */
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

const schema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  WORKOS_API_KEY: z
    .string()
    .trim()
    .regex(/^sk_[A-Za-z0-9_]+$/, 'expected a WorkOS secret key (sk_...)')
    .optional(),
  WORKOS_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^client_[A-Za-z0-9]+$/, 'expected a WorkOS client id (client_...)')
    .optional(),
  WORKOS_API_HOSTNAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]+$/, 'expected a host name without scheme or port')
    .default('api.workos.com'),
  WORKOS_API_HTTPS: bool.default(true),
  WORKOS_API_PORT: port.optional(),
  WORKOS_WEBHOOK_SECRET: z.string().min(1).optional(),
  GATEWAY_USER_AGENT_SUFFIX: z
    .string()
    .trim()
    .max(200, 'at most 200 characters')
    .regex(/^[\x21-\x7E]+( [\x21-\x7E]+)*$/, 'expected product tokens such as my-app/1.2 (printable ASCII, single spaces)')
    .optional(),
  GATEWAY_UPSTREAM_CONCURRENCY: positiveInt.default(256),
  GATEWAY_UPSTREAM_TENANT_CONCURRENCY: positiveInt.default(128),
  GATEWAY_UPSTREAM_TIMEOUT_MS: positiveInt.default(10_000),
  GATEWAY_REQUEST_BUDGET_MS: positiveInt.default(15_000),
  GATEWAY_MAX_PAGE_SIZE: positiveInt.max(1000).default(500),
  GATEWAY_UPSTREAM_ATTEMPTS: positiveInt.max(10).default(4),
  GATEWAY_MAX_RETRY_AFTER_SECONDS: positiveInt.max(3600).default(60),
  GATEWAY_COALESCE: bool.default(true),
  GATEWAY_PLANNING: bool.default(true),
  GATEWAY_PERSISTED_DOCUMENTS: z
    .string()
    .trim()
    .refine((p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true, 'expected the path of an existing persisted-documents.json')
    .optional(),
  GATEWAY_PERSISTED_ONLY: bool.default(false),
  GATEWAY_WEBHOOK_TOLERANCE_MS: positiveInt.default(180_000),
  GATEWAY_WEBHOOK_MAX_BYTES: positiveInt.default(256 * 1024),
  GATEWAY_EVENTS_FOLLOW: bool.default(false),
  GATEWAY_EVENTS_POLL_MS: positiveInt.default(5_000),
  GATEWAY_EVENTS_CURSOR_FILE: z.string().trim().min(1).default('.data/events-cursor.json'),
  GATEWAY_CACHE_TTL_MS: z.coerce.number().int('expected an integer').min(0).default(30_000),
  GATEWAY_CACHE_MAX_ENTRIES: positiveInt.default(10_000),
  GATEWAY_DATA_DIR: z.string().trim().min(1).default('.data'),
  ...SECURITY_VARIABLES,
  ...COOKIE_SESSION_VARIABLES,
  ...OBSERVABILITY_VARIABLES,
  ...SHARED_STATE_VARIABLES,
  ...Object.fromEntries(Object.values(RATE_LIMIT_VARIABLES).map((name) => [name, rateLimitValue.optional()])),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty strings count as unset, as shells and .env files often leave them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    // Messages name the variable, never echo its value (it may be a secret).
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const observability = observabilityConfigFrom(e, e.NODE_ENV);
  const problems = [...observabilityProblems(observability, e.NODE_ENV), ...cookieSessionProblems(e)];
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    host: e.HOST,
    port: e.PORT,
    nodeEnv: e.NODE_ENV,
    workos: {
      apiKey: e.WORKOS_API_KEY,
      clientId: e.WORKOS_CLIENT_ID,
      apiHostname: e.WORKOS_API_HOSTNAME,
      https: e.WORKOS_API_HTTPS,
      apiPort: e.WORKOS_API_PORT,
      webhookSecret: e.WORKOS_WEBHOOK_SECRET,
      userAgentSuffix: e.GATEWAY_USER_AGENT_SUFFIX,
    },
    upstream: {
      maxConcurrency: e.GATEWAY_UPSTREAM_CONCURRENCY,
      maxConcurrencyPerTenant: Math.min(e.GATEWAY_UPSTREAM_TENANT_CONCURRENCY, e.GATEWAY_UPSTREAM_CONCURRENCY),
      timeoutMs: e.GATEWAY_UPSTREAM_TIMEOUT_MS,
      requestBudgetMs: e.GATEWAY_REQUEST_BUDGET_MS,
      maxAttempts: e.GATEWAY_UPSTREAM_ATTEMPTS,
      coalesce: e.GATEWAY_COALESCE,
      planning: e.GATEWAY_PLANNING,
      maxRetryAfterMs: e.GATEWAY_MAX_RETRY_AFTER_SECONDS * 1000,
      rateLimits: rateLimitsFrom(
        Object.fromEntries(
          Object.entries(RATE_LIMIT_VARIABLES).map(([key, name]) => [key, (e as Record<string, unknown>)[name] as RateLimit | false | undefined]),
        ),
      ),
    },
    maxPageSize: e.GATEWAY_MAX_PAGE_SIZE,
    persistedDocuments: { path: e.GATEWAY_PERSISTED_DOCUMENTS, only: e.GATEWAY_PERSISTED_ONLY },
    security: securityConfigFrom(e, e.NODE_ENV),
    cookieSessions: cookieSessionsFrom(e),
    events: {
      webhookToleranceMs: e.GATEWAY_WEBHOOK_TOLERANCE_MS,
      webhookMaxBytes: e.GATEWAY_WEBHOOK_MAX_BYTES,
      follow: e.GATEWAY_EVENTS_FOLLOW,
      pollMs: e.GATEWAY_EVENTS_POLL_MS,
      cursorFile: e.GATEWAY_EVENTS_CURSOR_FILE,
      cacheTtlMs: e.GATEWAY_CACHE_TTL_MS,
      cacheMaxEntries: e.GATEWAY_CACHE_MAX_ENTRIES,
    },
    observability,
    shared: sharedStateFrom(e),
    dataDir: e.GATEWAY_DATA_DIR,
  };
}
