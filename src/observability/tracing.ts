import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ObservabilityConfig } from '../config/observability.ts';

export const TRACER_NAME = 'workos-graphql-gateway';

/** One per process: spans find their parent through async context (AsyncLocalStorage). */
let contextManagerSet = false;
function ensureContextManager(): void {
  if (contextManagerSet) return;
  contextManagerSet = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

const propagator = new W3CTraceContextPropagator();

/**
 * OpenTelemetry traces: the SDK's tracer provider with the standard OTEL_* variables (sampler,
 * batch processor, OTLP endpoint and headers, service name and resource attributes), off
 * unless an exporter is configured. Each gateway has its own provider (tests run several).
 */
export class Tracing {
  readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider;

  constructor(exporter: SpanExporter, batch: boolean) {
    ensureContextManager();
    const resource = defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: TRACER_NAME }))
      .merge(detectResources({ detectors: [envDetector] }));
    this.provider = new BasicTracerProvider({
      resource,
      spanProcessors: [batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
    });
    this.tracer = this.provider.getTracer(TRACER_NAME);
  }

  /** The caller's W3C trace context (`traceparent`, `tracestate`), if it sent one. */
  extract(headers: Record<string, string | string[] | undefined>): Context {
    return propagator.extract(ROOT_CONTEXT, headers, nodeHeaderGetter);
  }

  /** Writes the span's trace context into outgoing headers (the upstream call). */
  inject(span: Span, headers: Headers): void {
    propagator.inject(trace.setSpan(context.active(), span), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }

  /** A child of the active span, or nothing when no traced request is running. */
  startChild(name: string, attributes: Record<string, string | number>): Span | undefined {
    const parent = trace.getSpan(context.active());
    if (!parent) return undefined;
    return this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
  }

  /** Sends what is buffered and stops. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

const nodeHeaderGetter = {
  keys: (carrier: Record<string, string | string[] | undefined>) => Object.keys(carrier),
  get: (carrier: Record<string, string | string[] | undefined>, key: string) => carrier[key.toLowerCase()],
};

/** Tracing as configured (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_*), or a given exporter (tests). */
export function createTracing(config: ObservabilityConfig['tracing'], exporter?: SpanExporter): Tracing | undefined {
  if (exporter) return new Tracing(exporter, false);
  if (!config) return undefined;
  // The OTLP exporter reads its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*.
  return new Tracing(config.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(), true);
}

export function spanError(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
export { SpanKind, context, trace, ROOT_CONTEXT };
export type { Context, Span, SpanExporter };
