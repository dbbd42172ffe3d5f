import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SharedStore } from '../shared/store.ts';

/** Sessions signed out through this gateway, remembered at most this many. */
const MAX_REMEMBERED = 100_000;
/** Kept at least this long: another token of the session may outlive the one seen at sign-out. */
const MIN_KEEP_MS = 60 * 60_000;

/**
 * Sessions signed out through this gateway. WorkOS' access tokens are JWTs checked without
 * asking WorkOS, so one copied before sign-out would work until it expires; the gateway
 * refuses it from then on (each entry lives as long as the token it was seen with, an hour at
 * least).
 *
 * With a SharedStore a sign-out through one instance is refused by all: each is also set in
 * Redis (`SET key PX ttl`, the session id hashed), and a session this instance does not know
 * is looked up there. While Redis is unreachable an instance knows its own sign-outs only;
 * those it saw meanwhile are written to Redis when it is back.
 */
export class RevokedSessions {
  private readonly ids = new LRUCache<string, true>({ max: MAX_REMEMBERED, ttlAutopurge: false });

  constructor(private readonly store?: SharedStore) {
    store?.onChange((up) => {
      if (up) void this.shareAll();
    });
  }

  /** Remembers here at once, then in Redis; never rejects. */
  async add(sessionId: string, until: Date, now = Date.now()): Promise<void> {
    const ttl = Math.max(until.getTime() - now, MIN_KEEP_MS);
    this.ids.set(sessionId, true, { ttl });
    await this.share([[sessionId, ttl]]);
  }

  /** Signed out here, or (when Redis answers) through any instance. */
  async has(sessionId: string | undefined): Promise<boolean> {
    if (sessionId === undefined) return false;
    if (this.ids.has(sessionId)) return true;
    const store = this.store;
    if (!store) return false;
    // -2: no such key (and what Redis cannot answer counts as unknown).
    const ttl = await store.read((redis) => redis.pttl(keyOf(store, sessionId)), -2);
    if (ttl === -2) return false;
    // A sign-out seen elsewhere is kept here too, as long as Redis keeps it.
    if (ttl > 0) this.ids.set(sessionId, true, { ttl });
    return true;
  }

  private async shareAll(): Promise<void> {
    const entries: [string, number][] = [];
    for (const sessionId of this.ids.keys()) {
      const ttl = this.ids.getRemainingTTL(sessionId);
      if (ttl > 0 && Number.isFinite(ttl)) entries.push([sessionId, Math.ceil(ttl)]);
    }
    await this.share(entries);
  }

  /** Writes entries to Redis; a failure is quiet (this instance still refuses the session, and shares it when Redis is back). */
  private async share(entries: [string, number][]): Promise<void> {
    const store = this.store;
    if (!store) return;
    await store.setAll(entries.map(([sessionId, ttl]) => ({ key: keyOf(store, sessionId), value: '1', ttlMs: ttl })));
  }
}

/** Session ids are hashed: Redis holds nothing that names a session. */
const keyOf = (store: SharedStore, sessionId: string) => store.key('signed-out', createHash('sha256').update(sessionId).digest('base64url'));
