import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { EmulatorConfig, EmulatorContext, RateLimitConfig, WebhookEndpoint } from './context.ts';
import { createAdminApp } from './admin.ts';
import { createApiApp } from './app.ts';
import { FaultRegistry, type FaultSpec } from './faults.ts';
import { IdFactory, RuntimeIdFactory, seededRandom, type IdPrefixes } from './ids.ts';
import { RateLimiter, resolveRateLimits } from './rate-limits.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import { clearStore } from './reset-store.ts';
import { DEMO_USERS, SEED_BASE_TIME, seedStore, type SeedOptions } from './seed.ts';
import { Store, type EventRecord } from './store.ts';
import { createWebhookDelivery } from './webhooks.ts';
import {
  accessTokenIssuer,
  createAuthorizationCode,
  issueAccessToken,
  issueDemoAccessTokens,
  jwks,
  type AccessTokenOptions,
  type AuthorizationCodeOptions,
  type DemoAccessToken,
  type PublicJwk,
} from './routes/authkit.ts';

export type { FaultSpec } from './faults.ts';
export type { SeedOptions } from './seed.ts';
export type { RequestLogEntry } from './request-log.ts';
export { DEMO_USERS } from './seed.ts';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default `sk_test_emulator`. */
  apiKey?: string;
  /** Default a fixed `client_<ULID>`, the same at every start. */
  clientId?: string;
  /** false = start empty. */
  seed?: SeedOptions | false;
  /** Partial = WorkOS defaults overridden per bucket; false = no rate limiting. */
  rateLimits?: Partial<RateLimitConfig> | false;
  webhookEndpoints?: WebhookEndpoint[];
  /** How long audit log exports stay pending (default 1,000 ms). */
  exportDelayMs?: number;
  /** Lifetime of the access tokens the emulator signs, in seconds (default 300, as WorkOS' session tokens). */
  accessTokenTtlSeconds?: number;
  /** Id prefixes other than WorkOS' spec spelling, per kind, to act as another WorkOS-compatible upstream. */
  idPrefixes?: IdPrefixes;
  /**
   * The RSA private key access tokens are signed with: a PEM string (PKCS#8 or PKCS#1) or a
   * private JWK. Default: a new key at every start. With the same key, `port` and `clientId`,
   * tokens signed by an earlier run still verify after a restart.
   */
  signingKey?: string | JsonWebKey;
}

export interface EmulatorHandle {
  url: string;
  apiKey: string;
  clientId: string;
  /**
   * The emulator's in-memory data, for tests that assert what reached the emulator or look up
   * seeded records. Reading it is fine; writes bypass validation and events.
   */
  store: Store;
  close(): Promise<void>;
  /** Back to the seed; clears request counters, faults and rate limit windows. */
  reset(): void;
  requests: {
    /** Keyed by method and route template, e.g. `"GET /organizations/:id"`. */
    counts(): Record<string, number>;
    total(): number;
    log(): RequestLogEntry[];
    reset(): void;
  };
  faults: {
    add(f: FaultSpec): string;
    remove(id: string): void;
    clear(): void;
  };
  setRateLimits(r: Partial<RateLimitConfig> | false): void;
  /** Records an event (GET /events) and delivers it to the webhook endpoints, as a write would. */
  emit: EmulatorContext['emit'];
  /** Delivers signed events to one more endpoint from now on. Returns a function that removes it again. */
  addWebhookEndpoint(endpoint: WebhookEndpoint): () => void;
  /** Stops all webhook deliveries (endpoints given at start included). */
  clearWebhookEndpoints(): void;
  /** Signs an access token as AuthKit would, with the key served at the JWKS URL. */
  issueAccessToken(options: AccessTokenOptions): Promise<string>;
  /** One token per demo user (every user with a password), in their first organization. Default lifetime 12 h. */
  issueDemoAccessTokens(ttlSeconds?: number): Promise<DemoAccessToken[]>;
  /** The JWKS served at `GET /sso/jwks/:clientId`. */
  jwks(): { keys: PublicJwk[] };
  /** The `iss` claim of every access token this emulator signs. */
  accessTokenIssuer(): string;
  /** A single-use code for `grant_type=authorization_code`, as a hosted AuthKit sign-in would redirect with. */
  createAuthorizationCode(options: AuthorizationCodeOptions): string;
}

