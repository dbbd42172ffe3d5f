export interface RequestLogEntry {
  method: string;
  /** Route template, e.g. `/organizations/:id`; `(unmatched)` for paths no route serves. */
  route: string;
  path: string;
  /** Final status; 0 when the connection was dropped by a fault. */
  status: number;
}

export const UNMATCHED_ROUTE = '(unmatched)';

/** Every WorkOS API request the emulator received, so tests can assert exact upstream calls. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private byRoute = new Map<string, number>();

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    const key = `${entry.method} ${entry.route}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
  }

  /** Counts keyed `"GET /organizations/:id"`. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.byRoute);
  }

  total(): number {
    return this.entries.length;
  }

  log(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  reset(): void {
    this.entries = [];
    this.byRoute.clear();
  }
}
