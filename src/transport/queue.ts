import { randomUUID } from 'node:crypto';
import { currentScope, type CallScope } from './call-scope.ts';
import { Coalescer } from './coalescing.ts';
import { sleep, UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';
import { RateBuckets, WORKOS_RATE_LIMITS, type RateBucket, type RateLimits } from './rate-buckets.ts';
import { backoffMs, DEFAULT_RETRY, mayRetry, RETRYABLE_STATUS, retryAfterMs, type RetryPolicy } from './retry-policy.ts';
import { routeOf } from './routes.ts';
import { FairScheduler } from './scheduler.ts';
import { countRoute, emptyStats, type UpstreamStats } from './stats.ts';

export { UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';

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

/**
 * The one door to WorkOS: the SDK's fetchFn. Every upstream call is shared with identical GETs
 * in flight (coalescing.ts), waits for its turn, its rate buckets and a slot (scheduler.ts),
 * is retried when that is safe (retry-policy.ts), counted, and dropped unsent when its GraphQL
 * request was cancelled or ran out of time.
 */
export class UpstreamQueue {
  private readonly buckets: RateBuckets;
  private readonly scheduler: FairScheduler;
  private readonly coalescer: Coalescer;
  private readonly retry: RetryPolicy;
  private readonly transport: typeof fetch;
  private stats: UpstreamStats = emptyStats();

  constructor(private readonly options: QueueOptions) {
    this.buckets = new RateBuckets(options.rateLimits ?? WORKOS_RATE_LIMITS);
    this.scheduler = new FairScheduler(options.maxConcurrency, this.buckets, () => this.stats);
    this.coalescer = new Coalescer(() => (this.stats.coalesced += 1));
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.transport = options.fetch ?? fetch;
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
      return this.coalescer.run(url.toString(), scope.signal, (signal) => this.execute({ ...call, scope: { ...scope, signal }, signal: undefined }));
    }
    return this.execute(call);
  };

  snapshot(): UpstreamStats {
    return structuredClone({ ...this.stats, depth: { ...this.stats.depth, current: this.scheduler.depth() } });
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** Attempts until an answer that is final, or until retrying is unsafe or out of attempts. */
  private async execute(call: Call): Promise<Response> {
    const retryable = mayRetry(call.method, call.url.pathname, call.headers);
    for (let attempt = 1; ; attempt++) {
      await this.scheduler.admit(call);
      let response: Response;
      try {
        this.stats.calls += 1;
        response = await this.send(call);
      } catch (error) {
        countRoute(this.stats, call.route, 'network');
        this.scheduler.release();
        if (call.scope.signal.aborted) throw new UpstreamAbortedError();
        // The SDK gave up on this call itself: retrying would answer a caller no longer listening.
        if (!retryable || attempt >= this.retry.maxAttempts || call.signal?.aborted) throw error;
        await this.backoff(call, attempt);
        continue;
      }
      this.scheduler.release();
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
