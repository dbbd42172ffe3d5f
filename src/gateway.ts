import type { WorkOS } from '@workos-inc/node';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { GatewayAuth } from './auth/gateway-auth.ts';
import { UpstreamCache } from './cache/upstream-cache.ts';
import type { GatewayConfig } from './config/index.ts';
import type { GatewayContext } from './context/context.ts';
import { contextFactory } from './context/create-context.ts';
import { EventsFollower } from './events/follower.ts';
import { EventHub } from './events/hub.ts';
import { webhookEndpoint } from './events/webhook-endpoint.ts';
import { clientAddressResolver } from './http/client-address.ts';
import { corsOptions } from './http/cors.ts';
import { createHttpServer, type ServerContext } from './http/server.ts';
import { graphiqlOptions, renderLocalGraphiQL } from './plugins/graphiql-page.ts';
import { gatewayPlugins, operatingPlugins } from './plugins/index.ts';
import { OpenSubscriptions } from './plugins/use-subscription-lifecycle.ts';
import { healthRoutes } from './http/health.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { observeRequests } from './observability/http-requests.ts';
import { yogaLogger } from './observability/logger.ts';
import { Readiness } from './observability/readiness.ts';
import { upstreamKeyCheck } from './observability/upstream-check.ts';
import { Telemetry, type TelemetryOptions } from './observability/telemetry.ts';
import { maskGatewayError } from './plugins/mask-errors.ts';
import { buildSchema, startPlan } from './schema/index.ts';
import { SharedBucketGate } from './shared/shared-buckets.ts';
import { SharedStore } from './shared/store.ts';
import { UpstreamQueue } from './transport/queue.ts';
import { DEFAULT_RETRY } from './transport/retry-policy.ts';
import { createWorkOSClient } from './workos/client.ts';
import { IdPrefixes } from './workos/ids.ts';
import { gatewayUserAgent } from './workos/user-agent.ts';

export type { ServerContext } from './http/server.ts';

export interface Gateway {
  yoga: YogaServerInstance<ServerContext, GatewayContext>;
  queue: UpstreamQueue;
  workos: WorkOS;
  /** Cross-request cache of upstream reads; undefined when GATEWAY_CACHE_TTL_MS=0. */
  cache: UpstreamCache | undefined;
  /** Where WorkOS events arrive (webhook and follower) and subscriptions read them. */
  events: EventHub;
  /** The Events API follower, when GATEWAY_EVENTS_FOLLOW is on. */
  follower: EventsFollower | undefined;
  /** Shared state with the other instances (Redis), when REDIS_URL is set. */
  shared: SharedStore | undefined;
  /** Logger, metrics and tracing of this gateway. */
  telemetry: Telemetry;
  /** What GET /ready checks; other parts add theirs (e.g. Redis) with `readiness.add(name, check)`. */
  readiness: Readiness;
  /** GraphQL subscriptions open now (ended with a final message on close). */
  subscriptions: OpenSubscriptions;
  /** Starts the HTTP server; resolves with its URL (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Stops: /ready answers 503, open subscriptions get a final message and end, the server stops
   * accepting and lets in-flight requests finish (cut after GATEWAY_SHUTDOWN_GRACE_MS), spans are flushed.
   */
  close(): Promise<void>;
}

/**
 * The gateway, composed bottom-up along the request's path: upstream transport, cache, SDK;
 * events; auth; then the GraphQL edge (schema, context, plugins) behind the HTTP server.
 */
