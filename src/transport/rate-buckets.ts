import { createHash } from 'node:crypto';

/**
 * WorkOS' rate limits, one bucket per documented limit (reference: WorkOS rate-limits docs).
 * A bucket admits a call only if fewer than `limit` were sent in the last `windowMs` (plus a
 * margin for network jitter): a classic token bucket would let a full burst plus the refill
 * through in one window, which WorkOS' windowed counters answer with 429s. Under that cap,
 * calls are also paced at limit/window with a small burst (a token bucket in GCRA form), so a
 * busy bucket frees a slot every interval instead of a whole window's worth at once: a newly
 * arrived tenant then waits one interval for its turn, not until the window slides.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  /** Every call, per API key (WorkOS: 6,000 / 60 s). */
  general: RateLimit | false;
  /** GET /user_management/* (WorkOS: 1,000 / 10 s). */
  userManagementReads: RateLimit | false;
  /** POST/PUT/DELETE /user_management/* (WorkOS: 500 / 10 s). */
  userManagementWrites: RateLimit | false;
  /** GET /directory_users, per directory (WorkOS: 4 / s). */
  directoryUsers: RateLimit | false;
  /** DELETE /organizations/:id (WorkOS: 50 / 60 s). */
  organizationDeletes: RateLimit | false;
  /** POST /user_management/authenticate, per email or challenge (WorkOS: 10 / 60 s). */
  authenticate: RateLimit | false;
  /** POST /user_management/magic_auth, per email (WorkOS: 3 / 60 s). */
  magicAuth: RateLimit | false;
  /** POST /user_management/password_reset, per email (WorkOS: 3 / 60 s). */
  passwordReset: RateLimit | false;
  /** POST /user_management/users/:id/email_verification/send, per user (WorkOS: 3 / 60 s). */
  emailVerification: RateLimit | false;
}

