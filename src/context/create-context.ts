import { createHash } from 'node:crypto';
import type { WorkOS } from '@workos-inc/node';
import { tenantOf } from '../auth/caller.ts';
import type { GatewayAuth } from '../auth/gateway-auth.ts';
import { WorkOSLoaders } from '../data/loaders.ts';
import { WorkOSWrites } from '../data/writes.ts';
import type { EventHub } from '../events/hub.ts';
import type { ServerContext } from '../http/server.ts';
import type { CallScope } from '../transport/call-scope.ts';
import type { GatewayContext } from './context.ts';

export interface ContextDeps {
  workos: WorkOS;
  auth: GatewayAuth;
  events: EventHub;
  planning: boolean;
  maxPageSize: number;
  /** Time budget of one request for its upstream calls (ms). */
  requestBudgetMs: number;
}

/**
 * Builds each request's context: fresh loaders (so nothing is shared between callers but the
 * queue's coalescing and the cache below authorization), writes, the caller, and the scope its
 * upstream calls run in.
 */
export function contextFactory(deps: ContextDeps) {
  return async ({ req, request }: ServerContext & { request: Request }): Promise<GatewayContext> => {
    const loaders = new WorkOSLoaders(deps.workos, deps.planning);
    const clientAddress = req.socket.remoteAddress ?? 'unknown';
    // A bad token stops the request here with 401, before anything runs.
    const auth = await deps.auth.forRequest(request, clientAddress, loaders);
    const upstreamScope: CallScope = {
      signal: AbortSignal.any([AbortSignal.timeout(deps.requestBudgetMs), request.signal]),
      deadline: Date.now() + deps.requestBudgetMs,
      tenant: auth.caller.kind !== 'anonymous' ? tenantOf(auth.caller) : tenantKey(request.headers.get('authorization'), clientAddress),
      counter: { calls: 0 },
    };
    return {
      loaders,
      writes: new WorkOSWrites(deps.workos, loaders, deps.auth.exportOwners, deps.events),
      events: deps.events,
      limits: { maxPageSize: deps.maxPageSize },
      clientAddress,
      upstreamScope,
      ...auth,
    };
  };
}

/**
 * Fairness key of a caller without a credential (sign-in): told apart by address; a credential
 * that did not authenticate is hashed (keys are never kept in clear).
 */
function tenantKey(authorization: string | null, address: string): string {
  if (authorization) return `cred:${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}`;
  return `addr:${address}`;
}