export function createGateway(config: GatewayConfig & { workos: { apiKey: string } }, options: TelemetryOptions = {}): Gateway {
  const telemetry = new Telemetry(config, options);
  const { redisUrl } = config.shared;
  const shared = redisUrl ? new SharedStore({ ...config.shared, redisUrl }, telemetry.sharedState) : undefined;
  const queue = new UpstreamQueue({
    observer: telemetry.upstream,
    maxConcurrency: config.upstream.maxConcurrency,
    maxConcurrencyPerTenant: config.upstream.maxConcurrencyPerTenant,
    timeoutMs: config.upstream.timeoutMs,
    rateLimits: config.upstream.rateLimits,
    retry: { ...DEFAULT_RETRY, maxAttempts: config.upstream.maxAttempts },
    coalesce: config.upstream.coalesce,
    maxRetryAfterMs: config.upstream.maxRetryAfterMs,
    userAgent: gatewayUserAgent(config.workos.userAgentSuffix),
    gate: shared ? (buckets) => new SharedBucketGate(shared, buckets) : undefined,
  });
  const cache = createCache(config);
  const workos = createWorkOSClient(config.workos, cache ? { fetch: cache.wrap(queue.fetch) } : queue);

  const events = new EventHub(cache, shared);
  const webhook = webhookEndpoint(workos, events, {
    secret: config.workos.webhookSecret,
    toleranceMs: config.events.webhookToleranceMs,
    maxBytes: config.events.webhookMaxBytes,
  });
  const follower = config.events.follow
    ? new EventsFollower(workos, events, {
        pollMs: config.events.pollMs,
        cursorFile: config.events.cursorFile,
        shared,
        onError: (error) => telemetry.followerError(error),
      })
    : undefined;
  telemetry.watch({ queue, cache, events });

  const auth = new GatewayAuth(config, workos, (url, init) => queue.fetch(url, init), shared);

  const readiness = new Readiness(config.observability.readinessIntervalMs);
  // An uncached client: readiness must reach WorkOS, not the cache.
  readiness.add('upstream', upstreamKeyCheck(createWorkOSClient(config.workos, queue)));
  const keys = auth.keys;
  if (shared) readiness.add('redis', () => shared.check());
  shared?.onChange((up) => telemetry.metrics?.sharedStateUp(up));
  if (keys) readiness.add('jwks', async () => (keys.loaded() ? undefined : keys.load().catch(() => Promise.reject(new Error('the AuthKit key set (JWKS) could not be loaded')))));
  const subscriptions = new OpenSubscriptions(telemetry.metrics);

  const yoga = createYoga<ServerContext, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.security.graphiql ? graphiqlOptions() : false,
    renderGraphiQL: renderLocalGraphiQL,
    cors: corsOptions(config.security, config.nodeEnv === 'production', config.cookieSessions.enabled),
    maskedErrors: { maskError: maskGatewayError },
    logging: yogaLogger(telemetry.logger),
    context: contextFactory({
      workos,
      auth,
      events,
      planning: config.upstream.planning,
      maxPageSize: config.maxPageSize,
      idPrefixes: new IdPrefixes(),
      clientAddress: clientAddressResolver(config.security.trustProxy),
      requestBudgetMs: config.upstream.requestBudgetMs,
    }),
    plugins: [...gatewayPlugins(config, config.upstream.planning ? startPlan : () => [], () => queue.budget(), { cookies: auth.cookies }), ...operatingPlugins(subscriptions)],
  });

  // The webhook, health and metrics are plain HTTP, not GraphQL: answered before yoga sees the request.
  const routes = [webhook, healthRoutes(readiness), metricsRoute(telemetry.metrics, config.observability.metrics.token)];
  const server = createHttpServer(observeRequests(telemetry, yoga), routes);
  return {
    yoga,
    queue,
    workos,
    cache,
    events,
    follower,
    shared,
    telemetry,
    readiness,
    subscriptions,
    listen: async (port = config.port, host = config.host) => {
      // An instance that cannot reach Redis starts anyway, on its local share, and reports not ready.
      await shared?.connect();
      const url = await server.listen(port, host);
      follower?.start();
      readiness.start();
      return url;
    },
    close: async () => {
      await readiness.stop();
      subscriptions.endAll();
      await follower?.stop();
      await server.close(config.observability.shutdownGraceMs);
      await shared?.close();
      await telemetry.shutdown();
    },
  };
}

/** The cache stays fresh through events; with no way to hear of changes it would serve stale data. */
function createCache(config: GatewayConfig): UpstreamCache | undefined {
  const hearsEvents = Boolean(config.workos.webhookSecret) || config.events.follow;
  if (config.events.cacheTtlMs <= 0 || !hearsEvents) return undefined;
  return new UpstreamCache({ ttlMs: config.events.cacheTtlMs, maxEntries: config.events.cacheMaxEntries });
}
