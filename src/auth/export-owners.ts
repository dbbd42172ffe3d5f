import { SharedStateUnavailable, type SharedStore } from '../shared/store.ts';

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
  private readonly owners = new Map<string, string>();
  private readonly capacity: number;
  private readonly store: SharedStore | undefined;

  constructor(options: { capacity?: number; store?: SharedStore } = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.store = options.store;
    this.store?.onChange((up) => {
      if (up) void this.share([...this.owners], 'NX');
    });
  }

  /** Remembers here at once, then in Redis; never rejects (without Redis, the other instances do not know it). */
  async remember(exportId: string, organizationId: string): Promise<void> {
    this.keep(exportId, organizationId);
    await this.share([[exportId, organizationId]], 'replace');
  }

  /** The export's organization: known here, else in Redis (when it answers), else undefined. */
  async ownerOf(exportId: string): Promise<string | undefined> {
    const local = this.owners.get(exportId);
    if (local !== undefined || !this.store) return local;
    const store = this.store;
    let shared: string | null;
    try {
      shared = await store.run((redis) => redis.get(this.key(store, exportId)));
    } catch (error) {
      if (error instanceof SharedStateUnavailable) return undefined;
      throw error;
    }
    // An export's organization never changes: keep it here for the next read.
    if (shared !== null) this.keep(exportId, shared);
    return shared ?? undefined;
  }

  private keep(exportId: string, organizationId: string): void {
    this.owners.delete(exportId);
    this.owners.set(exportId, organizationId);
    if (this.owners.size > this.capacity) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.owners.keys().next().value;
      if (oldest !== undefined) this.owners.delete(oldest);
    }
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
