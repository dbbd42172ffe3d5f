import { shareOf, type RateBucket, type RateBuckets } from './rate-buckets.ts';

/** Taken now, or: epoch ms before which the call's buckets have no room. */
export type Taken = 0 | number;

/** A call to confirm: its buckets, and the tenant whose turn it is (for turns across instances). */
export interface PickedCall {
  buckets: RateBucket[];
  tenant: string;
}

/**
 * Where the scheduler takes room in a call's rate buckets. In process the answer is known at
 * once; shared between instances (src/shared/shared-buckets.ts) the scheduler asks first for a
 * hint, then confirms a whole batch of calls with the store in one round trip.
 */
export interface BucketGate {
  /** Earliest time (epoch ms, >= now) worth trying these buckets. */
  readyAt(buckets: RateBucket[], now: number): number;
  /** Takes room now (0), or says when there may be some; 'confirm' when only `confirm` can tell. */
  take(buckets: RateBucket[], now: number): Taken | 'confirm';
  /** Takes room for each call, in order (only after `take` answered 'confirm'); never rejects. */
  confirm(calls: PickedCall[]): Promise<Taken[]>;
  /** After a 429: nothing on this bucket until `until` (epoch ms). */
  pause(bucket: RateBucket, until: number): void;
  /** The general limit and what is left of its window. */
  budget(now: number): { limit: number; remaining: number; windowSeconds: number } | undefined;
  /** Drops idle per-key buckets. */
  sweep(now: number): void;
}

/**
 * The buckets of this process alone; `divisor` > 1 keeps to 1/divisor of every limit (an
 * instance's share while the shared store is unreachable).
 */
export class LocalGate implements BucketGate {
  constructor(
    readonly buckets: RateBuckets,
    private readonly divisor = 1,
  ) {}

  readyAt(buckets: RateBucket[], now: number): number {
    return Math.max(now, ...buckets.map((b) => b.nextFree(now, this.divisor)));
  }

  take(buckets: RateBucket[], now: number): Taken {
    const at = this.readyAt(buckets, now);
    if (at > now) return at;
    for (const bucket of buckets) bucket.take(now, this.divisor);
    return 0;
  }

  confirm(calls: PickedCall[]): Promise<Taken[]> {
    const now = Date.now();
    return Promise.resolve(calls.map(({ buckets }) => this.take(buckets, now)));
  }

  pause(bucket: RateBucket, until: number): void {
    bucket.pause(until);
  }

  sweep(now: number): void {
    this.buckets.sweep(now);
  }

  budget(now: number) {
    const general = this.buckets.general(now);
    if (!general || this.divisor === 1) return general;
    const limit = shareOf(general.limit, this.divisor);
    return { ...general, limit, remaining: Math.max(0, general.remaining - (general.limit - limit)) };
  }
}
