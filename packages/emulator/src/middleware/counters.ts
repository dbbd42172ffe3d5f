import type { MiddlewareHandler } from 'hono';
import type { RequestLog } from '../request-log.ts';
import { routeTemplate } from './route-template.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the fault middleware when it destroyed the socket: logged with status 0. */
    emulatorDropped?: boolean;
  }
}

/** Records each request with its route template and final status (after errors and faults). */
export const counters = (log: RequestLog): MiddlewareHandler => async (c, next) => {
  const startedAt = performance.timeOrigin + performance.now();
  try {
    await next();
  } finally {
    const dropped = c.get('emulatorDropped') === true;
    const traceparent = c.req.header('traceparent');
    log.record({
      method: c.req.method,
      route: routeTemplate(c),
      path: c.req.path,
      status: dropped ? 0 : c.res.status,
      startedAt,
      endedAt: performance.timeOrigin + performance.now(),
      ...(traceparent ? { traceparent } : {}),
    });
  }
};
