import type { WorkOS } from '@workos-inc/node';
import type { GatewayAuth } from '../auth/gateway-auth.ts';
import { AdminAccess } from '../auth/admin-access.ts';
import { AdminLoaders } from '../data/admin-loaders.ts';
import { AdminWrites } from '../data/admin-writes.ts';
import { WorkOSLoaders } from '../data/loaders.ts';
import { WorkOSWrites } from '../data/writes.ts';
import type { EventHub } from '../events/hub.ts';
import type { ServerContext } from '../http/server.ts';
import type { GatewayContext } from './context.ts';

export interface ContextDeps {
  workos: WorkOS;
  auth: GatewayAuth;
  events: EventHub;
  planning: boolean;
  maxPageSize: number;
}

/**
 * Builds each request's context: fresh loaders (so nothing is shared between callers but the
 * queue's coalescing and the cache below authorization), writes, and the caller.
 */
export function contextFactory(deps: ContextDeps) {
  return async ({ req, request }: ServerContext & { request: Request }): Promise<GatewayContext> => {
    const loaders = new WorkOSLoaders(deps.workos, deps.planning);
    const clientAddress = req.socket.remoteAddress ?? 'unknown';
    // A bad token stops the request here with 401, before anything runs.
    const auth = await deps.auth.forRequest(request, clientAddress, loaders);
    const adminLoaders = new AdminLoaders(deps.workos, deps.planning);
    return {
      loaders,
      writes: new WorkOSWrites(deps.workos, loaders, deps.auth.exportOwners, deps.events),
      events: deps.events,
      limits: { maxPageSize: deps.maxPageSize },
      clientAddress,
      ...auth,
      admin: {
        loaders: adminLoaders,
        writes: new AdminWrites(deps.workos, adminLoaders, loaders, deps.events),
        access: new AdminAccess(auth.access, adminLoaders, loaders),
      },
    };
  };
}
