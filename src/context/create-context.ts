import type { WorkOS } from '@workos-inc/node';
import { tenantOf } from '../auth/caller.ts';
import type { GatewayAuth } from '../auth/gateway-auth.ts';
import type { Access } from '../auth/access.ts';
import { AdminAccess } from '../auth/admin-access.ts';
import { AdminLoaders } from '../data/admin-loaders.ts';
import { AdminWrites } from '../data/admin-writes.ts';
import { WorkOSLoaders } from '../data/loaders.ts';
import { WorkOSWrites } from '../data/writes.ts';
import type { EventHub } from '../events/hub.ts';
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from '../http/server.ts';
import { CallerScopes } from '../transport/call-scope.ts';
import type { IdPrefixes } from '../workos/ids.ts';
import type { GatewayContext } from './context.ts';

export interface ContextDeps {
  workos: WorkOS;
  auth: GatewayAuth;
  events: EventHub;
  planning: boolean;
  maxPageSize: number;
  idPrefixes: IdPrefixes;
  /** The client's address, X-Forwarded-For read only from trusted proxies (src/http/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
  /** Time budget of a request's (or of one subscription event's) upstream calls. */
  requestBudgetMs: number;
}

/**
 * Builds each request's context: fresh loaders (so nothing is shared between callers but the
 * queue's coalescing and the cache below authorization), writes, the caller, and the scope its
 * upstream calls run in.
 */
export function contextFactory(deps: ContextDeps) {
  return async ({ req, request }: ServerContext & { request: Request }): Promise<GatewayContext> => {
    const loaders = new WorkOSLoaders(deps.workos, deps.planning, deps.idPrefixes);
    const clientAddress = deps.clientAddress(req);
    // A bad token stops the request here with 401, before anything runs.
    const auth = await deps.auth.forRequest(request, clientAddress, loaders);
    // Fairness lane: the caller's organization or credential; callers without one by address.
    const tenant = auth.caller.kind === 'anonymous' ? `addr:${clientAddress}` : tenantOf(auth.caller);
    return {
      loaders,
      writes: new WorkOSWrites(deps.workos, loaders, deps.auth.exportOwners, deps.events),
      events: deps.events,
      idPrefixes: deps.idPrefixes,
      limits: { maxPageSize: deps.maxPageSize },
      clientAddress,
      upstream: new CallerScopes(tenant, request.signal, deps.requestBudgetMs),
      ...auth,
      admin: new AdminParts(deps, loaders, auth.access),
    };
  };
}

/**
 * The admin screens' loaders, writes and access, built when a field first needs them: most
 * requests never do. (Lazy on a class, not as getters of the context: yoga copies the context's
 * own properties onto its own, which would read them all.)
 */
class AdminParts {
  private built?: GatewayContext['admin'];

  constructor(
    private readonly deps: ContextDeps,
    private readonly workosLoaders: WorkOSLoaders,
    private readonly callerAccess: Access,
  ) {}

  private get parts(): GatewayContext['admin'] {
    if (!this.built) {
      const loaders = new AdminLoaders(this.deps.workos, this.deps.planning);
      this.built = {
        loaders,
        writes: new AdminWrites(this.deps.workos, loaders, this.workosLoaders, this.deps.events),
        access: new AdminAccess(this.callerAccess, loaders, this.workosLoaders),
      };
    }
    return this.built;
  }

  get loaders(): AdminLoaders {
    return this.parts.loaders;
  }

  get writes(): AdminWrites {
    return this.parts.writes;
  }

  get access(): AdminAccess {
    return this.parts.access;
  }
}

