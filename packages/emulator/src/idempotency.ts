import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { EmulatorContext } from './context.ts';
import { ApiError } from './errors.ts';
import type { Store } from './store.ts';

/** WorkOS keeps an Idempotency-Key for 24 hours; after that the key starts afresh. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

// Keys whose first request is still running, per emulator, so a concurrent twin cannot slip past.
const inFlight = new WeakMap<Store, Set<string>>();

/** Same JSON in any key order or spacing gives the same fingerprint; non-JSON bodies hash as text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function requestFingerprint(method: string, path: string, rawBody: string): string {
  let body = rawBody;
  try {
    body = canonical(JSON.parse(rawBody));
  } catch {
    // not JSON: compare the raw text
  }
  return createHash('sha256').update(`${method} ${path}\n${body}`).digest('hex');
}

/**
 * Honours `Idempotency-Key` on POST: the first successful (2xx) response is stored with a
 * fingerprint of method, path and body; a later request with the same key and fingerprint gets
 * that response again (header `Idempotent-Replayed: true`) without running the handler. The same
 * key with another body or path answers 400 `idempotency_key_reused`; the same key while its
 * first request is still running answers 409. Failed responses are not stored, so a client can
 * retry a failure with the same key. Apply it to any create route:
 * `app.post('/organizations', idempotency(ctx), handler)` or `app.use('/organizations', idempotency(ctx))`.
 */
export function idempotency(ctx: Pick<EmulatorContext, 'store' | 'now'>): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();

    // Reading the text here caches it, so the handler can still call c.req.json().
    const fingerprint = requestFingerprint(c.req.method, c.req.path, await c.req.text());
    const now = ctx.now().getTime();
    const stored = ctx.store.idempotency.get(key);
    if (stored && now - stored.storedAt < IDEMPOTENCY_TTL_MS) {
      if (stored.bodyHash !== fingerprint) {
        throw new ApiError(400, {
          code: 'idempotency_key_reused',
          message: `The Idempotency-Key '${key}' was already used with a different request.`,
        });
      }
      c.header(IDEMPOTENT_REPLAY_HEADER, 'true');
      return stored.body === undefined
        ? c.body(null, stored.status as StatusCode)
        : c.json(stored.body as object, stored.status as ContentfulStatusCode);
    }

    let running = inFlight.get(ctx.store);
    if (!running) inFlight.set(ctx.store, (running = new Set()));
    if (running.has(key)) {
      throw new ApiError(409, { code: 'idempotency_key_in_use', message: `A request with the Idempotency-Key '${key}' is still in progress.` });
    }
    running.add(key);
    try {
      await next();
      const res = c.res;
      if (res.status >= 200 && res.status < 300) {
        const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
        const body: unknown = isJson ? await res.clone().json() : undefined;
        prune(ctx.store, now);
        ctx.store.idempotency.set(key, { bodyHash: fingerprint, status: res.status, body, storedAt: now });
      }
    } finally {
      running.delete(key);
    }
  };
}

function prune(store: Store, now: number): void {
  for (const [key, entry] of store.idempotency) {
    if (now - entry.storedAt >= IDEMPOTENCY_TTL_MS) store.idempotency.delete(key);
  }
}