export const WORKOS_RATE_LIMITS: RateLimits = {
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

/** How a bucket paces one limit, or one instance's share of it (see `RateBucket.pace`). */
export interface Pace {
  limit: number;
  /** The window plus a margin for network jitter (ms). */
  span: number;
  /** One call per `interval` ms ... */
  interval: number;
  /** ... up to `tolerance` ms ahead of it (the burst). */
  tolerance: number;
}

/** One instance's share of a limit when `instances` split it: at least one call. */
export const shareOf = (limit: number, instances: number): number => Math.max(1, Math.floor(limit / instances));

function paceOf(limit: RateLimit, divisor: number): Pace {
  const share = shareOf(limit.limit, divisor);
  // Calls sent W apart can arrive less than W apart; keep a little slack.
  const span = limit.windowMs + Math.max(50, limit.windowMs * 0.02);
  const interval = limit.windowMs / share;
  // Small limits (10 sign-ins a minute, 4 directory reads a second) keep their whole burst:
  // pacing them would make a person's second attempt wait seconds for nothing.
  const burst = Math.min(share, Math.max(10, Math.ceil(share * 0.1)));
  return { limit: share, span, interval, tolerance: (burst - 1) * interval };
}

export class RateBucket {
  private readonly sent: number[] = [];
  private head = 0;
  private pausedUntil = 0;
  /** Not before this, says the shared store (another instance took the room); a hint only. */
  private heldUntil = 0;
  private readonly paces = new Map<number, Pace>();
  private theoreticalArrival = 0;

  constructor(
    readonly name: string,
    readonly limit: RateLimit,
    /** Which of RateLimits it enforces (several per-key buckets share one). */
    readonly family: string = name,
  ) {}

  /** The pacing of the whole limit (divisor 1), or of one instance's share of it. */
  pace(divisor = 1): Pace {
    let pace = this.paces.get(divisor);
    if (!pace) {
      pace = paceOf(this.limit, divisor);
      this.paces.set(divisor, pace);
    }
    return pace;
  }

  /** Earliest time (epoch ms, >= now) this bucket admits one more call (of `1/divisor` of the limit). */
  nextFree(now: number, divisor = 1): number {
    const { limit, span, tolerance } = this.pace(divisor);
    this.expire(now);
    let at = now;
    const inWindow = this.sent.length - this.head;
    if (inWindow >= limit) at = this.sent[this.sent.length - limit] + span;
    return Math.max(at, this.pausedUntil, this.theoreticalArrival - tolerance);
  }

  take(now: number, divisor = 1): void {
    this.sent.push(now);
    this.theoreticalArrival = Math.max(this.theoreticalArrival, now) + this.pace(divisor).interval;
  }

  /**
   * A call the shared store admitted: counted here too, so that if the store is lost this
   * instance's own recent calls still count against its local share. Its pacing is not run
   * ahead of the shared one (the store did the pacing).
   */
  record(now: number): void {
    this.sent.push(now);
    const { interval, tolerance } = this.pace();
    this.theoreticalArrival = Math.min(Math.max(this.theoreticalArrival, now) + interval, now + tolerance + interval);
  }

  /** The shared store refused until `until`: not worth asking before then. */
  hold(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until);
  }

  /** Earliest time worth asking the shared store: after any 429 pause or refusal seen here. */
  hintedFree(now: number): number {
    return Math.max(now, this.pausedUntil, this.heldUntil);
  }

  /** After a 429: send nothing until `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Calls in the current window and how long it stays paused (read-only). */
  usage(now: number): { used: number; pausedMs: number } {
    this.expire(now);
    return { used: this.sent.length - this.head, pausedMs: Math.max(0, this.pausedUntil - now) };
  }

  /** True when it holds no state worth keeping (lets per-key buckets be dropped). */
  idle(now: number): boolean {
    this.expire(now);
    return this.sent.length === this.head && this.pausedUntil <= now && this.heldUntil <= now && this.theoreticalArrival <= now;
  }

  private expire(now: number): void {
    const { span } = this.pace();
    while (this.head < this.sent.length && this.sent[this.head] + span <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent.splice(0, this.head);
      this.head = 0;
    }
  }
}

export interface CallShape {
  method: string;
  path: string;
  searchParams: URLSearchParams;
  /** The JSON request body, when there is one. */
  body?: unknown;
}

