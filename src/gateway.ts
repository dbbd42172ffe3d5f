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
import { corsOptions } from './http/cors.ts';
import { createHttpServer, type ServerContext } from './http/server.ts';
import { graphiqlOptions, renderLocalGraphiQL } from './plugins/graphiql-page.ts';
import { gatewayPlugins } from './plugins/index.ts';
import { maskGatewayError } from './plugins/mask-errors.ts';
import { buildSchema } from './schema/index.ts';
import { UpstreamQueue } from './transport/queue.ts';
import { DEFAULT_RETRY } from './transport/retry-policy.ts';
import { createWorkOSClient } from './workos/client.ts';

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
  /** Starts the HTTP server; resolves with its URL (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, then closes. */
  close(): Promise<void>;
}

/**
 * The gateway, composed bottom-up along the request's path: upstream transport, cache, SDK;
 * events; auth; then the GraphQL edge (schema, context, plugins) behind the HTTP server.
 */
export function createGateway(config: GatewayConfig & { workos: { apiKey: string } }): Gateway {
  const queue = new UpstreamQueue({
    maxConcurrency: config.upstream.maxConcurrency,
    timeoutMs: config.upstream.timeoutMs,
    rateLimits: config.upstream.rateLimits,
    retry: { ...DEFAULT_RETRY, maxAttempts: config.upstream.maxAttempts },
    coalesce: config.upstream.coalesce,
  });
  const cache = createCache(config);
  const workos = createWorkOSClient(config.workos, cache ? { fetch: cache.wrap(queue.fetch) } : queue);

  const events = new EventHub(cache);
  const webhook = webhookEndpoint(workos, events, {
    secret: config.workos.webhookSecret,
    toleranceMs: config.events.webhookToleranceMs,
    maxBytes: config.events.webhookMaxBytes,
  });
  const follower = config.events.follow
    ? new EventsFollower(workos, events, { pollMs: config.events.pollMs, cursorFile: config.events.cursorFile })
    : undefined;

  const auth = new GatewayAuth(config, workos, (url, init) => queue.fetch(url, init));

  const yoga = createYoga<ServerContext, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.security.graphiql ? graphiqlOptions() : false,
    renderGraphiQL: renderLocalGraphiQL,
    cors: corsOptions(config.security, config.nodeEnv === 'production', config.cookieSessions.enabled),
    maskedErrors: { maskError: maskGatewayError },
    logging: config.nodeEnv === 'test' ? 'warn' : 'info',
    context: contextFactory({ workos, auth, events, planning: config.upstream.planning, maxPageSize: config.maxPageSize }),
    plugins: gatewayPlugins(config, { cookies: auth.cookies }),
  });

  // The webhook is plain HTTP, not GraphQL: it is answered before yoga sees the request.
  const server = createHttpServer(yoga, [webhook]);
  return {
    yoga,
    queue,
    workos,
    cache,
    events,
    follower,
    listen: async (port = config.port, host = config.host) => {
      const url = await server.listen(port, host);
      follower?.start();
      return url;
    },
    close: async () => {
      await follower?.stop();
      await server.close();
    },
  };
}

/** The cache stays fresh through events; with no way to hear of changes it would serve stale data. */
function createCache(config: GatewayConfig): UpstreamCache | undefined {
  const hearsEvents = Boolean(config.workos.webhookSecret) || config.events.follow;
  if (config.events.cacheTtlMs <= 0 || !hearsEvents) return undefined;
  return new UpstreamCache({ ttlMs: config.events.cacheTtlMs, maxEntries: config.events.cacheMaxEntries });
}
