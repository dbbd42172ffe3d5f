import type { CallScope } from './call-scope.ts';
import { UpstreamAbortedError, UpstreamDeadlineError } from './errors.ts';
import { HandOff } from './hand-off.ts';

interface Waiting {
  scope: CallScope;
  leave: (error: Error) => void;
}

/**
 * The scope a shared call runs under: it waits in the lane of every waiter (the scheduler serves
 * it at whichever turn comes first) until the latest of their deadlines, under a signal of its
 * own that aborts only once every waiter has left.
 */
class SharedScope implements CallScope {
  readonly waiters = new Set<Waiting>();
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  /** Set once the call has left the queue: from then on no deadline applies to its waiters. */
  sent = false;

  /** The call counts for the request that started it (a joiner's answer cost it nothing). */
  constructor(readonly counter: CallScope['counter']) {}

  onSent(): void {
    this.sent = true;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get deadline(): number {
    let latest = -Infinity;
    for (const w of this.waiters) latest = Math.max(latest, w.scope.deadline);
    return latest;
  }

  get tenant(): string {
    return this.lanes()[0] ?? 'system';
  }

  lanes(): string[] {
    return [...new Set([...this.waiters].map((w) => w.scope.tenant))];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  join(waiting: Waiting): void {
    this.waiters.add(waiting);
    this.changed();
  }

  leave(waiting: Waiting): void {
    if (!this.waiters.delete(waiting)) return;
    // Cancelled only if nobody is left to hear the answer, and it is not already in.
    if (this.waiters.size === 0 && !this.settled) this.controller.abort();
    else this.changed();
  }

  /** The answer (or failure) is in: leaving no longer cancels anything. */
  settled = false;

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

interface SharedCall {
  scope: SharedScope;
  result: Promise<Response>;
}

/**
 * Identical GETs in flight share one call; each caller gets its own copy of the answer. The
 * shared call is served at the best position and deadline among its waiters (see SharedScope),
 * so a caller joining a flooding tenant's read is not served at that tenant's turn. A waiter
 * that leaves — its client went away, or its own deadline passed before the call was sent —
 * gets its error at once, without cancelling the call for the others.
 */
export class Coalescer {
  private readonly inFlight = new Map<string, SharedCall>();
  private readonly handOff = new HandOff();

  constructor(private readonly onJoin: () => void) {}

  async run(key: string, scope: CallScope, start: (shared: SharedScope) => Promise<Response>): Promise<Response> {
    let entry = this.inFlight.get(key);
    // A shared call every waiter has left is being cancelled: start a fresh one instead.
    if (entry?.scope.signal.aborted) entry = undefined;
    let created: SharedCall | undefined;
    if (entry) {
      this.onJoin();
    } else {
      const shared = new SharedScope(scope.counter);
      created = { scope: shared, result: Promise.resolve(new Response(null)) };
      entry = created;
      this.inFlight.set(key, created);
    }
    const joined = entry;

    return new Promise<Response>((resolve, reject) => {
      let deadlineTimer: NodeJS.Timeout | undefined;
      const waiting: Waiting = {
        scope,
        leave: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => waiting.leave(new UpstreamAbortedError());
      const done = () => {
        clearTimeout(deadlineTimer);
        scope.signal.removeEventListener('abort', onAbort);
        joined.scope.leave(waiting);
      };
      if (scope.signal.aborted) {
        // Leaves at once; a call started for it alone is cancelled before it is sent.
        joined.scope.join(waiting);
        onAbort();
      } else {
        scope.signal.addEventListener('abort', onAbort, { once: true });
        deadlineTimer = setTimeout(() => {
          if (!joined.scope.sent) waiting.leave(new UpstreamDeadlineError(1));
        }, Math.max(0, scope.deadline - Date.now()));
        deadlineTimer.unref();
        joined.scope.join(waiting);
      }
      if (created) {
        created.result = start(created.scope).finally(() => {
          if (this.inFlight.get(key) === created) this.inFlight.delete(key);
        });
      }
      // Each waiter gets the outcome in its turn (hand-off.ts), unless it has left meanwhile.
      const settle = (deliver: () => void) => {
        joined.scope.settled = true;
        if (!joined.scope.waiters.has(waiting)) return;
        this.handOff.give(scope.deadline, () => {
          if (!joined.scope.waiters.has(waiting)) return;
          done();
          deliver();
        });
      };
      joined.result.then(
        (response) => settle(() => resolve(response.clone())),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}
