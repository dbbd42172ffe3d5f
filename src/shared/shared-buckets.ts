import { LocalGate, type BucketGate, type PickedCall, type Taken } from '../transport/bucket-gate.ts';
import { hashed, type RateBucket, type RateBuckets } from '../transport/rate-buckets.ts';
import { PAUSE_BUCKET, TAKE_BUCKETS } from './bucket-scripts.ts';
import type { SharedStore } from './store.ts';

/** How long a refused tenant keeps its turn past the time it was told to come back (ms). */
const TURN_GRACE_MS = 250;

/**
 * The rate buckets every instance spends from, in Redis (bucket-scripts.ts): all instances
 * together stay under each WorkOS limit, with the same pacing, and a 429 seen by one pauses
 * that limit for all. The scheduler still decides locally whose call goes next (tenants take
 * turns); the store admits or refuses the calls it picked, one round trip per batch, and keeps
 * the turns across instances: a tenant refused for want of room is served before a tenant that
 * has waited less, whichever instance either asks through. While
 * Redis is unreachable, this instance keeps to its local share: 1/GATEWAY_INSTANCES of every
 * limit, counting the calls it made while shared (its own buckets record them).
 */
export class SharedBucketGate implements BucketGate {
  private readonly share: LocalGate;
  /** The general limit's calls in its window, all instances together, as of the last batch. */
  private generalUsed = { used: 0, at: 0 };
  /** This instance served on its local share since it last started; those calls are unknown to Redis. */
  private onShare = false;
  /** When shared state came back after this instance served on its share (0: not since start). */
  private restoredAt = 0;
  private readonly takenOnShare = new WeakSet<RateBucket[]>();
  /** Each bucket's Redis key, hashed once (a bucket lives as long as its name is in use). */
  private readonly keys = new WeakMap<RateBucket, string>();

  constructor(
    private readonly store: SharedStore,
    private readonly buckets: RateBuckets,
  ) {
    this.share = new LocalGate(buckets, store.config.instances);
    store.onChange((up) => {
      if (up && this.onShare) this.restoredAt = Date.now();
    });
    store.redis.defineCommand('gatewayTakeBuckets', { lua: TAKE_BUCKETS });
    store.redis.defineCommand('gatewayPauseBucket', { numberOfKeys: 1, lua: PAUSE_BUCKET });
  }

  readyAt(buckets: RateBucket[], now: number): number {
    if (!this.store.up()) return this.share.readyAt(buckets, now);
    const hinted = Math.max(now, ...buckets.map((b) => b.hintedFree(now)));
    return this.recovering(buckets, now) ? Math.max(hinted, this.share.readyAt(buckets, now)) : hinted;
  }

  /**
   * For a window after Redis is back, the calls this instance made on its share are in its own
   * buckets only: until they have left the window it keeps to its share as well.
   */
  private recovering(buckets: RateBucket[], now: number): boolean {
    return this.restoredAt > 0 && buckets.some((b) => now < this.restoredAt + b.pace().span);
  }

  take(buckets: RateBucket[], now: number): Taken | 'confirm' {
    if (!this.store.up()) {
      this.onShare = true;
      return this.share.take(buckets, now);
    }
    const at = this.readyAt(buckets, now);
    if (at > now) return at;
    if (this.recovering(buckets, now)) {
      // Counted in the share now (so the rest of this batch sees it), not recorded again when admitted.
      this.share.take(buckets, now);
      this.takenOnShare.add(buckets);
    }
    return 'confirm';
  }

  async confirm(calls: PickedCall[]): Promise<Taken[]> {
    const keys: string[] = [];
    const args: (number | string)[] = [calls.length, 0, TURN_GRACE_MS];
    for (const { buckets, tenant } of calls) {
      args.push(hashed(tenant), buckets.length);
      for (const bucket of buckets) {
        if (bucket.family === 'general' && args[1] === 0) args[1] = keys.length + 1;
        keys.push(this.logKey(bucket), this.stateKey(bucket));
        const { limit, span, interval, tolerance } = bucket.pace();
        args.push(limit, span, interval, tolerance);
      }
    }
    let reply: number[];
    try {
      reply = await this.store.run((redis) => redis.gatewayTakeBuckets(keys.length, ...keys, ...args));
    } catch {
      // Unreachable (SharedStateUnavailable) or a failed script: never stall the queue, keep to the local share.
      this.onShare = true;
      return this.share.confirm(calls);
    }
    const now = Date.now();
    this.generalUsed = { used: reply[reply.length - 1] ?? 0, at: now };
    return calls.map(({ buckets }, i) => {
      const wait = reply[2 * i];
      const counted = this.takenOnShare.delete(buckets);
      if (wait === 0) {
        if (!counted) for (const bucket of buckets) bucket.record(now);
        return 0;
      }
      // The store's clock and this one differ; a wait is a duration, so it is read from now here.
      buckets[reply[2 * i + 1]]?.hold(now + wait);
      return now + wait;
    });
  }

  pause(bucket: RateBucket, until: number): void {
    bucket.pause(until);
    const wait = Math.max(1, until - Date.now());
    // Fire and forget: another instance that misses it gets its own 429 and pauses then.
    this.store.run((redis) => redis.gatewayPauseBucket(this.stateKey(bucket), wait, Math.ceil(bucket.pace().span))).catch(() => undefined);
  }

  budget(now: number) {
    if (!this.store.up()) return this.share.budget(now);
    const own = this.buckets.general(now);
    if (!own) return undefined;
    const windowMs = own.windowSeconds * 1000;
    const shared = now - this.generalUsed.at < windowMs ? this.generalUsed.used : 0;
    const used = Math.max(own.limit - own.remaining, shared);
    return { ...own, remaining: Math.max(0, own.limit - used) };
  }

  sweep(now: number): void {
    this.buckets.sweep(now);
  }

  /** Per-key buckets are named by an email, user or directory: Redis sees a hash of the name. */
  private logKey(bucket: RateBucket): string {
    let key = this.keys.get(bucket);
    if (key === undefined) {
      key = this.store.key('bucket', bucket.family, bucket.name.includes(':') ? hashed(bucket.name) : bucket.name);
      this.keys.set(bucket, key);
    }
    return key;
  }

  private stateKey(bucket: RateBucket): string {
    return `${this.logKey(bucket)}:state`;
  }
}
