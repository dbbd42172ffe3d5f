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
  /**
   * A call shared by several requests (coalescing.ts) waits in every waiter's lane: their
   * tenants, and a hook told when waiters join or leave (lanes and deadline change).
   */
  lanes?(): string[];
  onChange?(listener: () => void): () => void;
  /** Told when the call leaves the queue for the wire: from then on waiters' deadlines are met. */
  onSent?(): void;
}

const storage = new AsyncLocalStorage<CallScope>();

export const runInScope = <T>(scope: CallScope, fn: () => T): T => storage.run(scope, fn);
export const currentScope = (): CallScope | undefined => storage.getStore();

/**
 * The scopes of one caller's work: a GraphQL request runs in one; a subscription runs its start
 * in one and each event it processes (or poll it makes) in a fresh one — always the caller's
 * tenant, ended by the client's connection, and each with a budget of its own, so a stream that
 * lives for hours neither runs outside any scope nor on one stale deadline.
 */
export class CallerScopes {
  /** Upstream calls made for this caller's request (and its plan), for `extensions.cost`. */
  readonly counter = { calls: 0 };

  constructor(
    readonly tenant: string,
    /** Aborted when the client's connection closes. */
    private readonly client: AbortSignal,
    private readonly budgetMs: number,
  ) {}

  /** Runs `fn` (and the upstream calls it makes) in a scope of its own. */
  run<T>(fn: () => T): T {
    return runInScope(
      {
        signal: AbortSignal.any([this.client, AbortSignal.timeout(this.budgetMs)]),
        deadline: Date.now() + this.budgetMs,
        tenant: this.tenant,
        counter: this.counter,
      },
      fn,
    );
  }
}
