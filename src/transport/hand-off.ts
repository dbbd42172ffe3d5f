/**
 * Hands the answer of a shared call (coalescing.ts) to its waiters one per turn of the event
 * loop, nearest deadline first.
 *
 * Resolved all at once, every request that joined the call would resume together and its work
 * interleave with the others', so they would all finish together at the end; their clients' next
 * requests then arrive together and join the next shared call as one convoy, and each round
 * costs the call plus every request's work in a row. Handed over in turn, the first request
 * finishes (and its client's next request is read, between two turns) while the others are still
 * waiting for theirs: the work of one round overlaps the wait of the next.
 */
export class HandOff {
  /** Ordered by deadline; equal deadlines keep their order of arrival. */
  private readonly waiting: { deadline: number; run: () => void }[] = [];
  private scheduled = false;

  /** `run` is called in its turn: at the latest after everyone with an earlier deadline. */
  give(deadline: number, run: () => void): void {
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1]!.deadline > deadline) at--;
    this.waiting.splice(at, 0, { deadline, run });
    if (this.scheduled) return;
    this.scheduled = true;
    // The first turn after the current microtasks: every waiter of an answer that just came in
    // has been given by then, so the nearest deadline among them goes first.
    queueMicrotask(this.turn);
  }

  private readonly turn = (): void => {
    // Delivering an answer (settling a promise) does not throw.
    this.waiting.shift()?.run();
    // The next turn only after this waiter's own work (its microtasks) and the loop's I/O.
    if (this.waiting.length > 0) setImmediate(this.turn);
    else this.scheduled = false;
  };
}
