import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { tenantOf, type Caller } from '../auth/caller.ts';
import { runInScope } from '../transport/call-scope.ts';

/** Runs each operation's upstream calls in its request's scope: its signal, deadline and tenant. */
export function useUpstreamScope(budgetMs: number): Plugin {
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
