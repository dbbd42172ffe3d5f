import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, RETRYABLE_STATUS, backoffMs, mayRetry, retryAfterMs, type RetryPolicy } from './retry-policy.ts';

const withKey = () => new Headers({ 'Idempotency-Key': 'k-1' });
const noHeaders = () => new Headers();

describe('mayRetry', () => {
  it.each(['GET', 'PUT', 'DELETE'])('retries %s whatever the headers', (method) => {
    expect(mayRetry(method, '/organizations', noHeaders())).toBe(true);
  });

  it.each(['PATCH', 'HEAD', 'OPTIONS', 'get', 'post'])('never retries %s', (method) => {
    expect(mayRetry(method, '/organizations', withKey())).toBe(false);
  });

  it('does not retry a POST without an idempotency key', () => {
    expect(mayRetry('POST', '/organizations', noHeaders())).toBe(false);
  });

  it.each(['/organizations', '/user_management/users', '/user_management/organization_memberships', '/audit_logs/events'])(
    'retries a POST to %s carrying an idempotency key',
    (path) => {
      expect(mayRetry('POST', path, withKey())).toBe(true);
    },
  );

  it.each([
    '/user_management/authenticate',
    '/user_management/magic_auth',
    '/user_management/password_reset',
    '/user_management/users/user_01HZX3Y8Q2N4R6T8V0W2XYZABD/email_verification/send',
    '/user_management/password_reset/confirm',
    '/user_management/users/user_01HZX3Y8Q2N4R6T8V0W2XYZABD/auth_factors',
    '/user_management/invitations',
    '/user_management/invitations/invitation_01HZX3Y8Q2N4R6T8V0W2XYZABD/resend',
    '/user_management/invitations/invitation_01HZX3Y8Q2N4R6T8V0W2XYZABD/accept',
    '/user_management/invitations/invitation_01HZX3Y8Q2N4R6T8V0W2XYZABD/revoke',
  ])('never retries the unsafe POST %s, even with a key', (path) => {
    expect(mayRetry('POST', path, withKey())).toBe(false);
  });

  it.each(['/user_management/authenticate/extra', '/user_management/password_reset/confirm/x', '/x/user_management/magic_auth', '/user_management/sessions/revoke', '/portal/generate_link', '/widgets/token', '/organization_domains'])(
    'matches unsafe paths exactly: %s may be retried with a key',
    (path) => {
      expect(mayRetry('POST', path, withKey())).toBe(true);
    },
  );
});

describe('RETRYABLE_STATUS', () => {
  it.each([408, 429, 500, 502, 503, 504])('%i is retryable', (status) => {
    expect(RETRYABLE_STATUS.has(status)).toBe(true);
  });
  it.each([200, 400, 401, 403, 404, 409, 422, 501])('%i is not', (status) => {
    expect(RETRYABLE_STATUS.has(status)).toBe(false);
  });
});

describe('backoffMs', () => {
  const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 };

  it.each([
    // attempt, random, expected: d = min(max, base * 2^(attempt-1)); d/2 + random * d/2
    [1, 0, 50],
    [1, 0.5, 75],
    [1, 0.999, 99.95],
    [2, 0, 100],
    [3, 0, 200],
    [4, 0.5, 600],
    [5, 0, 500], // 1600 capped to 1000
    [10, 0, 500],
    [10, 1, 1_000],
  ])('attempt %i with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffMs(policy, attempt, () => random)).toBeCloseTo(expected, 6);
  });

  it('stays within [d/2, d) for Math.random', () => {
    for (let i = 0; i < 200; i++) {
      const ms = backoffMs(DEFAULT_RETRY, 2);
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThan(200);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it.each([
    ['0', 0],
    ['1', 1_000],
    ['2.5', 2_500],
    ['120', 120_000],
    ['-5', 0],
  ])('reads seconds: %s -> %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), now)).toBe(expected);
  });

  it.each([
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 00:02:00 GMT', 120_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
  ])('reads an HTTP date: %s -> %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), now)).toBe(expected);
  });

  it.each(['soon', 'Infinity', '1 minute', 'NaN'])('answers null for garbage: %s', (value) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), now)).toBeNull();
  });

  it('answers null when the header is absent or empty', () => {
    expect(retryAfterMs(new Headers(), now)).toBeNull();
    expect(retryAfterMs(new Headers({ 'Retry-After': '' }), now)).toBeNull();
  });
});
