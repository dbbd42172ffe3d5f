import type { Readiness } from '../observability/readiness.ts';
import type { RouteHandler } from './server.ts';

/**
 * GET /health: the process is up (200, always, while it serves). GET /ready: it can serve
 * (200), or which check fails (503). Both answer JSON and carry no secret.
 */
export function healthRoutes(readiness: Readiness): RouteHandler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path !== '/health' && path !== '/ready') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{}');
      return true;
    }
    if (path === '/health') {
      send(res, 200, { status: 'ok' });
      return true;
    }
    void readiness
      .report()
      .then((report) => send(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks }))
      .catch(() => send(res, 503, { status: 'not ready' }));
    return true;
  };
}

function send(res: Parameters<RouteHandler>[1], status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
