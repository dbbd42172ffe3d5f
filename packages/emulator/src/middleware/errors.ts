import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../errors.ts';

/** The one place errors become responses: every error body is JSON, nothing crashes the process. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    const body = err.body;
    return c.json(body as never, err.status as never, err.headers);
  }
  // Routes that call c.req.json() on a malformed body.
  if (err instanceof SyntaxError && /JSON/i.test(err.message)) {
    return c.json({ code: 'invalid_json', message: 'The request body is not valid JSON.' }, 400);
  }
  if (err instanceof HTTPException) {
    return c.json({ code: 'http_error', message: err.message || `HTTP ${err.status}` }, err.status);
  }
  console.error('[emulator] unhandled error on %s %s:', c.req.method, c.req.path, err);
  return c.json({ code: 'internal_server_error', message: 'Internal server error.' }, 500);
};

export const notFound: NotFoundHandler = (c: Context) =>
  c.json({ code: 'route_not_found', message: `No route for ${c.req.method} ${c.req.path}.` }, 404);

/** The unread body is left on the socket, so the connection closes rather than being reused. */
export const payloadTooLarge = (maxBytes: number) => (c: Context) =>
  c.json({ code: 'payload_too_large', message: `The request body is larger than ${maxBytes} bytes.` }, 413, { Connection: 'close' });
