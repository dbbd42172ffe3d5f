import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { RouteHandler } from './server.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics in Prometheus' text format; with GATEWAY_METRICS_TOKEN only for
 * `Authorization: Bearer <token>` (compared in constant time). Off: the route does not exist.
 */
export function metricsRoute(metrics: GatewayMetrics | undefined, token: string | undefined): RouteHandler {
  const expected = token ? digest(token) : undefined;
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== '/metrics') return false;
    if (!metrics) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      return true;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'application/json' }).end('{}');
      return true;
    }
    if (expected) {
      const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' }).end('{}');
        return true;
      }
    }
    void metrics
      .text()
      .then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body))
      .catch(() => res.writeHead(500).end());
    return true;
  };
}