const bodyField = (body: unknown, name: string): string | undefined => {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Per-key buckets hold no secrets: a one-time code or refresh token is kept as a hash prefix. */
export const hashed = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/** The key of an authenticate call: its email, else the challenge, pending sign-in or code it carries. */
function authenticateKey(body: unknown): string | undefined {
  const email = bodyField(body, 'email');
  if (email) return email.toLowerCase();
  for (const field of ['authentication_challenge_id', 'pending_authentication_token', 'code', 'refresh_token']) {
    const value = bodyField(body, field);
    if (value) return `${field}:${hashed(value)}`;
  }
  return undefined;
}

/**
 * Which buckets a call spends from, narrowest last: the general limit, the user-management
 * family, then the limit of one email, user, challenge or directory where WorkOS documents one.
 * A 429 is charged to the narrowest (queue.ts): a per-email or per-directory limit that was hit
 * pauses that email or directory only, never a bucket every tenant shares.
 */
export function bucketKeys(call: CallShape): { limit: keyof RateLimits; key: string }[] {
  const keys: { limit: keyof RateLimits; key: string }[] = [{ limit: 'general', key: 'general' }];
  const { method, path } = call;
  if (path.startsWith('/user_management/')) {
    keys.push(method === 'GET' ? { limit: 'userManagementReads', key: 'um:read' } : { limit: 'userManagementWrites', key: 'um:write' });
    if (method !== 'POST') return keys;
    if (path === '/user_management/authenticate') {
      const key = authenticateKey(call.body);
      if (key) keys.push({ limit: 'authenticate', key: `auth:${key}` });
    } else if (path === '/user_management/magic_auth') {
      const email = bodyField(call.body, 'email');
      if (email) keys.push({ limit: 'magicAuth', key: `magic:${email.toLowerCase()}` });
    } else if (path === '/user_management/password_reset') {
      const email = bodyField(call.body, 'email');
      if (email) keys.push({ limit: 'passwordReset', key: `reset:${email.toLowerCase()}` });
    } else {
      const user = /^\/user_management\/users\/([^/]+)\/email_verification\/send$/.exec(path)?.[1];
      if (user) keys.push({ limit: 'emailVerification', key: `verify:${user}` });
    }
  } else if (method === 'GET' && (path === '/directory_users' || path.startsWith('/directory_users/'))) {
    // WorkOS counts per directory; a read by group or by user is charged to that group or user,
    // so its 429 still pauses no more than the directory it belongs to.
    const directory = call.searchParams.get('directory');
    const group = call.searchParams.get('group');
    const user = path.slice('/directory_users/'.length);
    const key = directory ? directory : group ? `group:${group}` : user ? `user:${user}` : undefined;
    if (key) keys.push({ limit: 'directoryUsers', key: `dsync:${key}` });
  } else if (method === 'DELETE' && /^\/organizations\/[^/]+$/.test(path)) {
    keys.push({ limit: 'organizationDeletes', key: 'org:delete' });
  }
  return keys;
}

/** One rate limit's use at a moment (RateBuckets.snapshot). */
export interface BucketUsage {
  limit: keyof RateLimits;
  capacity: number;
  windowMs: number;
  /** Calls sent in the current window (the busiest key's, for per-key limits). */
  used: number;
  remaining: number;
  /** How long it stays paused after a 429 (ms). */
  pausedMs: number;
  /** Buckets tracked for this limit (one, or one per directory or email seen lately). */
  keys: number;
}

/** All buckets, created on first use; per-directory and per-email ones are dropped when idle. */
export class RateBuckets {
  private readonly buckets = new Map<string, RateBucket>();
  constructor(private readonly limits: RateLimits) {}

  for(call: CallShape): RateBucket[] {
    const out: RateBucket[] = [];
    for (const { limit, key } of bucketKeys(call)) {
      const config = this.limits[limit];
      if (!config) continue;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new RateBucket(key, config, limit);
        this.buckets.set(key, bucket);
      }
      out.push(bucket);
    }
    return out;
  }

  /** The general bucket (every call spends from it): its limit and what is left of its window; undefined when off. */
  general(now: number): { limit: number; remaining: number; windowSeconds: number } | undefined {
    const config = this.limits.general;
    if (!config) return undefined;
    const bucket = this.buckets.get('general');
    const used = bucket ? bucket.usage(now).used : 0;
    return { limit: config.limit, remaining: Math.max(0, config.limit - used), windowSeconds: config.windowMs / 1000 };
  }

  /**
   * Each configured limit's use now. Per-key limits (per directory, per email) report their
   * busiest key, and how many keys are tracked: keys themselves are ids and emails.
   */
  snapshot(now: number): BucketUsage[] {
    const out = new Map<string, BucketUsage>();
    for (const [family, config] of Object.entries(this.limits) as [keyof RateLimits, RateLimit | false][]) {
      if (config) out.set(family, { limit: family, capacity: config.limit, windowMs: config.windowMs, used: 0, remaining: config.limit, pausedMs: 0, keys: 0 });
    }
    for (const bucket of this.buckets.values()) {
      const entry = out.get(bucket.family);
      if (!entry) continue;
      const { used, pausedMs } = bucket.usage(now);
      entry.keys += 1;
      entry.used = Math.max(entry.used, used);
      entry.remaining = Math.max(0, entry.capacity - entry.used);
      entry.pausedMs = Math.max(entry.pausedMs, pausedMs);
    }
    return [...out.values()];
  }

  sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (key.includes(':') && bucket.idle(now)) this.buckets.delete(key);
  }
}
