import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamCache } from '../cache/upstream-cache.ts';
import type { BucketUsage } from '../transport/rate-buckets.ts';

/** What the metrics read at scrape time from the parts that keep their own counts. */
export interface MetricSources {
  bucketUsage(): BucketUsage[];
  queueDepth(): number;
  cache(): UpstreamCache | undefined;
}

const SECONDS_FAST = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_SLOW = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A route template's method and path as labels: "GET /organizations/:id" → ["GET", "/organizations/:id"]. */
function splitRoute(route: string): { method: string; route: string } {
  const at = route.indexOf(' ');
  const path = at < 0 ? route : route.slice(at + 1);
  // Templates carry no ids; anything unexpected in a segment is folded so labels stay few.
  const safe = path
    .split('/')
    .map((s) => (/^[a-z_:]*$/.test(s) ? s : ':param'))
    .join('/');
  return { method: at < 0 ? 'GET' : route.slice(0, at), route: safe };
}

/**
 * The gateway's Prometheus metrics (prom-client), one registry per gateway. Names follow the
 * Prometheus conventions (base units, `_total` for counters); labels hold route templates,
 * operation names, limit names and outcome codes only, never ids, emails or tokens.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly operationSeconds: Histogram<'operation' | 'type' | 'outcome'>;
  private readonly upstreamRequests: Counter<'method' | 'route' | 'status'>;
  private readonly upstreamSeconds: Histogram<'method' | 'route'>;
  private readonly queueWait: Histogram;
  private readonly rateLimited: Counter<'method' | 'route'>;
  private readonly pauses: Counter<'limit'>;
  private readonly pauseSeconds: Counter<'limit'>;
  private readonly retries: Counter<'method' | 'route'>;
  private readonly coalescedCalls: Counter;
  private readonly droppedCalls: Counter<'reason'>;
  private readonly events: Counter<'source' | 'result'>;
  private readonly followerErrors: Counter;
  private readonly subscriptions: Gauge;
  private readonly sharedUp: Gauge;
  private readonly sharedLost: Counter;
  private readonly signInRefusals: Counter<'reason'>;
  private readonly tokenRefusals: Counter<'reason'>;

  constructor(
    sources: MetricSources,
    private readonly maxOperationNames: number,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.operations = new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations by operation name, type and outcome (ok, or the first error code).',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: 'Time from request to response of GraphQL operations (for subscriptions: until the stream ends).',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: SECONDS_SLOW,
      registers,
    });
    this.upstreamRequests = new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Calls sent to WorkOS (each attempt) by method, route template and status ("network" when no answer came).',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.upstreamSeconds = new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Time of one call to WorkOS on the wire, by method and route template.',
      labelNames: ['method', 'route'],
      buckets: SECONDS_FAST,
      registers,
    });
    this.queueWait = new Histogram({
      name: 'gateway_upstream_queue_wait_seconds',
      help: 'Time a call waited for its turn, its rate buckets and a slot before it was sent.',
      buckets: [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'gateway_upstream_queue_depth',
      help: 'Calls waiting in the upstream queue now.',
      registers,
      collect() {
        this.set(sources.queueDepth());
      },
    });
    this.rateLimited = new Counter({
      name: 'gateway_upstream_rate_limited_total',
      help: '429 answers seen from WorkOS, by method and route template.',
      labelNames: ['method', 'route'],
      registers,
    });
    this.pauses = new Counter({
      name: 'gateway_rate_limit_pauses_total',
      help: 'Pauses of a rate bucket after a 429, by rate limit.',
      labelNames: ['limit'],
      registers,
    });
    this.pauseSeconds = new Counter({
      name: 'gateway_rate_limit_pause_seconds_total',
      help: 'Time rate buckets were told to pause after 429s, by rate limit.',
      labelNames: ['limit'],
      registers,
    });
    this.retries = new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Upstream calls tried again (after a 429, a 5xx or a network error), by method and route template.',
      labelNames: ['method', 'route'],
      registers,
    });
    this.coalescedCalls = new Counter({
      name: 'gateway_upstream_coalesced_total',
      help: 'GETs answered by an identical call already in flight (no call of their own).',
      registers,
    });
    this.droppedCalls = new Counter({
      name: 'gateway_upstream_dropped_total',
      help: 'Calls dropped unsent: the client went away (aborted) or the call could not make its deadline.',
      labelNames: ['reason'],
      registers,
    });

    const bucketGauge = (name: string, help: string, value: (u: BucketUsage) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['limit'],
        registers,
        collect() {
          for (const usage of sources.bucketUsage()) this.set({ limit: usage.limit }, value(usage));
        },
      });
    bucketGauge('gateway_rate_bucket_limit', 'Calls a rate limit allows per window.', (u) => u.capacity);
    bucketGauge('gateway_rate_bucket_window_seconds', 'The window of a rate limit.', (u) => u.windowMs / 1000);
    bucketGauge('gateway_rate_bucket_used', 'Calls sent in the current window (per-key limits: the busiest key).', (u) => u.used);
    bucketGauge('gateway_rate_bucket_remaining', 'Calls left in the current window (per-key limits: the busiest key).', (u) => u.remaining);
    bucketGauge('gateway_rate_bucket_paused_seconds', 'Time left of a pause after a 429.', (u) => u.pausedMs / 1000);
    bucketGauge('gateway_rate_bucket_keys', 'Buckets tracked for a limit (per-key limits: one per directory or email seen lately).', (u) => u.keys);

    const cacheCounter = (name: string, help: string, value: (c: UpstreamCache) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          const cache = sources.cache();
          if (cache) this.inc(value(cache));
        },
      });
    cacheCounter('gateway_cache_hits_total', 'Upstream reads answered by the cross-request cache.', (c) => c.hits);
    cacheCounter('gateway_cache_misses_total', 'Cacheable upstream reads passed on to WorkOS.', (c) => c.misses);
    cacheCounter('gateway_cache_invalidated_entries_total', 'Cache entries dropped because an event or a write made them stale.', (c) => c.invalidated);
    new Gauge({
      name: 'gateway_cache_entries',
      help: 'Entries in the cross-request cache now.',
      registers,
      collect() {
        this.set(sources.cache()?.size ?? 0);
      },
    });

    this.events = new Counter({
      name: 'gateway_events_total',
      help: 'WorkOS events received, by source (webhook, follower) and result (applied, or duplicate when already seen).',
      labelNames: ['source', 'result'],
      registers,
    });
    this.followerErrors = new Counter({
      name: 'gateway_follower_errors_total',
      help: 'Events API polls that failed (tried again from the same cursor).',
      registers,
    });
    this.subscriptions = new Gauge({ name: 'gateway_subscriptions_open', help: 'GraphQL subscriptions open now.', registers });
    this.sharedUp = new Gauge({ name: 'gateway_shared_state_up', help: '1 while shared state (Redis) answers; 0 while this instance runs on its local share, and without REDIS_URL.', registers });
    this.sharedLost = new Counter({ name: 'gateway_shared_state_lost_total', help: 'Times this instance lost shared state (Redis) and fell back to its local share.', registers });
    this.signInRefusals = new Counter({
      name: 'gateway_sign_in_refusals_total',
      help: 'Sign-in attempts refused, by reason (ip_limit, account_limit, invalid_credentials, upstream_rate_limited).',
      labelNames: ['reason'],
      registers,
    });
    this.tokenRefusals = new Counter({
      name: 'gateway_auth_refusals_total',
      help: 'Requests whose credential was refused (401), by reason (expired, bad_signature, unknown_issuer, ...).',
      labelNames: ['reason'],
      registers,
    });
  }

  /**
   * Operation names come from clients: only the first `maxOperationNames` distinct ones get a
   * series of their own, the rest count as "other" (persisted documents keep them few).
   */
  private operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames) return 'other';
    this.operationNames.add(name);
    return name;
  }

  operation(name: string | undefined, type: string, outcome: string, seconds: number): void {
    const labels = { operation: this.operationLabel(name), type, outcome };
    this.operations.inc(labels);
    this.operationSeconds.observe(labels, seconds);
  }

  upstreamAttempt(route: string, status: number | 'network', seconds: number, queueWaitSeconds: number): void {
    const { method, route: path } = splitRoute(route);
    this.upstreamRequests.inc({ method, route: path, status: String(status) });
    this.upstreamSeconds.observe({ method, route: path }, seconds);
    this.queueWait.observe(queueWaitSeconds);
    if (status === 429) this.rateLimited.inc({ method, route: path });
  }

  paused(limit: string, seconds: number): void {
    this.pauses.inc({ limit });
    this.pauseSeconds.inc({ limit }, seconds);
  }

  retried(route: string): void {
    this.retries.inc(splitRoute(route));
  }

  coalesced(): void {
    this.coalescedCalls.inc();
  }

  dropped(reason: 'aborted' | 'deadline'): void {
    this.droppedCalls.inc({ reason });
  }

  event(source: string, applied: boolean): void {
    this.events.inc({ source, result: applied ? 'applied' : 'duplicate' });
  }

  followerError(): void {
    this.followerErrors.inc();
  }

  subscriptionOpened(): void {
    this.subscriptions.inc();
  }

  subscriptionClosed(): void {
    this.subscriptions.dec();
  }

  sharedStateUp(up: boolean): void {
    this.sharedUp.set(up ? 1 : 0);
  }

  sharedStateLost(): void {
    this.sharedLost.inc();
  }

  signInRefused(reason: string): void {
    this.signInRefusals.inc({ reason });
  }

  tokenRefused(reason: string): void {
    this.tokenRefusals.inc({ reason });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
