import { randomUUID } from 'node:crypto';
import { currentScope, type CallScope } from './call-scope.ts';
import { RateBuckets, WORKOS_RATE_LIMITS, type RateBucket, type RateLimits } from './rate-buckets.ts';
import { backoffMs, DEFAULT_RETRY, mayRetry, RETRYABLE_STATUS, retryAfterMs, type RetryPolicy } from './retry-policy.ts';
import { routeOf } from './routes.ts';
import { countRoute, emptyStats, type UpstreamStats } from './stats.ts';

export interface QueueOptions {
  maxConcurrency: number;
  /** Per-attempt timeout (ms). */
  timeoutMs: number;
  rateLimits?: RateLimits;
  retry?: RetryPolicy;
  /** Share one upstream call between identical GETs in flight at once. */
  coalesce?: boolean;
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
  constructor() {
    super('The request was cancelled.');
  }
}

interface Call {
  url: URL;
  method: string;
  route: string;
  headers: Headers;
  body: string | undefined;
  scope: CallScope;
  buckets: RateBucket[];
  /** Aborts the in-flight attempt (the SDK's own timeout signal). */
  signal?: AbortSignal;
}

interface Waiter {
  call: Call;
  enqueuedAt: number;
  start: () => void;
  fail: (error: Error) => void;
}

interface SharedGet {
  result: Promise<Response>;
  participants: number;
  controller: AbortController;
}

const SYSTEM_SCOPE = (): CallScope => ({ signal: new AbortController().signal, deadline: Date.now() + 60_000, tenant: 'system' });
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
/** How far into a tenant's queue the dispatcher looks past a call its buckets hold back. */
const LOOKAHEAD = 8;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new UpstreamAbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UpstreamAbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The one door to WorkOS: the SDK's fetchFn. Every upstream call waits here for its turn
 * (tenants round-robin), for room in every rate bucket it spends from, and for a free slot;
 * it is retried when that is safe, shared with identical GETs in flight, counted, and
 * dropped unsent when its GraphQL request was cancelled or ran out of time.
 */
export class UpstreamQueue {
  private inFlight = 0;
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly sharedGets = new Map<string, SharedGet>();
  private readonly buckets: RateBuckets;
  private readonly retry: RetryPolicy;
  private readonly transport: typeof fetch;
  private stats: UpstreamStats = emptyStats();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(private readonly options: QueueOptions) {
    this.buckets = new RateBuckets(options.rateLimits ?? WORKOS_RATE_LIMITS);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.transport = options.fetch ?? fetch;
  }

  /** Bound so it can be handed to the SDK as `fetchFn`. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const scope = currentScope() ?? SYSTEM_SCOPE();
    const call: Call = {
      url,
      method,
      route: routeOf(method, url.pathname),
      headers,
      body,
      scope,
      buckets: this.buckets.for({ method, path: url.pathname, searchParams: url.searchParams, body: parseJson(body) }),
      signal: init?.signal ?? undefined,
    };
    if (method === 'POST' && !headers.has('idempotency-key')) {
      // A retried create must not create twice: WorkOS answers a repeated key with the first result.
      headers.set('idempotency-key', `gateway-${randomUUID()}`);
    }
    if (method === 'GET' && this.options.coalesce !== false) return this.shared(call);
    return this.execute(call);
  };

  snapshot(): UpstreamStats {
    return structuredClone({ ...this.stats, depth: { ...this.stats.depth, current: this.depth() } });
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** Identical GETs in flight share one call; each caller gets its own copy of the answer. */
  private async shared(call: Call): Promise<Response> {
    const key = call.url.toString();
    let entry = this.sharedGets.get(key);
    // A shared call every waiter has left is being cancelled: start a fresh one instead.
    if (entry?.controller.signal.aborted) entry = undefined;
    if (entry) {
      this.stats.coalesced += 1;
    } else {
      const controller = new AbortController();
      const leader: Call = { ...call, scope: { ...call.scope, signal: controller.signal }, signal: undefined };
      const created: SharedGet = {
        controller,
        participants: 0,
        result: this.execute(leader).finally(() => this.sharedGets.delete(key)),
      };
      entry = created;
      this.sharedGets.set(key, created);
    }
    const joined = entry;
    joined.participants += 1;
    // The shared call is cancelled only when every request waiting on it has gone.
    const leave = () => {
      joined.participants -= 1;
      if (joined.participants === 0) joined.controller.abort();
    };
    if (call.scope.signal.aborted) leave();
    else call.scope.signal.addEventListener('abort', leave, { once: true });
    try {
      const response = await joined.result;
      return response.clone();
    } finally {
      call.scope.signal.removeEventListener('abort', leave);
    }
  }

