import { LRUCache } from 'lru-cache';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One cached upstream answer: the raw body the SDK deserializes, before any authorization. */
export interface CachedEntry {
  path: string;
  params: URLSearchParams;
  body: string;
  contentType: string;
}

/** Decides, for each cached entry, whether a change made it stale. */
export type StalePredicate = (entry: CachedEntry) => boolean;

/**
 * Reads that may be cached: WorkOS resources whose every change is announced by an event.
 * Audit log exports (their state moves without an event) and the Events API are never cached.
 */
const CACHEABLE = [
  '/organizations',
  '/user_management/users',
  '/user_management/organization_memberships',
  '/directories',
  '/directory_users',
  '/directory_groups',
  '/connections',
];

/**
 * A user's memberships decide what they may see and change: those reads always go to WorkOS,
 * so a member removed there (or through another instance) loses access at their next request.
 */
const decidesAccess = (url: URL) => url.pathname === '/user_management/organization_memberships' && url.searchParams.has('user_id');

const isCacheable = (url: URL) =>
  CACHEABLE.some((prefix) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) && !decidesAccess(url);

/**
 * Cross-request cache of successful upstream GETs, in front of the queue (a hit is no upstream
 * call) and behind the per-request loaders (which still dedupe within a request). It holds raw
 * responses, so every request still runs its own authorization over them.
 */
export class UpstreamCache {
  private readonly store: LRUCache<string, CachedEntry>;
  /** Bumped by every invalidation: a read that started before one must not store its answer. */
  private generation = 0;
  /** Reads answered here and reads passed on and stored (for /metrics). */
  hits = 0;
  misses = 0;
  /** Entries dropped by invalidations (for /metrics). */
  invalidated = 0;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.store = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs, ttlAutopurge: false });
  }

  /** The SDK's fetchFn: cached GETs answered here, everything else passed on to `next`. */
  wrap(next: Fetch): Fetch {
    return async (input, init) => {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (method !== 'GET' || !isCacheable(url)) return next(input, init);
      const key = keyOf(url);
      const hit = this.store.get(key);
      if (hit) {
        this.hits++;
        return new Response(hit.body, { status: 200, headers: { 'content-type': hit.contentType } });
      }
      this.misses++;
      const startedAt = this.generation;
      const response = await next(input, init);
      if (response.status !== 200 || startedAt !== this.generation) return response;
      const body = await response.text();
      const contentType = response.headers.get('content-type') ?? 'application/json';
      this.store.set(key, { path: url.pathname, params: url.searchParams, body, contentType });
      return new Response(body, { status: 200, statusText: response.statusText, headers: response.headers });
    };
  }

  /** Drops every entry the predicate calls stale; returns how many. */
  invalidate(stale: StalePredicate): number {
    this.generation++;
    let dropped = 0;
    for (const [key, entry] of this.store.entries()) {
      if (stale(entry)) {
        this.store.delete(key);
        dropped++;
      }
    }
    this.invalidated += dropped;
    return dropped;
  }

  get size(): number {
    return this.store.size;
  }
}

/** Path plus sorted query: the same read always has the same key. */
function keyOf(url: URL): string {
  const params = new URLSearchParams(url.searchParams);
  params.sort();
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