export const DEFAULT_API_KEY = 'sk_test_emulator';
/** Stable across starts, so a client id pasted into a frontend's env keeps working. */
export const DEFAULT_CLIENT_ID = `client_${new IdFactory(seededRandom(4242)).ulid(SEED_BASE_TIME)}`;
const DEFAULT_EXPORT_DELAY_MS = 1000;

/** Starts a WorkOS-compatible API on `host:port` with seeded demo data. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  let url = '';
  const config: EmulatorConfig = {
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    baseUrl: () => url,
    rateLimits: resolveRateLimits(options.rateLimits),
    webhookEndpoints: options.webhookEndpoints ?? [],
    exportDelayMs: options.exportDelayMs ?? DEFAULT_EXPORT_DELAY_MS,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    signingKey: options.signingKey === undefined ? undefined : rsaPrivateKey(options.signingKey),
  };

  const store = new Store();
  let seedEnd = SEED_BASE_TIME;
  const reseed = () => {
    seedEnd = options.seed === false ? SEED_BASE_TIME : seedStore(store, options.seed, options.idPrefixes).lastTime;
  };
  reseed();

  const ids = new RuntimeIdFactory(() => seedEnd + 1, options.idPrefixes);
  const delivery = createWebhookDelivery(config);
  const emit: EmulatorContext['emit'] = (event, data) => {
    const record: EventRecord = {
      object: 'event',
      id: ids.make('event'),
      event,
      data,
      created_at: new Date().toISOString(),
    };
    const orgId = typeof data.organization_id === 'string' ? data.organization_id : event.startsWith('organization.') ? data.id : undefined;
    if (typeof orgId === 'string') record.organization_id = orgId;
    store.events.push(record);
    delivery.deliver(record);
  };
  const ctx: EmulatorContext = { store, ids, now: () => new Date(), config, emit };

  const requests = new RequestLog();
  const faults = new FaultRegistry();
  const limiter = new RateLimiter(config.rateLimits);
  const setRateLimits = (r: Partial<RateLimitConfig> | false) => {
    config.rateLimits = resolveRateLimits(r);
    limiter.setConfig(config.rateLimits);
  };
  const reset = () => {
    clearStore(store);
    reseed();
    requests.reset();
    faults.clear();
    limiter.reset();
  };

  const api = createApiApp(ctx, { requests, faults, limiter });
  const admin = createAdminApp({
    requests,
    faults,
    reset,
    setRateLimits,
    info: () => ({ url, apiKey: config.apiKey, clientId: config.clientId, demoUsers: DEMO_USERS }),
  });

  const server = await listen(
    (req, env) => (new URL(req.url).pathname.startsWith('/_emulator') ? admin.fetch(req, env) : api.fetch(req, env)),
    host,
    options.port ?? 0,
  );
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await delivery.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of SDK clients would hold close() open forever.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    })());

  return {
    url,
    apiKey: config.apiKey,
    clientId: config.clientId,
    store,
    close,
    reset,
    requests: {
      counts: () => requests.counts(),
      total: () => requests.total(),
      log: () => requests.log(),
      reset: () => requests.reset(),
    },
    faults: {
      add: (f) => faults.add(f),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    setRateLimits,
    emit,
    addWebhookEndpoint: (endpoint) => {
      const added = { url: endpoint.url, secret: endpoint.secret };
      config.webhookEndpoints.push(added);
      return () => {
        const i = config.webhookEndpoints.indexOf(added);
        if (i >= 0) config.webhookEndpoints.splice(i, 1);
      };
    },
    clearWebhookEndpoints: () => {
      config.webhookEndpoints.length = 0;
    },
    issueAccessToken: (tokenOptions) => issueAccessToken(ctx, tokenOptions),
    issueDemoAccessTokens: (ttlSeconds) => issueDemoAccessTokens(ctx, ttlSeconds),
    jwks: () => jwks(ctx),
    accessTokenIssuer: () => accessTokenIssuer(ctx),
    createAuthorizationCode: (codeOptions) => createAuthorizationCode(ctx, codeOptions),
  };
}

function rsaPrivateKey(key: string | JsonWebKey): KeyObject {
  const object = typeof key === 'string' ? createPrivateKey(key) : createPrivateKey({ key, format: 'jwk' });
  if (object.asymmetricKeyType !== 'rsa') throw new Error('signingKey must be an RSA private key (tokens are RS256).');
  return object;
}

type FetchHandler = (req: Request, env: unknown) => Response | Promise<Response>;

function listen(fetch: FetchHandler, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
