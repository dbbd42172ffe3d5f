import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EmulatorContext } from './context.ts';
import type { FaultRegistry } from './faults.ts';
import type { RateLimiter } from './rate-limits.ts';
import type { RequestLog } from './request-log.ts';
import { auth } from './middleware/auth.ts';
import { counters } from './middleware/counters.ts';
import { notFound, onError, payloadTooLarge } from './middleware/errors.ts';
import { faults } from './middleware/faults.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { routeModules } from './routes/index.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiAppDeps {
  requests: RequestLog;
  faults: FaultRegistry;
  limiter: RateLimiter;
}

/**
 * The WorkOS API: request id → counters → faults → auth → body limit → rate limits → routes.
 * Errors anywhere become JSON in `onError`, so counters see the final status.
 */
export function createApiApp(ctx: EmulatorContext, deps: ApiAppDeps): Hono {
  const app = new Hono();
  app.use('*', requestId());
  app.use('*', counters(deps.requests));
  app.use('*', faults(deps.faults));
  app.use('*', auth(() => ctx.config.apiKey));
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: payloadTooLarge(MAX_BODY_BYTES) });
  // Only methods with bodies: touching the body of a GET makes the adapter build a full Request.
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  app.use('*', rateLimit(deps.limiter, ctx.store, () => ctx.config.apiKey));
  for (const mount of routeModules) mount(app, ctx);
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
