import { z } from 'zod';
import { positiveInt } from './values.ts';

/** Logs, metrics, traces, readiness and shutdown (docs/operations.md has the detail). */
export interface ObservabilityConfig {
  log: { level: LogLevel; format: 'json' | 'pretty' | 'auto' };
  metrics: { enabled: boolean; token: string | undefined; maxOperationNames: number };
  /** Where spans go; undefined: tracing is off. Everything else comes from the standard OTEL_* variables. */
  tracing: { exporter: 'otlp' | 'console' } | undefined;
  /** How often the upstream key and key set are checked for /ready (ms); 0: at every /ready. */
  readinessIntervalMs: number;
  /** How long a stop waits for in-flight requests before it cuts them (ms). */
  shutdownGraceMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['on', 'off', 'true', 'false', '1', '0'].includes(v), 'expected on or off')
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/** The variables, spread into the config schema of src/config/index.ts. */
export const OBSERVABILITY_VARIABLES = {
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
  GATEWAY_METRICS: onOff.optional(),
  // Long random values only, as service tokens: /metrics shows traffic and budget.
  GATEWAY_METRICS_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/=-]{32,512}$/, 'expected a token of at least 32 characters [A-Za-z0-9._~+/=-]')
    .optional(),
  GATEWAY_METRICS_MAX_OPERATIONS: positiveInt.max(10_000).default(500),
  GATEWAY_READINESS_INTERVAL_MS: z.coerce.number().int('expected an integer').min(0).default(30_000),
  GATEWAY_SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  // The standard OpenTelemetry variables that decide whether traces are on; the SDK reads the rest.
  OTEL_SDK_DISABLED: z.string().trim().toLowerCase().optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().trim().url('expected a URL').optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().trim().url('expected a URL').optional(),
};

type Parsed = z.output<z.ZodObject<typeof OBSERVABILITY_VARIABLES>>;

export function observabilityConfigFrom(e: Parsed, nodeEnv: 'development' | 'production' | 'test'): ObservabilityConfig {
  const production = nodeEnv === 'production';
  const metricsOn = e.GATEWAY_METRICS ?? !production;
  return {
    log: { level: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'error' : 'info'), format: e.LOG_FORMAT },
    metrics: { enabled: metricsOn, token: e.GATEWAY_METRICS_TOKEN, maxOperationNames: e.GATEWAY_METRICS_MAX_OPERATIONS },
    tracing: tracingFrom(e),
    readinessIntervalMs: e.GATEWAY_READINESS_INTERVAL_MS,
    shutdownGraceMs: e.GATEWAY_SHUTDOWN_GRACE_MS,
  };
}

/** Checks across variables; a message names the variables, never a value. */
export function observabilityProblems(config: ObservabilityConfig, nodeEnv: string): string[] {
  if (nodeEnv === 'production' && config.metrics.enabled && !config.metrics.token) {
    return ['GATEWAY_METRICS_TOKEN: required when GATEWAY_METRICS=on in production (or set GATEWAY_METRICS=off)'];
  }
  return [];
}

/** Traces are off unless an exporter or an OTLP endpoint is configured (and the SDK is not disabled). */
function tracingFrom(e: Parsed): ObservabilityConfig['tracing'] {
  if (e.OTEL_SDK_DISABLED === 'true') return undefined;
  if (e.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (e.OTEL_TRACES_EXPORTER) return { exporter: e.OTEL_TRACES_EXPORTER };
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return { exporter: 'otlp' };
  return undefined;
}
