import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Every response carries an X-Request-ID (the SDK copies it into its exceptions). */
export const requestId = (): MiddlewareHandler => async (c, next) => {
  const id = c.req.header('x-request-id') || randomUUID();
  await next();
  c.res.headers.set('X-Request-ID', id);
};
