import { GatewayRequestError } from './errors.ts';

/** Refusals that would be refused again: retrying them only keeps a screen spinning. */
const FINAL_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_ONLY']);

/** Attempts after the first, as TanStack Query's own default. */
export const MAX_RETRIES = 3;

/** The longest wait the rule accepts before a retry; a longer Retry-After ends the query instead. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * TanStack Query's `retry` for gateway operations: no retry for UNAUTHENTICATED, FORBIDDEN,
 * BAD_USER_INPUT (or any other refusal: a 4xx answer, a validation error); RATE_LIMITED is
 * retried once its `retryAfter` has passed; lost connections and 5xx answers are retried.
 * Three retries at most.
 */
export function gatewayRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!(error instanceof GatewayRequestError)) return true;
  const codes = error.codes;
  if (codes.includes('RATE_LIMITED') || error.status === 429) return (error.retryAfter ?? 0) <= MAX_RETRY_AFTER_SECONDS;
  if (codes.some((code) => FINAL_CODES.has(code))) return false;
  if (error.status >= 400 && error.status < 500) return false;
  // Errors without a server-side cause (e.g. GRAPHQL_VALIDATION_FAILED) come with 200 or 400.
  if (error.status === 200 && codes.every((code) => code !== 'UPSTREAM_UNAVAILABLE' && code !== 'INTERNAL_SERVER_ERROR')) return false;
  return true;
}

/** TanStack Query's `retryDelay`: the gateway's `retryAfter` when it gave one, else its own backoff. */
export function gatewayRetryDelay(failureCount: number, error: unknown): number {
  if (error instanceof GatewayRequestError && error.retryAfter !== undefined) return error.retryAfter * 1000;
  return Math.min(1000 * 2 ** failureCount, 30_000);
}

/** `new QueryClient({ defaultOptions: { queries: gatewayQueryDefaults } })` for queries written by hand. */
export const gatewayQueryDefaults = { retry: gatewayRetry, retryDelay: gatewayRetryDelay } as const;
