import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { UpstreamCache } from '../cache/upstream-cache.ts';
import type { GatewayConfig } from '../config/index.ts';
import type { EventHub } from '../events/hub.ts';
import type { UpstreamObserver } from '../transport/observer.ts';
import type { UpstreamQueue } from '../transport/queue.ts';
import { createLogger, type Logger } from './logger.ts';
import { GatewayMetrics } from './metrics.ts';
import type { SharedStateObserver } from '../shared/store.ts';
import { currentRecord, type Notable, type RequestRecord } from './request-record.ts';
import { createTracing, spanError, type SpanExporter, type Tracing } from './tracing.ts';

export interface TelemetryOptions {
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: Writable;
  /** Spans go here instead of the configured exporter (tests use an in-memory one). */
  spanExporter?: SpanExporter;
}

/** A short, stable, non-reversible name for a tenant (organization or credential) in logs. */
export const tenantHash = (tenant: string): string => createHash('sha256').update(tenant).digest('base64url').slice(0, 12);

/** A Redis URL's password (and the whole URL) are redacted from logs. */
function redisSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const { password } = new URL(url);
  return password ? [url, password, decodeURIComponent(password)] : [];
}

/**
 * Logs, metrics and traces of one gateway, and the observers the transport, the event hub and
 * the follower report to. Metrics are undefined when GATEWAY_METRICS=off, tracing when no
 * OTEL exporter is configured.
 */
export class Telemetry {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics | undefined;
  readonly tracing: Tracing | undefined;
  private sources: { queue?: UpstreamQueue; cache?: UpstreamCache } = {};

  constructor(config: GatewayConfig, options: TelemetryOptions = {}) {
    const { observability } = config;
    const secrets = [config.workos.apiKey, config.workos.webhookSecret, observability.metrics.token, ...redisSecrets(config.shared.redisUrl)].filter(
      (s): s is string => !!s,
    );
    this.logger = createLogger(observability.log, { stream: options.logStream, secrets, nodeEnv: config.nodeEnv });
    this.tracing = createTracing(observability.tracing, options.spanExporter);
    this.metrics = observability.metrics.enabled
      ? new GatewayMetrics(
          {
            bucketUsage: () => this.sources.queue?.bucketUsage() ?? [],
            queueDepth: () => this.sources.queue?.snapshot().depth.current ?? 0,
            cache: () => this.sources.cache,
          },
          observability.metrics.maxOperationNames,
        )
      : undefined;
  }

  /** Connects the parts built after the telemetry (the queue needs the observer first). */
  watch(parts: { queue: UpstreamQueue; cache: UpstreamCache | undefined; events: EventHub }): void {
    // The queue and the cache keep their own counts; the metrics read them at scrape time.
    this.sources = parts;
    parts.events.observe(({ source, applied }) => this.metrics?.event(source ?? 'other', applied));
  }

  /** What the upstream queue tells: counted, traced, and 429 pauses logged. */
  readonly upstream: UpstreamObserver = {
    attempt: (start) => {
      const record = currentRecord();
      if (record) record.upstreamCalls += 1;
      const span = this.tracing?.startChild(start.route, {
        'http.request.method': start.method,
        'url.template': start.route.slice(start.route.indexOf(' ') + 1),
        'http.request.resend_count': start.attempt - 1,
        'gateway.upstream.attempt': start.attempt,
        'gateway.upstream.queue_wait_ms': start.queueWaitMs,
      });
      if (span) this.tracing?.inject(span, start.headers);
      return (end) => {
        this.metrics?.upstreamAttempt(start.route, end.status, end.durationMs / 1000, start.queueWaitMs / 1000);
        if (!span) return;
        if (end.status === 'network') spanError(span, 'no answer');
        else {
          span.setAttribute('http.response.status_code', end.status);
          if (end.status >= 500 || end.status === 429) spanError(span, String(end.status));
        }
        span.end();
      };
    },
    paused: (info) => {
      this.metrics?.paused(info.limit, info.waitMs / 1000);
      this.logger.warn({ event: 'rate_limit_pause', limit: info.limit, route: info.route, waitMs: info.waitMs, requestId: currentRecord()?.id }, 'WorkOS answered 429: pausing the rate bucket');
    },
    retried: (info) => this.metrics?.retried(info.route),
    coalesced: () => this.metrics?.coalesced(),
    dropped: (info) => this.metrics?.dropped(info.reason),
  };

  /** A notable event of a request: counted and logged (at warn: an operator may have to act). */
  notify(record: RequestRecord, event: Notable): void {
    switch (event.kind) {
      case 'token_refused':
        record.caller = 'refused';
        this.metrics?.tokenRefused(event.reason);
        this.logger.warn(
          { event: 'token_refused', requestId: record.id, reason: event.reason, ...(event.issuer ? { issuer: event.issuer } : {}) },
          event.reason === 'unknown_issuer'
            ? 'Access token refused: its issuer is not accepted (set WORKOS_ISSUER to accept it)'
            : `Access token refused: ${event.reason.replace(/_/g, ' ')}`,
        );
        return;
      case 'sign_in_refused':
        this.metrics?.signInRefused(event.reason);
        this.logger.warn({ event: 'sign_in_refused', requestId: record.id, reason: event.reason }, `Sign-in refused: ${event.reason.replace(/_/g, ' ')}`);
    }
  }

  /** Shared state (Redis) lost and back: logged once per change, and a gauge. */
  readonly sharedState: SharedStateObserver = {
    lost: (error) => {
      this.metrics?.sharedStateLost();
      this.logger.warn(
        { event: 'shared_state_lost', err: error },
        'Redis is unreachable: serving on this instance\'s local share of each limit until it is back',
      );
    },
    restored: () => {
      this.logger.warn({ event: 'shared_state_restored' }, 'Redis answers again: rate limits, events and sign-in limits are shared again');
    },
  };

  followerError(error: unknown): void {
    this.metrics?.followerError();
    this.logger.error({ event: 'follower_error', err: error }, 'Events API poll failed; the next poll tries again from the same cursor');
  }

  async shutdown(): Promise<void> {
    await this.tracing?.shutdown();
    this.logger.flush();
  }
}
