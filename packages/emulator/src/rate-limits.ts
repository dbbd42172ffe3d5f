import type { RateLimitConfig } from './context.ts';

/** WorkOS' documented limits (reference/workos-api.md §4). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  general: { limit: 6000, windowMs: 60_000 },
  userManagementReads: { limit: 1000, windowMs: 10_000 },
  userManagementWrites: { limit: 500, windowMs: 10_000 },
  directoryUsers: { limit: 4, windowMs: 1_000 },
  organizationDeletes: { limit: 50, windowMs: 60_000 },
  authenticate: { limit: 10, windowMs: 60_000 },
  magicAuth: { limit: 3, windowMs: 60_000 },
  passwordReset: { limit: 3, windowMs: 60_000 },
  emailVerification: { limit: 3, windowMs: 60_000 },
};

export type BucketName = keyof RateLimitConfig;

export function resolveRateLimits(r: Partial<RateLimitConfig> | false | undefined): RateLimitConfig | false {
  if (r === false) return false;
  return { ...DEFAULT_RATE_LIMITS, ...r };
}

/** What a request is charged to: one entry per bucket that applies, each with its own key. */
export interface Charge {
  bucket: BucketName;
  key: string;
}

export interface Verdict {
  allowed: boolean;
  /** The bucket whose numbers go in the X-RateLimit-* headers (the tightest, or the one hit). */
  limit: number;
  remaining: number;
  /** Whole seconds until that bucket's window resets (at least 1). */
  resetSeconds: number;
  bucket: BucketName;
}

/**
 * Fixed-window counters. A request is checked against every bucket it is charged to and counted
 * in all of them only if none is full, so a rejected request never uses up budget.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(
    private config: RateLimitConfig | false,
    private readonly clock: () => number = Date.now,
  ) {}

  setConfig(config: RateLimitConfig | false): void {
    this.config = config;
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }

  /** Drops expired windows, so per-email and per-directory keys do not pile up. */
  private prune(now: number, config: RateLimitConfig): void {
    for (const [id, w] of this.windows) {
      const bucket = id.slice(0, id.indexOf('\u0000')) as BucketName;
      if (now - w.start >= config[bucket].windowMs) this.windows.delete(id);
    }
  }

  get enabled(): boolean {
    return this.config !== false;
  }

  check(charges: Charge[]): Verdict | undefined {
    const config = this.config;
    if (config === false || charges.length === 0) return undefined;
    const now = this.clock();
    if (this.windows.size > 10_000) this.prune(now, config);
    const states = charges.map(({ bucket, key }) => {
      const { limit, windowMs } = config[bucket];
      const id = `${bucket}\u0000${key}`;
      let w = this.windows.get(id);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        this.windows.set(id, w);
      }
      const resetSeconds = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
      return { bucket, limit, w, resetSeconds };
    });
    const full = states.find((s) => s.w.count >= s.limit);
    if (full) {
      return { allowed: false, limit: full.limit, remaining: 0, resetSeconds: full.resetSeconds, bucket: full.bucket };
    }
    for (const s of states) s.w.count++;
    const tightest = states.reduce((a, b) => (b.limit - b.w.count < a.limit - a.w.count ? b : a));
    return {
      allowed: true,
      limit: tightest.limit,
      remaining: tightest.limit - tightest.w.count,
      resetSeconds: tightest.resetSeconds,
      bucket: tightest.bucket,
    };
  }
}
