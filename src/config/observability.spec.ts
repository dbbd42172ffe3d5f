import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const production = { NODE_ENV: 'production', WORKOS_API_KEY: 'sk_test_abc' };

describe('observability settings', () => {
  it('metrics: on outside production, off in production unless asked, and then only with a token', () => {
    expect(loadConfig({}).observability.metrics.enabled).toBe(true);
    expect(loadConfig(production).observability.metrics.enabled).toBe(false);
    expect(() => loadConfig({ ...production, GATEWAY_METRICS: 'on' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, GATEWAY_METRICS: 'on' })).toThrow(/GATEWAY_METRICS_TOKEN/);
    const token = 'x'.repeat(40);
    expect(loadConfig({ ...production, GATEWAY_METRICS: 'on', GATEWAY_METRICS_TOKEN: token }).observability.metrics).toMatchObject({ enabled: true, token });
    expect(() => loadConfig({ GATEWAY_METRICS_TOKEN: 'short' })).toThrow(/GATEWAY_METRICS_TOKEN/);
  });

  it('traces: off unless an exporter or an OTLP endpoint is configured, and never with OTEL_SDK_DISABLED', () => {
    expect(loadConfig({}).observability.tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).observability.tracing).toEqual({ exporter: 'otlp' });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).observability.tracing).toEqual({ exporter: 'console' });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).observability.tracing).toBeUndefined();
    expect(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).observability.tracing).toBeUndefined();
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });

  it('logs: info, error under test; an unknown level is refused', () => {
    expect(loadConfig({}).observability.log.level).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test' }).observability.log.level).toBe('error');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).observability.log.level).toBe('debug');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
