import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Result } from 'ioredis';
import type { SharedStore } from '../shared/store.ts';

/**
 * Where the Events API follower keeps its place, and whether this instance may follow now.
 * A cursor is undefined before the first poll, null when it was set before any event existed.
 */
export interface FollowerCursor {
  /** Called before each poll: false when another instance follows now (or may, as far as we know). */
  claim(): Promise<boolean>;
  /** Still entitled to apply events (checked between events: a long poll may outlive its lease). */
  held(): boolean;
  read(): Promise<string | null | undefined>;
  /** False when the right to follow was lost: the poll stops, the new holder continues from the cursor. */
  write(after: string | null): Promise<boolean>;
  /** On stop: another instance may take over at once. */
  release(): Promise<void>;
}

/** One instance: the cursor lives in a file, written whole then renamed (a crash never leaves half a cursor). */
export class FileCursor implements FollowerCursor {
  constructor(private readonly file: string) {}

  claim = () => Promise.resolve(true);
  held = () => true;
  release = () => Promise.resolve();

  async read(): Promise<string | null | undefined> {
    try {
      return cursorOf(await readFile(this.file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  async write(after: string | null): Promise<boolean> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ after })}\n`);
    await rename(tmp, this.file);
    return true;
  }
}

/** Renews the lease if this instance holds it, takes it if nobody does (one round trip per poll). */
const CLAIM = `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
/** Moves the cursor (and renews the lease) only while this instance holds the lease: a holder that lost it cannot move the cursor back. */
const WRITE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
/** Gives the lease up only if this instance still holds it (never another holder's). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// ioredis' documented way to type commands added with defineCommand.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatewayClaimLease(lease: string, instanceId: string, leaseMs: number): Result<number, Context>;
    gatewayWriteCursor(lease: string, cursor: string, instanceId: string, leaseMs: number, value: string): Result<number, Context>;
    gatewayReleaseLease(lease: string, instanceId: string): Result<number, Context>;
  }
}

/**
 * Several instances: one follows at a time, under a lease in Redis (the single-instance Redis
 * lock: `SET NX PX` to take it, compare-and-PEXPIRE to renew it, compare-and-DEL to release it;
 * taking and renewing are one script),
 * and the cursor lives in Redis, written only by the lease's holder. When the holder stops it
 * releases the lease; when it dies the lease runs out; either way another instance takes over
 * at its next poll and continues from the shared cursor. While Redis is down no instance follows.
 */
export class LeasedCursor implements FollowerCursor {
  /** Until when this instance may assume it holds the lease (its own clock; the lease is renewed long before). */
  private heldUntil = 0;
  private readonly leaseMs: number;
  /**
   * The last cursor this instance read or wrote: a Redis restarted without persistence has
   * none, and starting over at the newest event would skip what was published meanwhile.
   */
  private lastKnown: string | null | undefined;

  constructor(private readonly store: SharedStore) {
    this.leaseMs = store.config.followerLeaseMs;
    // Sent once, then called by hash.
    store.redis.defineCommand('gatewayClaimLease', { numberOfKeys: 1, lua: CLAIM });
    store.redis.defineCommand('gatewayWriteCursor', { numberOfKeys: 2, lua: WRITE });
    store.redis.defineCommand('gatewayReleaseLease', { numberOfKeys: 1, lua: RELEASE });
  }

  private get leaseKey() {
    return this.store.key('events', 'lease');
  }

  private get cursorKey() {
    return this.store.key('events', 'cursor');
  }

  async claim(): Promise<boolean> {
    this.heldUntil = 0;
    if (!this.store.up()) return false;
    const startedAt = Date.now();
    const { instanceId } = this.store;
    try {
      const taken = (await this.store.run((redis) => redis.gatewayClaimLease(this.leaseKey, instanceId, this.leaseMs))) === 1;
      if (taken) this.heldUntil = startedAt + this.leaseMs;
      return taken;
    } catch {
      return false;
    }
  }

  held(): boolean {
    return this.store.up() && Date.now() < this.heldUntil;
  }

  async read(): Promise<string | null | undefined> {
    const shared = cursorOf(await this.store.run((redis) => redis.get(this.cursorKey)));
    if (shared !== undefined) this.lastKnown = shared;
    return shared !== undefined ? shared : this.lastKnown;
  }

  async write(after: string | null): Promise<boolean> {
    const startedAt = Date.now();
    const value = JSON.stringify({ after });
    const written = await this.store.run((redis) => redis.gatewayWriteCursor(this.leaseKey, this.cursorKey, this.store.instanceId, this.leaseMs, value));
    this.heldUntil = written === 1 ? startedAt + this.leaseMs : 0;
    if (written === 1) this.lastKnown = after;
    return written === 1;
  }

  async release(): Promise<void> {
    this.heldUntil = 0;
    if (!this.store.up()) return; // the lease runs out by itself
    await this.store.run((redis) => redis.gatewayReleaseLease(this.leaseKey, this.store.instanceId)).catch(() => undefined);
  }
}

/** The `{ "after": … }` both cursors store. */
function cursorOf(text: string | null): string | null | undefined {
  if (text === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed) {
      const { after } = parsed as { after: unknown };
      if (after === null || typeof after === 'string') return after;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
