/** What the queue may retry, and how long it waits between attempts. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Statuses that say "try again": timeout, rate limit, and the gateway-ish 5xx. */
export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * POSTs that are not safe to repeat even with a key: WorkOS does not document idempotency for
 * them, and a repeat would send a second email or spend a one-time code.
 */
const UNSAFE_POSTS = [
  /^\/user_management\/authenticate$/,
  /^\/user_management\/magic_auth$/,
  /^\/user_management\/password_reset$/,
  /^\/user_management\/users\/[^/]+\/email_verification\/send$/,
];

export function mayRetry(method: string, path: string, headers: Headers): boolean {
  if (method === 'GET' || method === 'PUT' || method === 'DELETE') return true;
  if (method !== 'POST') return false;
  return headers.has('idempotency-key') && !UNSAFE_POSTS.some((p) => p.test(path));
}

/** Exponential backoff with full jitter in [d/2, d): spreads retries of many callers apart. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return d / 2 + random() * (d / 2);
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * A retried DELETE answered 404 after an attempt whose answer was lost (a dropped connection, a
 * timeout, a 5xx that may have come after the work): the object is gone, as the caller asked,
 * most likely by that very attempt. Reporting "not found" would tell them their delete failed.
 */
export const deletedBefore = (method: string, status: number): boolean => method === 'DELETE' && status === 404;

/** What the SDK reads as a successful delete. */
export const deleted = (): Response => new Response(null, { status: 204 });
