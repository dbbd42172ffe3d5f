export interface RequestLogEntry {
  method: string;
  /** Route template, e.g. `/organizations/:id`; `(unmatched)` for paths no route serves. */
  route: string;
  path: string;
  /** Final status; 0 when the connection was dropped by a fault. */
  status: number;
  /** When the request arrived and when its answer was ready (ms, performance.timeOrigin-based epoch), for counting waves. */
  startedAt: number;
  endedAt: number;
  /** The W3C `traceparent` header, when the client sent one (lets a test check trace propagation). */
  traceparent?: string;
}

export const UNMATCHED_ROUTE = '(unmatched)';

/** Entries kept for log(); counts and total stay exact beyond it, so a long-running emulator stays small. */
export const MAX_LOG_ENTRIES = 50_000;

/** Every WorkOS API request the emulator received, so tests can assert exact upstream calls. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private byRoute = new Map<string, number>();
  private count = 0;

  record(entry: RequestLogEntry): void {
    this.count++;
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG_ENTRIES * 1.1) this.entries = this.entries.slice(-MAX_LOG_ENTRIES);
    const key = `${entry.method} ${entry.route}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
  }

  /** Counts keyed `"GET /organizations/:id"`. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.byRoute);
  }

  total(): number {
    return this.count;
  }

  /** The latest requests in the order they finished (at most MAX_LOG_ENTRIES); `startedAt` gives arrival order. */
  log(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  reset(): void {
    this.entries = [];
    this.byRoute.clear();
    this.count = 0;
  }
}
