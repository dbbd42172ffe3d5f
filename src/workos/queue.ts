import { currentScope } from './call-scope.ts';
import { routeOf } from './routes.ts';
import { countRoute, emptyStats, type UpstreamStats } from './stats.ts';

export interface QueueOptions {
  maxConcurrency: number;
  /** Per-attempt timeout (ms). */
  timeoutMs: number;
  /** The transport underneath; global fetch unless a test swaps it. */
  fetch?: typeof fetch;
}

/** Raised when a call cannot be sent within its request's time budget. */
export class UpstreamDeadlineError extends Error {
  override name = 'UpstreamDeadlineError';
  constructor(readonly retryAfterSeconds: number) {
    super('The upstream budget for this request ran out before the call could be sent.');
  }
}

/** Raised when the client went away before the call was sent. */
export class UpstreamAbortedError extends Error {
  override name = 'UpstreamAbortedError';
}

interface Waiter {
  start: () => void;
  fail: (error: Error) => void;
  enqueuedAt: number;
}

/**
 * The one door to WorkOS: the SDK's fetchFn. Every upstream HTTP call waits here for a free
 * slot, is counted, and is dropped unsent when its GraphQL request has been cancelled.
 * Tenants are served round-robin, so one tenant's burst cannot starve another's single call.
 */
export class UpstreamQueue {
  private inFlight = 0;
  private readonly waiting = new Map<string, Waiter[]>();
  private stats: UpstreamStats = emptyStats();
  private readonly transport: typeof fetch;

  constructor(private readonly options: QueueOptions) {
    this.transport = options.fetch ?? fetch;
  }

  /** Bound so it can be handed to the SDK as `fetchFn`. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const route = routeOf(method, url.pathname);
    const scope = currentScope();

    await this.acquire(scope?.tenant ?? 'system', scope?.signal, scope?.deadline);
    try {
      this.stats.calls += 1;
      const signals = [AbortSignal.timeout(this.options.timeoutMs)];
      if (scope) signals.push(scope.signal);
      if (init?.signal) signals.push(init.signal);
      const response = await this.transport(url, { ...init, signal: AbortSignal.any(signals) });
      countRoute(this.stats, route, response.status);
      if (response.status === 429) this.stats.rateLimited += 1;
      return response;
    } catch (error) {
      countRoute(this.stats, route, 'network');
      throw error;
    } finally {
      this.release();
    }
  };

  snapshot(): UpstreamStats {
    return structuredClone({ ...this.stats, depth: { ...this.stats.depth, current: this.depth() } });
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  private depth(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  private acquire(tenant: string, signal?: AbortSignal, deadline?: number): Promise<void> {
    if (signal?.aborted) {
      this.stats.dropped += 1;
      return Promise.reject(new UpstreamAbortedError('The request was cancelled.'));
    }
    if (this.inFlight < this.options.maxConcurrency && this.depth() === 0) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(tenant) ?? [];
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        enqueuedAt: Date.now(),
        start: () => {
          cleanup();
          const waited = Date.now() - waiter.enqueuedAt;
          this.stats.queueWaitMs.total += waited;
          this.stats.queueWaitMs.max = Math.max(this.stats.queueWaitMs.max, waited);
          resolve();
        },
        fail: (error) => {
          cleanup();
          this.remove(tenant, waiter);
          this.stats.dropped += 1;
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(new UpstreamAbortedError('The request was cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined) {
        const ms = Math.max(0, deadline - Date.now());
        timer = setTimeout(() => waiter.fail(new UpstreamDeadlineError(1)), ms);
      }
      list.push(waiter);
      this.waiting.set(tenant, list);
      this.stats.depth.max = Math.max(this.stats.depth.max, this.depth());
    });
  }

  private remove(tenant: string, waiter: Waiter): void {
    const list = this.waiting.get(tenant);
    if (!list) return;
    const at = list.indexOf(waiter);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.waiting.delete(tenant);
  }

  /** Hands the slot to the next tenant in turn (Map order rotates: served tenants go last). */
  private release(): void {
    for (const [tenant, list] of this.waiting) {
      const next = list.shift();
      if (!next) continue;
      this.waiting.delete(tenant);
      if (list.length > 0) this.waiting.set(tenant, list);
      next.start();
      return;
    }
    this.inFlight -= 1;
  }
}
