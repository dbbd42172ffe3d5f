/**
 * What the queue tells an observer (metrics, traces, logs) about its calls. Plain TypeScript:
 * the transport knows nothing of the observability libraries that listen.
 */
export interface AttemptStart {
  method: string;
  /** Route template, e.g. "GET /organizations/:id" (never ids or emails). */
  route: string;
  /** 1 for the first try. */
  attempt: number;
  /** Time this attempt waited for its turn, its rate buckets and a slot (ms). */
  queueWaitMs: number;
  /** The request headers about to be sent: an observer may add trace context to them. */
  headers: Headers;
}

export interface AttemptEnd {
  /** The HTTP status, or "network" when no answer came. */
  status: number | 'network';
  durationMs: number;
}

export interface PauseInfo {
  /** The rate limit paused (general, userManagementReads, ...). */
  limit: string;
  route: string;
  waitMs: number;
}

export interface UpstreamObserver {
  /** An attempt goes out now; the returned function is called once with its outcome. */
  attempt(start: AttemptStart): (end: AttemptEnd) => void;
  /** A 429 paused a bucket. */
  paused(info: PauseInfo): void;
  /** A failed attempt will be tried again after a backoff. */
  retried(info: { route: string; attempt: number }): void;
  /** A GET joined an identical one already in flight. */
  coalesced(): void;
  /** A call was dropped unsent (client gone, or it could not make its deadline). */
  dropped(info: { route: string; reason: 'aborted' | 'deadline' }): void;
}
