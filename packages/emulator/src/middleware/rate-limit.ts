import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { Charge, RateLimiter } from '../rate-limits.ts';
import type { Store } from '../store.ts';
import { isObject } from '../body.ts';

/** The email an authenticate call is about, read from its JSON body (Hono caches the body). */
async function authenticateEmail(c: Context): Promise<string> {
  try {
    const body: unknown = JSON.parse(await c.req.text());
    if (isObject(body) && typeof body.email === 'string') return body.email.toLowerCase();
    // Code-based grants carry no email; key them by their challenge / token instead.
    if (isObject(body)) {
      for (const k of ['authentication_challenge_id', 'pending_authentication_token', 'code']) {
        if (typeof body[k] === 'string') return `${k}:${body[k]}`;
      }
    }
  } catch {
    // A malformed body is the route's to reject; it still counts against the general bucket.
  }
  return '(none)';
}

/** The email a send (magic auth code, password reset) is for, read from its JSON body. */
async function bodyEmail(c: Context): Promise<string> {
  try {
    const body: unknown = JSON.parse(await c.req.text());
    if (isObject(body) && typeof body.email === 'string') return body.email.toLowerCase();
  } catch {
    // The route rejects a malformed body.
  }
  return '(none)';
}

/** Which directory a /directory_users request reads: `directory`, else the group's or user's. */
function directoryOf(c: Context, store: Store): string {
  const q = c.req.query('directory');
  if (q) return q;
  const group = c.req.query('group');
  if (group) return store.directoryGroups.get(group)?.directory_id ?? `group:${group}`;
  const m = /^\/directory_users\/([^/]+)/.exec(c.req.path);
  if (m) return store.directoryUsers.get(m[1])?.directory_id ?? `user:${m[1]}`;
  return '(none)';
}

export async function chargesFor(c: Context, store: Store, apiKey: string): Promise<Charge[]> {
  const { method, path } = c.req;
  const charges: Charge[] = [{ bucket: 'general', key: apiKey }];
  if (path.startsWith('/user_management/')) {
    charges.push({ bucket: method === 'GET' || method === 'HEAD' ? 'userManagementReads' : 'userManagementWrites', key: apiKey });
    if (method === 'POST' && /^\/user_management\/authenticate\/?$/.test(path)) {
      charges.push({ bucket: 'authenticate', key: await authenticateEmail(c) });
    }
    // Sending an email is limited per address (or per user), on top of the write bucket.
    if (method === 'POST' && /^\/user_management\/magic_auth\/?$/.test(path)) {
      charges.push({ bucket: 'magicAuth', key: await bodyEmail(c) });
    }
    if (method === 'POST' && /^\/user_management\/password_reset\/?$/.test(path)) {
      charges.push({ bucket: 'passwordReset', key: await bodyEmail(c) });
    }
    const verifying = method === 'POST' ? /^\/user_management\/users\/([^/]+)\/email_verification\/send\/?$/.exec(path) : null;
    if (verifying) charges.push({ bucket: 'emailVerification', key: verifying[1] });
  }
  if (method === 'GET' && /^\/directory_users(\/|$)/.test(path)) {
    charges.push({ bucket: 'directoryUsers', key: directoryOf(c, store) });
  }
  if (method === 'DELETE' && /^\/organizations\/[^/]+\/?$/.test(path)) {
    charges.push({ bucket: 'organizationDeletes', key: apiKey });
  }
  return charges;
}

/** 429 with an integer Retry-After and X-RateLimit-* headers once any bucket is full. */
export const rateLimit = (limiter: RateLimiter, store: Store, apiKey: () => string): MiddlewareHandler => async (c, next) => {
  if (!limiter.enabled) return next();
  const verdict = limiter.check(await chargesFor(c, store, apiKey()));
  if (!verdict) return next();
  const headers = {
    'X-RateLimit-Limit': String(verdict.limit),
    'X-RateLimit-Remaining': String(verdict.remaining),
    'X-RateLimit-Reset': String(verdict.resetSeconds),
  };
  if (!verdict.allowed) {
    throw new ApiError(
      429,
      { code: 'rate_limit_exceeded', message: `Rate limit exceeded (${verdict.bucket}). Retry after ${verdict.resetSeconds} s.` },
      { ...headers, 'Retry-After': String(verdict.resetSeconds) },
    );
  }
  await next();
  for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
};
