import { describe, expect, it } from 'vitest';
import { GatewayRequestError } from '../src/errors.ts';
import { gatewayRetry, gatewayRetryDelay, MAX_RETRIES } from '../src/retry.ts';

/** The default retry rule the hooks use, as TanStack Query calls it: (failureCount, error). */
const refusal = (status: number, code?: string, extensions: Record<string, unknown> = {}) =>
  new GatewayRequestError('refused', { status, errors: code ? [{ message: 'refused', extensions: { code, ...extensions } }] : [] });

describe('gatewayRetry', () => {
  it.each([
    ['UNAUTHENTICATED (401)', refusal(401, 'UNAUTHENTICATED')],
    ['UNAUTHENTICATED inside a 200', refusal(200, 'UNAUTHENTICATED')],
    ['FORBIDDEN', refusal(200, 'FORBIDDEN')],
    ['FORBIDDEN (403, CSRF header missing)', refusal(403, 'FORBIDDEN')],
    ['BAD_USER_INPUT', refusal(400, 'BAD_USER_INPUT')],
    ['BAD_USER_INPUT inside a 200', refusal(200, 'BAD_USER_INPUT')],
    ['NOT_FOUND', refusal(200, 'NOT_FOUND')],
    ['a validation error', refusal(400, 'GRAPHQL_VALIDATION_FAILED')],
    ['PERSISTED_QUERY_NOT_FOUND', refusal(400, 'PERSISTED_QUERY_NOT_FOUND')],
    ['a 4xx without GraphQL errors', refusal(404)],
    ['an error without a code', refusal(200)],
  ])('does not retry %s', (_what, error) => {
    expect(gatewayRetry(0, error)).toBe(false);
  });

  it.each([
    ['RATE_LIMITED with retryAfter', refusal(200, 'RATE_LIMITED', { retryAfter: 2 })],
    ['HTTP 429', refusal(429)],
    ['UPSTREAM_UNAVAILABLE', refusal(200, 'UPSTREAM_UNAVAILABLE')],
    ['INTERNAL_SERVER_ERROR', refusal(200, 'INTERNAL_SERVER_ERROR')],
    ['a 503 without a GraphQL response', refusal(503)],
    ['a lost connection', new GatewayRequestError('offline', { status: 0 })],
    ['an error that is not the gateway’s', new TypeError('fetch failed')],
  ])('retries %s, at most three times', (_what, error) => {
    expect(gatewayRetry(0, error)).toBe(true);
    expect(gatewayRetry(MAX_RETRIES - 1, error)).toBe(true);
    expect(gatewayRetry(MAX_RETRIES, error)).toBe(false);
  });

  it('does not wait longer than a minute for a Retry-After', () => {
    expect(gatewayRetry(0, refusal(200, 'RATE_LIMITED', { retryAfter: 60 }))).toBe(true);
    expect(gatewayRetry(0, refusal(200, 'RATE_LIMITED', { retryAfter: 3600 }))).toBe(false);
  });
});

describe('gatewayRetryDelay', () => {
  it('waits retryAfter seconds when the gateway gave them (extensions first, then the header)', () => {
    expect(gatewayRetryDelay(0, refusal(200, 'RATE_LIMITED', { retryAfter: 7 }))).toBe(7000);
    expect(gatewayRetryDelay(2, new GatewayRequestError('slow down', { status: 429, retryAfterHeader: 3 }))).toBe(3000);
  });

  it('otherwise backs off as TanStack Query does: 2 s, 4 s, ... at most 30 s', () => {
    expect([0, 1, 2, 10].map((n) => gatewayRetryDelay(n, refusal(503)))).toEqual([1000, 2000, 4000, 30_000]);
  });
});

describe('GatewayRequestError', () => {
  it('exposes codes, retryAfter and the response extensions (cost)', () => {
    const error = new GatewayRequestError('limited', {
      status: 200,
      errors: [{ message: 'limited', extensions: { code: 'RATE_LIMITED', retryAfter: 4 } }],
      extensions: { cost: { estimate: 12, calls: 3 } },
    });
    expect(error.codes).toEqual(['RATE_LIMITED']);
    expect(error.retryAfter).toBe(4);
    expect(error.cost).toEqual({ estimate: 12, calls: 3 });
    expect(error.unauthenticated).toBe(false);
    expect(refusal(401).unauthenticated).toBe(true);
  });
});
