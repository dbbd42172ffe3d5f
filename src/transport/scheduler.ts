import type { CallScope } from './call-scope.ts';
import { UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';
import type { BucketGate, Taken } from './bucket-gate.ts';
import type { RateBucket } from './rate-buckets.ts';
import type { UpstreamStats } from './stats.ts';

/** What the scheduler needs of a call: whose it is and which buckets it spends from. */
export interface Admission {
  scope: CallScope;
  buckets: RateBucket[];
}

interface Waiter {
  call: Admission;
  /** The tenant lanes it waits in: one, or every waiter's of a shared call (coalescing.ts). */
  lanes: Set<string>;
  enqueuedAt: number;
  /** Started or failed: a confirmation that comes back later only frees its slot. */
  settled: boolean;
  /** Picked and being confirmed with the shared store: it keeps its place but is not picked again. */
  pending?: boolean;
  start: () => void;
  fail: (error: Error) => void;
}

/** After a confirmation that failed outright, its calls are tried again this much later (ms). */
const RETRY_AFTER_FAILED_CONFIRM_MS = 100;

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
  /** Calls in flight per tenant lane, and which lane each call was charged to. */
  private readonly inFlightOf = new Map<string, number>();
  private readonly chargedTo = new Map<Admission, string>();
  private queued = 0;
  private readonly waiting = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** A batch is being confirmed with the shared store: the next dispatch waits for its answer. */
  private confirming = false;

  constructor(
    private readonly maxConcurrency: number,
    /** Most calls one tenant may have in flight: a request's independent calls all start, a flood does not take every slot. */
    private readonly maxPerTenant: number,
    private readonly gate: BucketGate,
    private readonly stats: () => UpstreamStats,
  ) {}

  /**
   * Waits for the call's turn, its buckets and a slot; refuses at once what cannot make the
   * deadline. A shared call waits in the lane of each of its waiters and is served at whichever
   * turn comes first, until the latest of their deadlines; lanes and deadline follow its waiters
   * as they join and leave.
   */
  admit(call: Admission): Promise<void> {
    const { signal } = call.scope;
    const stats = this.stats();
    if (signal.aborted) {
      stats.dropped += 1;
      return Promise.reject(new UpstreamAbortedError());
    }
    const now = Date.now();
    const readyAt = this.gate.readyAt(call.buckets, now);
    if (readyAt > call.scope.deadline) {
      stats.dropped += 1;
      return Promise.reject(new UpstreamDeadlineError(Math.max(1, Math.ceil((readyAt - now) / 1000))));
    }
    return new Promise<void>((resolve, reject) => {
      let deadlineTimer: NodeJS.Timeout | undefined;
      const armDeadline = () => {
        clearTimeout(deadlineTimer);
        deadlineTimer = setTimeout(() => {
          const at = this.gate.readyAt(call.buckets, Date.now());
          waiter.fail(new UpstreamDeadlineError(Math.max(1, Math.ceil((at - Date.now()) / 1000))));
        }, Math.max(0, call.scope.deadline - Date.now()));
        deadlineTimer.unref();
      };
      const onAbort = () => waiter.fail(new UpstreamAbortedError());
      const stopFollowing = call.scope.onChange?.(() => {
        this.moveTo(waiter, call.scope.lanes?.() ?? [call.scope.tenant]);
        armDeadline();
        this.dispatch();
      });
      const cleanup = () => {
        this.queued -= 1;
        clearTimeout(deadlineTimer);
        stopFollowing?.();
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        call,
        lanes: new Set(),
        enqueuedAt: now,
        settled: false,
        start: () => {
          waiter.settled = true;
          cleanup();
          const waited = Date.now() - waiter.enqueuedAt;
          const s = this.stats();
          s.queueWaitMs.total += waited;
          s.queueWaitMs.max = Math.max(s.queueWaitMs.max, waited);
          resolve();
        },
        fail: (error) => {
          waiter.settled = true;
          cleanup();
          this.remove(waiter);
          this.stats().dropped += 1;
          reject(error);
        },
      };
      armDeadline();
      this.queued += 1;
      signal.addEventListener('abort', onAbort, { once: true });
      this.moveTo(waiter, call.scope.lanes?.() ?? [call.scope.tenant]);
      stats.depth.max = Math.max(stats.depth.max, this.depth());
      this.dispatch();
    });
  }

  /** A slot is free again (the call's answer, or its failure, is in). */
  release(call: Admission): void {
    this.freeSlot(call);
    this.dispatch();
  }

  private freeSlot(call: Admission): void {
    this.inFlight -= 1;
    const tenant = this.chargedTo.get(call);
    this.chargedTo.delete(call);
    if (tenant !== undefined) {
      const left = (this.inFlightOf.get(tenant) ?? 1) - 1;
      if (left > 0) this.inFlightOf.set(tenant, left);
      else this.inFlightOf.delete(tenant);
    }
  }

  /** Calls waiting (a shared call waiting in several lanes counts once). */
  depth(): number {
    return this.queued;
  }

  /**
   * Starts what may start now, in rounds: each round gives every tenant (in turn order) its
   * first call whose buckets have room, so one blocked directory does not hold up the same
   * tenant's other reads, and a served tenant goes to the back. With shared buckets the calls
   * picked this way are confirmed with the store as one batch, in the same order; they keep
   * their places until the store admits them, so a refused call loses no turn.
   */
  private dispatch(): void {
    if (this.confirming) return;
    let earliest = Infinity;
    const batch: Waiter[] = [];
    for (let picked = true; picked && this.inFlight < this.maxConcurrency; ) {
      picked = false;
      for (const tenant of [...this.waiting.keys()]) {
        if (this.inFlight >= this.maxConcurrency) break;
        const list = this.waiting.get(tenant);
        if (!list || (this.inFlightOf.get(tenant) ?? 0) >= this.maxPerTenant) continue;
        const now = Date.now();
        for (let i = 0; i < Math.min(list.length, LOOKAHEAD); i++) {
          const waiter = list[i];
          if (waiter.pending) continue;
          const taken = this.gate.take(waiter.call.buckets, now);
          if (taken !== 0 && taken !== 'confirm') {
            earliest = Math.min(earliest, taken);
            continue;
          }
          this.reserveSlot(waiter.call, tenant);
          if (taken === 0) this.startNow(waiter, tenant);
          else {
            waiter.pending = true;
            batch.push(waiter);
          }
          picked = true;
          break;
        }
      }
    }
    if (batch.length > 0) this.confirm(batch);
    else if (this.waiting.size > 0 && earliest < Infinity) this.wakeAt(earliest);
    this.gate.sweep(Date.now());
  }

  /** Out of its lanes and on its way; its tenant goes to the back of the turn order. */
  private startNow(waiter: Waiter, tenant: string): void {
    this.remove(waiter);
    const list = this.waiting.get(tenant);
    if (list) {
      this.waiting.delete(tenant);
      this.waiting.set(tenant, list);
    }
    waiter.start();
  }

  /**
   * One round trip for the batch: the calls it admits start, the others stay where they were;
   * one that cannot have room before its deadline is refused now, as `admit` would. A gate that
   * fails anyway (it should not) counts as "try again shortly", never as a stalled queue.
   */
  private confirm(batch: Waiter[]): void {
    this.confirming = true;
    // Each call's lane was charged when its slot was reserved (dispatch).
    const tenants = batch.map((w) => this.chargedTo.get(w.call) ?? w.call.scope.tenant);
    const calls = batch.map((w, i) => ({ buckets: w.call.buckets, tenant: tenants[i]! }));
    const settle = (results: Taken[]) => {
      this.confirming = false;
      let earliest = Infinity;
      const now = Date.now();
      batch.forEach((waiter, i) => {
        const taken = results[i] ?? now + RETRY_AFTER_FAILED_CONFIRM_MS;
        waiter.pending = false;
        if (taken === 0 && !waiter.settled) return this.startNow(waiter, tenants[i]!);
        this.freeSlot(waiter.call);
        if (waiter.settled) return;
        if (taken > waiter.call.scope.deadline) return waiter.fail(new UpstreamDeadlineError(Math.max(1, Math.ceil((taken - now) / 1000))));
        earliest = Math.min(earliest, taken);
      });
      this.dispatch();
      if (this.waiting.size > 0 && earliest < Infinity) this.wakeAt(earliest);
    };
    void this.gate.confirm(calls).then(settle, () => settle([]));
  }

  private reserveSlot(call: Admission, tenant: string): void {
    this.inFlight += 1;
    // A shared call is charged to the lane that dispatched it.
    this.inFlightOf.set(tenant, (this.inFlightOf.get(tenant) ?? 0) + 1);
    this.chargedTo.set(call, tenant);
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

  /** Puts the waiter in these lanes (a new one at its back) and takes it out of the others. */
  private moveTo(waiter: Waiter, lanes: string[]): void {
    const wanted = new Set(lanes);
    for (const lane of waiter.lanes) if (!wanted.has(lane)) this.leaveLane(lane, waiter);
    for (const lane of wanted) {
      if (waiter.lanes.has(lane)) continue;
      const list = this.waiting.get(lane) ?? [];
      list.push(waiter);
      this.waiting.set(lane, list);
    }
    waiter.lanes = wanted;
  }

  private remove(waiter: Waiter): void {
    for (const lane of waiter.lanes) this.leaveLane(lane, waiter);
    waiter.lanes.clear();
  }

  private leaveLane(lane: string, waiter: Waiter): void {
    const list = this.waiting.get(lane);
    if (!list) return;
    const at = list.indexOf(waiter);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.waiting.delete(lane);
  }
}
