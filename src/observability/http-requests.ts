import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerValue } from './redact.ts';
import { runWithRecord, type RequestRecord } from './request-record.ts';
import type { Telemetry } from './telemetry.ts';
import { context, ROOT_CONTEXT, SpanKind, spanError, trace, type Span } from './tracing.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming request id is kept only if it is short and plain (it is echoed and logged). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps the GraphQL handler: each request gets an id (echoed in `x-request-id`), a record the
 * plugins fill in (operation, caller, errors), a span continuing the caller's `traceparent`,
 * and when it ends one log line and the operation metrics.
 */
export function observeRequests(telemetry: Telemetry, handler: Handler): Handler {
  return (req, res) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, id);
    const token = bearerValue(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
    const record: RequestRecord = {
      id,
      startedAt: performance.now(),
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://gateway').pathname,
      graphql: false,
      upstreamCalls: 0,
      errorCodes: [],
      secrets: new Set(token ? [token] : []),
      notify: (event) => telemetry.notify(record, event),
    };

    const tracing = telemetry.tracing;
    let span: Span | undefined;
    let active = ROOT_CONTEXT;
    if (tracing && !isPageOrAsset(req)) {
      const parent = tracing.extract(req.headers);
      span = tracing.tracer.startSpan('graphql', { kind: SpanKind.SERVER, attributes: { 'http.request.method': record.method, 'url.path': record.path } }, parent);
      active = trace.setSpan(parent, span);
    }
    res.once('close', () => finish(telemetry, record, res, span));
    return runWithRecord(record, () => (span ? context.with(active, () => handler(req, res)) : handler(req, res)));
  };
}

/** GraphiQL's page and assets: served by yoga, but not GraphQL operations. */
function isPageOrAsset(req: IncomingMessage): boolean {
  return req.method === 'GET' && (String(req.headers.accept ?? '').includes('text/html') || (req.url ?? '').startsWith('/graphiql/'));
}

function finish(telemetry: Telemetry, record: RequestRecord, res: ServerResponse, span: Span | undefined): void {
  const seconds = (performance.now() - record.startedAt) / 1000;
  const status = res.statusCode;
  const outcome = record.errorCodes[0] ?? (status >= 400 ? `HTTP_${status}` : 'ok');
  const operation = record.operation;
  if (record.graphql) telemetry.metrics?.operation(operation?.name, operation?.type ?? 'unknown', outcome, seconds);

  const line = {
    event: 'request',
    requestId: record.id,
    method: record.method,
    path: record.path,
    status,
    ...(operation ? { operation: operation.name ?? '(anonymous)', operationType: operation.type } : {}),
    ...(record.caller ? { caller: record.caller } : {}),
    ...(record.tenant ? { tenant: record.tenant } : {}),
    durationMs: Math.round(seconds * 1000 * 10) / 10,
    upstreamCalls: record.upstreamCalls,
    outcome,
    ...(record.errorCodes.length > 1 ? { errorCodes: [...new Set(record.errorCodes)] } : {}),
    ...(res.writableFinished ? {} : { aborted: true }),
  };
  // The line is written in the request's context, so its secrets are cut from it.
  runWithRecord(record, () => {
    if (!record.graphql) telemetry.logger.debug(line, 'request');
    else if (status >= 500) telemetry.logger.error(line, 'request');
    else telemetry.logger.info(line, 'request');
  });

  if (span) {
    if (operation) {
      span.updateName(operation.name ? `${operation.type} ${operation.name}` : operation.type);
      span.setAttribute('graphql.operation.type', operation.type);
      if (operation.name) span.setAttribute('graphql.operation.name', operation.name);
    }
    span.setAttribute('http.response.status_code', status);
    span.setAttribute('gateway.request_id', record.id);
    span.setAttribute('gateway.upstream_calls', record.upstreamCalls);
    span.setAttribute('gateway.outcome', outcome);
    if (outcome !== 'ok') spanError(span, outcome);
    span.end();
  }
}
