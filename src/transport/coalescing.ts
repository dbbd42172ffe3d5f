interface SharedCall {
  result: Promise<Response>;
  participants: number;
  controller: AbortController;
}

/**
 * Identical GETs in flight share one call; each caller gets its own copy of the answer. The
 * shared call runs under a signal of its own, cancelled only when every caller has left.
 */
export class Coalescer {
  private readonly inFlight = new Map<string, SharedCall>();

  constructor(private readonly onJoin: () => void) {}

  async run(key: string, signal: AbortSignal, start: (signal: AbortSignal) => Promise<Response>): Promise<Response> {
    let entry = this.inFlight.get(key);
    // A shared call every waiter has left is being cancelled: start a fresh one instead.
    if (entry?.controller.signal.aborted) entry = undefined;
    if (entry) {
      this.onJoin();
    } else {
      const controller = new AbortController();
      const created: SharedCall = {
        controller,
        participants: 0,
        result: start(controller.signal).finally(() => this.inFlight.delete(key)),
      };
      entry = created;
      this.inFlight.set(key, created);
    }
    const joined = entry;
    joined.participants += 1;
    const leave = () => {
      joined.participants -= 1;
      if (joined.participants === 0) joined.controller.abort();
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    try {
      const response = await joined.result;
      return response.clone();
    } finally {
      signal.removeEventListener('abort', leave);
    }
  }
}
