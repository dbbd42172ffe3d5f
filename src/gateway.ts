import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkOS } from '@workos-inc/node';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { tenantOf, type Caller } from './auth/caller.ts';
import { GatewayAuth } from './auth/gateway-auth.ts';
import { UpstreamCache } from './cache/upstream-cache.ts';
import type { GatewayConfig } from './config/index.ts';
import type { GatewayContext } from './context/context.ts';
import { maskGatewayError } from './plugins/mask-errors.ts';
import { EventsFollower } from './events/follower.ts';
import { EventHub } from './events/hub.ts';
import { webhookEndpoint } from './events/webhook-endpoint.ts';
import { renderLocalGraphiQL, useGraphiQLAssets } from './plugins/use-graphiql-assets.ts';
import { useBodyLimit, useDocumentLimits, useQueryCost } from './plugins/use-document-limits.ts';
import { usePersistedDocuments } from './plugins/use-persisted-documents.ts';
import { buildSchema } from './schema/index.ts';
import { runInScope } from './transport/call-scope.ts';
import { createWorkOSClient } from './workos/client.ts';
import { WorkOSLoaders } from './data/loaders.ts';
import { UpstreamQueue } from './transport/queue.ts';
import { DEFAULT_RETRY } from './transport/retry-policy.ts';
import { WorkOSWrites } from './data/writes.ts';

/** What node:http hands yoga with each request. */
export interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

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

/** Runs each operation's upstream calls in its request's scope: its signal, deadline and tenant. */
function useUpstreamScope(budgetMs: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn, args }) {
      const { request, clientAddress, caller } = args.contextValue as { request?: Request; clientAddress?: string; caller?: Caller };
      const signals = [AbortSignal.timeout(budgetMs)];
      if (request?.signal) signals.push(request.signal);
      const scope = {
        signal: AbortSignal.any(signals),
        deadline: Date.now() + budgetMs,
        tenant: caller && caller.kind !== 'anonymous' ? tenantOf(caller) : tenantKey(request?.headers.get('authorization'), clientAddress),
      };
      setExecuteFn((execArgs) => runInScope(scope, () => executeFn(execArgs)));
    },
  };
}

/**
 * Fairness key: each credential is its own tenant (hashed: keys are never kept in clear);
 * callers without one are told apart by address.
 */
function tenantKey(authorization: string | null | undefined, address: string | undefined): string {
  if (authorization) return `cred:${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}`;
  return `addr:${address ?? 'unknown'}`;
}

export function createGateway(config: GatewayConfig & { workos: { apiKey: string } }): Gateway {
  const queue = new UpstreamQueue({
    maxConcurrency: config.upstream.maxConcurrency,
    timeoutMs: config.upstream.timeoutMs,
    rateLimits: config.upstream.rateLimits,
    retry: { ...DEFAULT_RETRY, maxAttempts: config.upstream.maxAttempts },
    coalesce: config.upstream.coalesce,
  });
  // The cache stays fresh through events; with no way to hear of changes it would serve stale data.
  const hearsEvents = Boolean(config.workos.webhookSecret) || config.events.follow;
  const cache =
    config.events.cacheTtlMs > 0 && hearsEvents
      ? new UpstreamCache({ ttlMs: config.events.cacheTtlMs, maxEntries: config.events.cacheMaxEntries })
      : undefined;
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
  const { security } = config;
  const production = config.nodeEnv === 'production';

  const yoga = createYoga<ServerContext, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: security.graphiql ? { title: 'WorkOS GraphQL Gateway', defaultQuery: DEFAULT_QUERY } : false,
    // An allow-list when configured; else any origin outside production and none in it. Bearer
    // tokens, not cookies, carry identity, so credentials are never allowed.
    cors: security.corsOrigins
      ? { origin: security.corsOrigins, methods: ['GET', 'POST', 'OPTIONS'] }
      : production
        ? false
        : undefined,
    renderGraphiQL: renderLocalGraphiQL,
    maskedErrors: { maskError: maskGatewayError },
    logging: config.nodeEnv === 'test' ? 'warn' : 'info',
    context: async ({ req, request }) => {
      const loaders = new WorkOSLoaders(workos, config.upstream.planning);
      const clientAddress = req.socket.remoteAddress ?? 'unknown';
      return {
        loaders,
        writes: new WorkOSWrites(workos, loaders, auth.exportOwners, events),
        events,
        limits: { maxPageSize: config.maxPageSize },
        clientAddress,
        // A bad token stops the request here with 401, before anything runs.
        ...(await auth.forRequest(request, clientAddress, loaders)),
      };
    },
    plugins: [
      useBodyLimit(security.limits.maxBodyBytes),
      ...(security.csrfPrevention ? [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] })] : []),
      // Anonymous callers may introspect outside production only.
      useDisableIntrospection({
        isDisabled: (request) => !security.introspection || (production && !request.headers.has('authorization')),
      }),
      ...useDocumentLimits(security.limits, { production }),
      useQueryCost(security.limits.maxCost),
      ...(security.graphiql ? [useGraphiQLAssets()] : []),
      useUpstreamScope(config.upstream.requestBudgetMs),
      usePersistedDocuments(config.persistedDocuments),
    ],
  });

  // The webhook is plain HTTP, not GraphQL: it is answered before yoga sees the request.
  const server: Server = createServer((req, res) => {
    if (!webhook(req, res)) void yoga(req, res);
  });
  return {
    yoga,
    queue,
    workos,
    cache,
    events,
    follower,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          follower?.start();
          resolve(`http://${shownHost}:${bound}/graphql`);
        });
      }),
    close: async () => {
      await follower?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Subscriptions never finish by themselves: cut what is still open after a grace period.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
    },
  };
}

const DEFAULT_QUERY = `# Welcome to the WorkOS GraphQL gateway.
# One query can read a whole screen: an organization, its members, their roles,
# and each member's other organizations.

query OrganizationsWithMembers {
  organizations(first: 5) {
    edges {
      node {
        id
        name
        domains { domain state }
        memberships(first: 5) {
          edges {
            node {
              role { slug }
              user { email name }
            }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
