import { LRUCache } from 'lru-cache';
import type { SharedStore } from '../shared/store.ts';

/** How long Redis remembers an export's organization (ms); the export's download links expire long before. */
const SHARED_TTL_MS = 30 * 24 * 3600_000;

/**
 * Which organization each audit log export was made for. WorkOS' export object does not say,
 * so the gateway remembers it when the export is created (through this gateway) and reads
 * it back to authorize `auditLogExport(id)`. Bounded: the oldest entries go first; an export it
 * does not know (older, or made elsewhere) is readable with a service token only.
 *
 * With a SharedStore every instance knows every export: each is written to Redis too (an
 * export id and an organization id, no secret) and an id this instance does not know is
 * looked up there. While Redis is unreachable it knows its own exports only; what it
 * remembered meanwhile is written to Redis when it is back.
 */
export class ExportOwners {
  private readonly owners: LRUCache<string, string>;
  private readonly store: SharedStore | undefined;

  constructor(options: { capacity?: number; store?: SharedStore } = {}) {
    this.owners = new LRUCache({ max: options.capacity ?? 10_000 });
    this.store = options.store;
    this.store?.onChange((up) => {
      if (up) void this.share([...this.owners], 'NX');
    });
  }

  /** Remembers here at once, then in Redis; never rejects (without Redis, the other instances do not know it). */
  async remember(exportId: string, organizationId: string): Promise<void> {
    this.owners.set(exportId, organizationId);
    await this.share([[exportId, organizationId]], 'replace');
  }

  /** The export's organization: known here, else in Redis (when it answers), else undefined. */
  async ownerOf(exportId: string): Promise<string | undefined> {
    // A read does not make an entry newer: the oldest remembered goes first.
    const local = this.owners.peek(exportId);
    if (local !== undefined || !this.store) return local;
    const store = this.store;
    const shared = await store.read((redis) => redis.get(this.key(store, exportId)), null);
    // An export's organization never changes: keep it here for the next read.
    if (shared !== null) this.owners.set(exportId, shared);
    return shared ?? undefined;
  }

  /**
   * Writes entries to Redis; a failure is quiet (this instance still knows the export, and
   * shares it when Redis is back). 'NX' (written back after an outage): an owner Redis already
   * has keeps its own expiry.
   */
  private async share(entries: [string, string][], mode: 'replace' | 'NX'): Promise<void> {
    const store = this.store;
    if (!store) return;
    await store.setAll(entries.map(([exportId, organizationId]) => ({ key: this.key(store, exportId), value: organizationId, ttlMs: SHARED_TTL_MS, onlyIfAbsent: mode === 'NX' })));
  }

  private key(store: SharedStore, exportId: string): string {
    return store.key('export-owner', exportId);
  }
}
