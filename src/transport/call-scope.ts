import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who an upstream call is made for. The SDK's methods take no per-call options, so the
 * GraphQL request that caused a call is carried to the queue through async context.
 */
export interface CallScope {
  /** Aborted when the client disconnects or the request's time budget runs out. */
  signal: AbortSignal;
  /** Epoch ms by which the call must have been sent. */
  deadline: number;
  /** Fairness key: the caller's organization or credential. */
  tenant: string;
  /** Upstream calls sent for this scope (each attempt counts; a joined GET counts for the caller that sent it). */
  counter?: { calls: number };
}

const storage = new AsyncLocalStorage<CallScope>();

export const runInScope = <T>(scope: CallScope, fn: () => T): T => storage.run(scope, fn);
export const currentScope = (): CallScope | undefined => storage.getStore();
