import { z } from 'zod';
import { positiveInt } from './values.ts';

/**
 * Shared state for several gateway instances (docs/operations.md, "Several instances").
 * Without REDIS_URL every instance keeps its rate buckets, event dedupe, cursor, sign-in limits
 * and the rest in its own memory, which is right for one instance only.
 */
export interface SharedStateConfig {
  /** redis:// or rediss:// URL (password and database included); undefined: in-process state. */
  redisUrl: string | undefined;
  /** How many instances share the budget: while Redis is unreachable each keeps 1/instances of every limit. */
  instances: number;
  /** Prefix of every key and channel, so several gateways (or environments) can share one Redis. */
  keyPrefix: string;
  /** How long one Redis command may take before the instance falls back to its local share (ms). */
  commandTimeoutMs: number;
  /** How long the Events API follower's lease lasts without renewal (ms). */
  followerLeaseMs: number;
}

const redisUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected redis://[user:password@]host[:port][/db] or rediss://…');

export const SHARED_STATE_VARIABLES = {
  REDIS_URL: redisUrl.optional(),
  GATEWAY_INSTANCES: positiveInt.max(1000).default(2),
  GATEWAY_REDIS_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'expected up to 64 characters [A-Za-z0-9:_.-]')
    .default('workos-gateway:'),
  GATEWAY_REDIS_TIMEOUT_MS: positiveInt.max(60_000).default(500),
  GATEWAY_EVENTS_LEASE_MS: positiveInt.min(1000).max(600_000).default(15_000),
};

type Parsed = z.output<z.ZodObject<typeof SHARED_STATE_VARIABLES>>;

export function sharedStateFrom(e: Parsed): SharedStateConfig {
  return {
    redisUrl: e.REDIS_URL,
    instances: e.GATEWAY_INSTANCES,
    keyPrefix: e.GATEWAY_REDIS_PREFIX,
    commandTimeoutMs: e.GATEWAY_REDIS_TIMEOUT_MS,
    followerLeaseMs: e.GATEWAY_EVENTS_LEASE_MS,
  };
}
