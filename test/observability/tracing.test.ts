import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../kit/events.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post } from '../kit/http.ts';
import type { Gateway } from '../../src/gateway.ts';

/**
 * Traces, collected in memory: one server span per GraphQL operation continuing the caller's
 * W3C traceparent, one child span per upstream attempt, and the child's trace context sent to
 * WorkOS (the emulator records the traceparent each call carried).
 */
const ORG = 'query OrgById($id: ID!) { organization(id: $id) { name } }';
const exporter = new InMemorySpanExporter();
const token = `svc_${randomBytes(32).toString('base64url')}`;
let emulator: EmulatorHandle;
let gateway: Gateway;
let url: string;
let orgId: string;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
  ({ gateway, url } = await startGateway(emulator, { GATEWAY_SERVICE_TOKENS: token }, { spanExporter: exporter }));
  orgId = [...emulator.store.organizations.values()][0].id;
});
afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
});
beforeEach(() => {
  exporter.reset();
  emulator.requests.reset();
  emulator.faults.clear();
});

const traceId = () => randomBytes(16).toString('hex');
const spanId = () => randomBytes(8).toString('hex');
const server = (spans: ReadableSpan[]) => spans.filter((s) => s.attributes['graphql.operation.type'] !== undefined);
/** Spans once the operation's span has ended (just after its response is sent). */
async function finished(): Promise<ReadableSpan[]> {
  await waitFor(() => server(exporter.getFinishedSpans()).length > 0, 5_000, 'the operation span');
  return exporter.getFinishedSpans();
}
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('traces', () => {
  it("continue the caller's traceparent: an operation span with a child per upstream call, whose context reaches WorkOS", async () => {
    const [trace, callerSpan] = [traceId(), spanId()];
    const res = await post(url, ORG, { id: orgId }, { ...bearer(token), traceparent: `00-${trace}-${callerSpan}-01` });
    expect(res.body.errors).toBeUndefined();

    const spans = await finished();
    const [operation] = server(spans);
    expect(server(spans)).toHaveLength(1);
    expect(operation.name).toBe('query OrgById');
    expect(operation.spanContext().traceId).toBe(trace);
    expect(operation.parentSpanContext?.spanId).toBe(callerSpan);
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'OrgById', 'graphql.operation.type': 'query', 'http.response.status_code': 200, 'gateway.upstream_calls': 1, 'gateway.outcome': 'ok' });

    const [call] = childrenOf(spans, operation);
    expect(childrenOf(spans, operation)).toHaveLength(1);
    expect(call.name).toBe('GET /organizations/:id');
    expect(call.spanContext().traceId).toBe(trace);
    expect(call.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.template': '/organizations/:id', 'http.response.status_code': 200, 'gateway.upstream.attempt': 1 });
    expect(typeof call.attributes['gateway.upstream.queue_wait_ms']).toBe('number');

    const sent = emulator.requests.log().map((e) => e.traceparent);
    expect(sent).toEqual([`00-${trace}-${call.spanContext().spanId}-01`]);
  });

  it('give each attempt of a retried call its own span, with its status and attempt number', async () => {
    emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 503, times: 1 });
    const res = await post(url, ORG, { id: orgId }, bearer(token));
    expect(res.body.errors).toBeUndefined();
    const spans = await finished();
    const [operation] = server(spans);
    const attempts = childrenOf(spans, operation).map((s) => [s.attributes['gateway.upstream.attempt'], s.attributes['http.response.status_code']]);
    expect(attempts).toEqual([
      [1, 503],
      [2, 200],
    ]);
    // No traceparent from the caller: the operation starts a trace of its own, which WorkOS sees.
    expect(operation.parentSpanContext).toBeUndefined();
    const log = emulator.requests.log();
    expect(log).toHaveLength(2);
    expect(log.every((e) => e.traceparent?.startsWith(`00-${operation.spanContext().traceId}-`))).toBe(true);
  });

  it('mark a refused request as an error, with no upstream call', async () => {
    const res = await post(url, ORG, { id: orgId }, bearer('not.a.jwt'));
    expect(res.status).toBe(401);
    const [operation] = server(await finished());
    expect(operation.attributes['gateway.outcome']).toBe('UNAUTHENTICATED');
    expect(operation.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(emulator.requests.total()).toBe(0);
  });
});

describe('traces as configured', () => {
  it('go to the OTLP endpoint of OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP), flushed when the gateway stops', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    // The exporter reads the standard variables from the environment, as it would in production.
    const saved = { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, name: process.env.OTEL_SERVICE_NAME };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    process.env.OTEL_SERVICE_NAME = 'gateway-under-test';
    try {
      const started = await startGateway(emulator, { GATEWAY_SERVICE_TOKENS: token, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      expect(started.gateway.telemetry.tracing).toBeDefined();
      expect((await post(started.url, ORG, { id: orgId }, bearer(token))).body.errors).toBeUndefined();
      await started.gateway.close();
      const traces = received.filter((r) => r.path === '/v1/traces');
      expect(traces.length).toBeGreaterThan(0);
      const all = traces.map((t) => t.body).join('\n');
      expect(all).toContain('"name":"query OrgById"');
      expect(all).toContain('"name":"GET /organizations/:id"');
      expect(all).toContain('"stringValue":"gateway-under-test"');
    } finally {
      if (saved.endpoint === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved.endpoint;
      if (saved.name === undefined) delete process.env.OTEL_SERVICE_NAME;
      else process.env.OTEL_SERVICE_NAME = saved.name;
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
