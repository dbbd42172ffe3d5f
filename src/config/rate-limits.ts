import { z } from 'zod';
import { WORKOS_RATE_LIMITS, type RateLimit, type RateLimits } from '../transport/rate-buckets.ts';

/** `GATEWAY_RATE_<NAME>` for each WorkOS limit: `<requests>/<seconds>s` (e.g. `6000/60s`) or `off`. */
export const RATE_LIMIT_VARIABLES: Record<keyof RateLimits, string> = {
  general: 'GATEWAY_RATE_GENERAL',
  userManagementReads: 'GATEWAY_RATE_USER_MANAGEMENT_READS',
  userManagementWrites: 'GATEWAY_RATE_USER_MANAGEMENT_WRITES',
  directoryUsers: 'GATEWAY_RATE_DIRECTORY_USERS',
  organizationDeletes: 'GATEWAY_RATE_ORGANIZATION_DELETES',
  authenticate: 'GATEWAY_RATE_AUTHENTICATE',
  magicAuth: 'GATEWAY_RATE_MAGIC_AUTH',
  passwordReset: 'GATEWAY_RATE_PASSWORD_RESET',
  emailVerification: 'GATEWAY_RATE_EMAIL_VERIFICATION',
};

export const rateLimitValue = z
  .string()
  .trim()
  .regex(/^(off|\d+\/\d+(\.\d+)?s)$/, 'expected <requests>/<seconds>s such as 6000/60s, or off')
  .transform((v): RateLimit | false => {
    if (v === 'off') return false;
    const [n, s] = v.slice(0, -1).split('/');
    return { limit: Number(n), windowMs: Number(s) * 1000 };
  })
  .refine((v) => v === false || (v.limit > 0 && v.windowMs > 0), 'both numbers must be positive');

export function rateLimitsFrom(values: Partial<Record<keyof RateLimits, RateLimit | false | undefined>>): RateLimits {
  const out = { ...WORKOS_RATE_LIMITS };
  for (const key of Object.keys(out) as (keyof RateLimits)[]) {
    const value = values[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
