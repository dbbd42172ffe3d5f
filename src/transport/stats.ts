/** Counters of upstream traffic, read by tests, the benchmark and (later) a metrics endpoint. */
export interface UpstreamStats {
  /** Calls sent upstream (each attempt counts). */
  calls: number;
  /** By route template and final status, e.g. { "GET /organizations/:id": { "200": 3 } }. */
  byRoute: Record<string, Record<string, number>>;
  retries: number;
  rateLimited: number;
  /** Calls dropped before sending (client gone or deadline passed). */
  dropped: number;
  /** Identical in-flight GETs answered by another request's call. */
  coalesced: number;
  /** Total and largest time spent waiting in the queue (ms). */
  queueWaitMs: { total: number; max: number };
  /** Calls waiting right now, and the most that ever waited at once. */
  depth: { current: number; max: number };
}

export function emptyStats(): UpstreamStats {
  return {
    calls: 0,
    byRoute: {},
    retries: 0,
    rateLimited: 0,
    dropped: 0,
    coalesced: 0,
    queueWaitMs: { total: 0, max: 0 },
    depth: { current: 0, max: 0 },
  };
}

export function countRoute(stats: UpstreamStats, route: string, status: number | 'network'): void {
  const byStatus = (stats.byRoute[route] ??= {});
  byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
}
