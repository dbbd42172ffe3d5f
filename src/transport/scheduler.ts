import type { CallScope } from './call-scope.ts';
import { UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';
import type { RateBucket, RateBuckets } from './rate-buckets.ts';
import type { UpstreamStats } from './stats.ts';

/** What the scheduler needs of a call: whose it is and which buckets it spends from. */
export interface Admission {
  scope: CallScope;
  buckets: RateBucket[];
}

interface Waiter {
  call: Admission;
  enqueuedAt: number;
  start: () => void;
  fail: (error: Error) => void;
}

/** How far into a tenant's queue the dispatcher looks past a call its buckets hold back. */
const LOOKAHEAD = 8;

/**
 * Who goes next: tenants take turns, each call waits for room in every bucket it spends from
 * and for a free slot (of all slots, and of its tenant's share), and a call that cannot make
 * its deadline is refused at once. The slots are not what paces WorkOS calls (the buckets
 * are): they only keep one tenant's flood from holding every connection.
 */
export class FairScheduler {
  private inFlight = 0;
  /** Calls in flight per tenant: one tenant may use a share of the slots, not all of them. */
  private readonly inFlightOf = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly maxConcurrency: number,
    /** Most calls one tenant may have in flight: a request's independent calls all start, a flood does not take every slot. */
    private readonly maxPerTenant: number,
    private readonly buckets: RateBuckets,
    private readonly stats: () => UpstreamStats,
  ) {}

  /** Waits for the call's turn, its buckets and a slot; refuses at once what cannot make the deadline. */
  admit(call: Admission): Promise<void> {
    const { signal, deadline, tenant } = call.scope;
    const stats = this.stats();
    if (signal.aborted) {
      stats.dropped += 1;
      return Promise.reject(new UpstreamAbortedError());
    }
    const now = Date.now();
    const readyAt = Math.max(now, ...call.buckets.map((b) => b.nextFree(now)));
    if (readyAt > deadline) {
      stats.dropped += 1;
      return Promise.reject(new UpstreamDeadlineError(Math.max(1, Math.ceil((readyAt - now) / 1000))));
    }
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(tenant) ?? [];
      const deadlineTimer = setTimeout(() => {
        const at = Math.max(Date.now(), ...call.buckets.map((b) => b.nextFree(Date.now())));
        waiter.fail(new UpstreamDeadlineError(Math.max(1, Math.ceil((at - Date.now()) / 1000))));
      }, Math.max(0, deadline - now));
      deadlineTimer.unref();
      const onAbort = () => waiter.fail(new UpstreamAbortedError());
      const cleanup = () => {
        clearTimeout(deadlineTimer);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        call,
        enqueuedAt: now,
        start: () => {
          cleanup();
          const waited = Date.now() - waiter.enqueuedAt;
          const s = this.stats();
          s.queueWaitMs.total += waited;
          s.queueWaitMs.max = Math.max(s.queueWaitMs.max, waited);
          resolve();
        },
        fail: (error) => {
          cleanup();
          this.remove(tenant, waiter);
          this.stats().dropped += 1;
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      list.push(waiter);
      this.waiting.set(tenant, list);
      stats.depth.max = Math.max(stats.depth.max, this.depth());
      this.dispatch();
    });
  }

  /** A slot is free again (the call's answer, or its failure, is in). */
  release(call: Admission): void {
    this.inFlight -= 1;
    const tenant = call.scope.tenant;
    const left = (this.inFlightOf.get(tenant) ?? 1) - 1;
    if (left > 0) this.inFlightOf.set(tenant, left);
    else this.inFlightOf.delete(tenant);
    this.dispatch();
  }

  depth(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  /**
   * Starts what may start now: tenants take turns (a served tenant goes to the back), and
   * within a tenant the first call whose buckets have room goes, so one blocked directory
   * does not hold up the same tenant's other reads.
   */
  private dispatch(): void {
    let earliest = Infinity;
    while (this.inFlight < this.maxConcurrency && this.waiting.size > 0) {
      const now = Date.now();
      let started = false;
      for (const [tenant, list] of this.waiting) {
        if ((this.inFlightOf.get(tenant) ?? 0) >= this.maxPerTenant) continue;
        for (let i = 0; i < Math.min(list.length, LOOKAHEAD); i++) {
          const waiter = list[i];
          const at = Math.max(now, ...waiter.call.buckets.map((b) => b.nextFree(now)));
          if (at > now) {
            earliest = Math.min(earliest, at);
            continue;
          }
          for (const bucket of waiter.call.buckets) bucket.take(now);
          list.splice(i, 1);
          this.waiting.delete(tenant);
          if (list.length > 0) this.waiting.set(tenant, list);
          this.inFlight += 1;
          this.inFlightOf.set(tenant, (this.inFlightOf.get(tenant) ?? 0) + 1);
          waiter.start();
          started = true;
          break;
        }
        if (started) break;
      }
      if (!started) break;
    }
    if (this.waiting.size > 0 && earliest < Infinity) this.wakeAt(earliest);
    this.buckets.sweep(Date.now());
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.dispatch();
    }, Math.max(1, at - Date.now()));
    // A long 429 pause must not keep a stopping process alive.
    this.timer.unref();
  }

  private remove(tenant: string, waiter: Waiter): void {
    const list = this.waiting.get(tenant);
    if (!list) return;
    const at = list.indexOf(waiter);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.waiting.delete(tenant);
  }
}