  private async execute(call: Call): Promise<Response> {
    const retryable = mayRetry(call.method, call.url.pathname, call.headers);
    for (let attempt = 1; ; attempt++) {
      await this.admit(call);
      let response: Response;
      try {
        this.stats.calls += 1;
        const signals = [AbortSignal.timeout(this.options.timeoutMs), call.scope.signal];
        if (call.signal) signals.push(call.signal);
        response = await this.transport(call.url, {
          method: call.method,
          headers: call.headers,
          body: call.body,
          signal: AbortSignal.any(signals),
        });
        // Buffer the body so the slot is free as soon as the answer is in, and clones are cheap.
        const buffered = NULL_BODY_STATUS.has(response.status) ? null : await response.arrayBuffer();
        response = new Response(buffered, response);
      } catch (error) {
        countRoute(this.stats, call.route, 'network');
        this.release();
        if (call.scope.signal.aborted) throw new UpstreamAbortedError();
        // The SDK gave up on this call itself: retrying would answer a caller no longer listening.
        if (!retryable || attempt >= this.retry.maxAttempts || call.signal?.aborted) throw error;
        await this.backoff(call, attempt);
        continue;
      }
      this.release();
      countRoute(this.stats, call.route, response.status);

      if (response.status === 429) {
        this.stats.rateLimited += 1;
        const wait = retryAfterMs(response.headers) ?? backoffMs(this.retry, attempt);
        // The narrowest bucket is the likeliest culprit; pausing it holds back its calls only.
        call.buckets.at(-1)?.pause(Date.now() + wait);
      }
      if (!RETRYABLE_STATUS.has(response.status) || !retryable || attempt >= this.retry.maxAttempts) return response;
      if (response.status !== 429) await this.backoff(call, attempt);
    }
  }

  private async backoff(call: Call, attempt: number): Promise<void> {
    const delay = backoffMs(this.retry, attempt);
    if (Date.now() + delay > call.scope.deadline) throw new UpstreamDeadlineError(Math.ceil(delay / 1000));
    this.stats.retries += 1;
    await sleep(delay, call.scope.signal);
  }

  /** Waits for the call's turn, its buckets and a slot; refuses at once what cannot make the deadline. */
  private admit(call: Call): Promise<void> {
    const { signal, deadline, tenant } = call.scope;
    if (signal.aborted) {
      this.stats.dropped += 1;
      return Promise.reject(new UpstreamAbortedError());
    }
    const now = Date.now();
    const readyAt = Math.max(now, ...call.buckets.map((b) => b.nextFree(now)));
    if (readyAt > deadline) {
      this.stats.dropped += 1;
      return Promise.reject(new UpstreamDeadlineError(Math.max(1, Math.ceil((readyAt - now) / 1000))));
    }
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(tenant) ?? [];
      const deadlineTimer = setTimeout(() => {
        const at = Math.max(Date.now(), ...call.buckets.map((b) => b.nextFree(Date.now())));
        waiter.fail(new UpstreamDeadlineError(Math.max(1, Math.ceil((at - Date.now()) / 1000))));
      }, Math.max(0, deadline - now));
      deadlineTimer.unref();
      const onAbort = () => waiter.fail(new UpstreamAbortedError());
      const cleanup = () => {
        clearTimeout(deadlineTimer);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        call,
        enqueuedAt: now,
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
      signal.addEventListener('abort', onAbort, { once: true });
      list.push(waiter);
      this.waiting.set(tenant, list);
      this.stats.depth.max = Math.max(this.stats.depth.max, this.depth());
      this.dispatch();
    });
  }

  /**
   * Starts what may start now: tenants take turns (a served tenant goes to the back), and
   * within a tenant the first call whose buckets have room goes, so one blocked directory
   * does not hold up the same tenant's other reads.
   */
  private dispatch(): void {
    let earliest = Infinity;
    while (this.inFlight < this.options.maxConcurrency && this.waiting.size > 0) {
      const now = Date.now();
      let started = false;
      for (const [tenant, list] of this.waiting) {
        for (let i = 0; i < Math.min(list.length, LOOKAHEAD); i++) {
          const waiter = list[i];
          const at = Math.max(now, ...waiter.call.buckets.map((b) => b.nextFree(now)));
          if (at > now) {
            earliest = Math.min(earliest, at);
            continue;
          }
          for (const bucket of waiter.call.buckets) bucket.take(now);
          list.splice(i, 1);
          this.waiting.delete(tenant);
          if (list.length > 0) this.waiting.set(tenant, list);
          this.inFlight += 1;
          waiter.start();
          started = true;
          break;
        }
        if (started) break;
      }
      if (!started) break;
    }
    if (this.waiting.size > 0 && earliest < Infinity) this.wakeAt(earliest);
    this.buckets.sweep(Date.now());
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.dispatch();
    }, Math.max(1, at - Date.now()));
    // A long 429 pause must not keep a stopping process alive.
    this.timer.unref();
  }

  private release(): void {
    this.inFlight -= 1;
    this.dispatch();
  }

  private depth(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  private remove(tenant: string, waiter: Waiter): void {
    const list = this.waiting.get(tenant);
    if (!list) return;
    const at = list.indexOf(waiter);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.waiting.delete(tenant);
  }
}

function parseJson(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
