import { randomUUID } from 'node:crypto';
import { currentScope, type CallScope } from './call-scope.ts';
import { Coalescer } from './coalescing.ts';
import { sleep, UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';
import { RateBuckets, WORKOS_RATE_LIMITS, type BucketUsage, type RateBucket, type RateLimits } from './rate-buckets.ts';
import { backoffMs, DEFAULT_RETRY, deleted, deletedBefore, mayRetry, RETRYABLE_STATUS, retryAfterMs, type RetryPolicy } from './retry-policy.ts';
import { routeOf } from './routes.ts';
import { FairScheduler } from './scheduler.ts';
import { LocalGate, type BucketGate } from './bucket-gate.ts';
import { countRoute, emptyStats, type UpstreamStats } from './stats.ts';
import type { UpstreamObserver } from './observer.ts';

export { UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';

export interface QueueOptions {
  maxConcurrency: number;
  /** Most calls of one tenant in flight at once (default: all of maxConcurrency). */
  maxConcurrencyPerTenant?: number;
  /** Per-attempt timeout (ms). */
  timeoutMs: number;
  rateLimits?: RateLimits;
  retry?: RetryPolicy;
  /** Share one upstream call between identical GETs in flight at once. */
  coalesce?: boolean;
  /** The longest a 429's Retry-After may pause a bucket (ms); a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** The transport underneath; global fetch unless a test swaps it. */
  fetch?: typeof fetch;
  /** Told of every attempt, pause, retry, join and drop (metrics, traces, logs). */
  observer?: UpstreamObserver;
  /** Where calls take room in their rate buckets: this process's own buckets unless shared ones are given. */
  gate?: (buckets: RateBuckets) => BucketGate;
  /** Sent as User-Agent on every call, replacing whatever the caller set (src/workos/user-agent.ts). */
  userAgent?: string;
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

const SYSTEM_SCOPE = (): CallScope => ({ signal: new AbortController().signal, deadline: Date.now() + 60_000, tenant: 'system' });
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** The 429 as the SDK will read it: its Retry-After cut to the pause the queue applied. */
function withRetryAfter(response: Response, waitMs: number): Response {
  const headers = new Headers(response.headers);
  headers.set('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The one door to WorkOS: the SDK's fetchFn. Every upstream call is shared with identical GETs
 * in flight (coalescing.ts), waits for its turn, its rate buckets and a slot (scheduler.ts),
 * is retried when that is safe (retry-policy.ts), counted, and dropped unsent when its GraphQL
 * request was cancelled or ran out of time.
 */
export class UpstreamQueue {
  private readonly buckets: RateBuckets;
  private readonly gate: BucketGate;
  private readonly scheduler: FairScheduler;
  private readonly coalescer: Coalescer;
  private readonly retry: RetryPolicy;
  private readonly transport: typeof fetch;
  private stats: UpstreamStats = emptyStats();
  private readonly maxRetryAfterMs: number;

  constructor(private readonly options: QueueOptions) {
    this.buckets = new RateBuckets(options.rateLimits ?? WORKOS_RATE_LIMITS);
    this.gate = options.gate?.(this.buckets) ?? new LocalGate(this.buckets);
    this.scheduler = new FairScheduler(options.maxConcurrency, options.maxConcurrencyPerTenant ?? options.maxConcurrency, this.gate, () => this.stats);
    this.coalescer = new Coalescer(() => {
      this.stats.coalesced += 1;
      options.observer?.coalesced();
    });
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.transport = options.fetch ?? fetch;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  }

  /** Bound so it can be handed to the SDK as `fetchFn`. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    if (this.options.userAgent) headers.set('user-agent', this.options.userAgent);
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
    if (method === 'GET' && this.options.coalesce !== false) {
      return this.coalescer.run(url.toString(), scope, (shared) => this.execute({ ...call, scope: shared, signal: undefined }));
    }
    return this.execute(call);
  };

  /** WorkOS' general limit as this gateway spends it: what is left of the current window. */
  budget(): { limit: number; remaining: number; windowSeconds: number } | undefined {
    return this.gate.budget(Date.now());
  }

  /** Each rate limit's use right now (read-only; for /metrics). */
  bucketUsage(): BucketUsage[] {
    return this.buckets.snapshot(Date.now());
  }

  snapshot(): UpstreamStats {
    return structuredClone({ ...this.stats, depth: { ...this.stats.depth, current: this.scheduler.depth() } });
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** Attempts until an answer that is final, or until retrying is unsafe or out of attempts. */
  private async execute(call: Call): Promise<Response> {
    const retryable = mayRetry(call.method, call.url.pathname, call.headers);
    // An attempt that may have reached WorkOS but whose answer never came back.
    let answerLost = false;
    const observer = this.options.observer;
    for (let attempt = 1; ; attempt++) {
      const queuedAt = Date.now();
      try {
        await this.scheduler.admit(call);
      } catch (error) {
        observer?.dropped({ route: call.route, reason: error instanceof UpstreamDeadlineError ? 'deadline' : 'aborted' });
        throw error;
      }
      call.scope.onSent?.();
      const sentAt = Date.now();
      const ended = observer?.attempt({ method: call.method, route: call.route, attempt, queueWaitMs: sentAt - queuedAt, headers: call.headers });
      let response: Response;
      try {
        this.stats.calls += 1;
        if (call.scope.counter) call.scope.counter.calls += 1;
        response = await this.send(call);
      } catch (error) {
        ended?.({ status: 'network', durationMs: Date.now() - sentAt });
        countRoute(this.stats, call.route, 'network');
        this.scheduler.release(call);
        answerLost = true;
        if (call.scope.signal.aborted) throw new UpstreamAbortedError();
        // The SDK gave up on this call itself: retrying would answer a caller no longer listening.
        if (!retryable || attempt >= this.retry.maxAttempts || call.signal?.aborted) throw error;
        await this.backoff(call, attempt);
        continue;
      }
      this.scheduler.release(call);
      ended?.({ status: response.status, durationMs: Date.now() - sentAt });
      countRoute(this.stats, call.route, response.status);

      if (response.status === 429) {
        this.stats.rateLimited += 1;
        const wait = Math.min(retryAfterMs(response.headers) ?? backoffMs(this.retry, attempt), this.maxRetryAfterMs);
        // WorkOS does not say which limit it hit: charge the narrowest the call spends from (one
        // email, user or directory where WorkOS counts per key), so one caller's 429 pauses no
        // bucket other tenants share unless that is the only limit the call spends from.
        const narrowest = call.buckets.at(-1);
        if (narrowest) this.gate.pause(narrowest, Date.now() + wait);
        observer?.paused({ limit: call.buckets.at(-1)?.family ?? 'unknown', route: call.route, waitMs: wait });
        response = withRetryAfter(response, wait);
      }
      if (answerLost && deletedBefore(call.method, response.status)) return deleted();
      if (response.status !== 429 && RETRYABLE_STATUS.has(response.status)) answerLost = true;
      if (!RETRYABLE_STATUS.has(response.status) || !retryable || attempt >= this.retry.maxAttempts) return response;
      if (response.status !== 429) await this.backoff(call, attempt);
      else observer?.retried({ route: call.route, attempt });
    }
  }

  /** One attempt over the wire, its body buffered so the slot is free as soon as the answer is in. */
  private async send(call: Call): Promise<Response> {
    const signals = [AbortSignal.timeout(this.options.timeoutMs), call.scope.signal];
    if (call.signal) signals.push(call.signal);
    const response = await this.transport(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: AbortSignal.any(signals),
    });
    // Buffered, clones are cheap too.
    const buffered = NULL_BODY_STATUS.has(response.status) ? null : await response.arrayBuffer();
    return new Response(buffered, response);
  }

  private async backoff(call: Call, attempt: number): Promise<void> {
    const delay = backoffMs(this.retry, attempt);
    if (Date.now() + delay > call.scope.deadline) throw new UpstreamDeadlineError(Math.ceil(delay / 1000));
    this.stats.retries += 1;
    this.options.observer?.retried({ route: call.route, attempt });
    await sleep(delay, call.scope.signal);
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
