import { LRUCache } from 'lru-cache';

/** Sessions signed out through this gateway, remembered at most this many. */
const MAX_REMEMBERED = 100_000;
/** Kept at least this long: another token of the session may outlive the one seen at sign-out. */
const MIN_KEEP_MS = 60 * 60_000;

/**
 * Sessions signed out through this gateway. WorkOS' access tokens are JWTs checked without
 * asking WorkOS, so one copied before sign-out would work until it expires; the gateway
 * refuses it from then on (each entry lives as long as the token it was seen with, an hour at
 * least). Per process.
 */
export class RevokedSessions {
  private readonly ids = new LRUCache<string, true>({ max: MAX_REMEMBERED, ttlAutopurge: false });

  add(sessionId: string, until: Date, now = Date.now()): void {
    this.ids.set(sessionId, true, { ttl: Math.max(until.getTime() - now, MIN_KEEP_MS) });
  }

  has(sessionId: string | undefined): boolean {
    return sessionId !== undefined && this.ids.has(sessionId);
  }
}
