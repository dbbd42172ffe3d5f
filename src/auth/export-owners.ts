/**
 * Which organization each audit log export was made for. WorkOS' export object does not say,
 * so the gateway remembers it when the export is created (through this gateway) and reads
 * it back to authorize `auditLogExport(id)`. Bounded: the oldest entries go first; an export it
 * does not know (older, or made elsewhere) is readable with a service token only.
 */
export class ExportOwners {
  private readonly owners = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  remember(exportId: string, organizationId: string): void {
    this.owners.delete(exportId);
    this.owners.set(exportId, organizationId);
    if (this.owners.size > this.capacity) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.owners.keys().next().value;
      if (oldest !== undefined) this.owners.delete(oldest);
    }
  }

  ownerOf(exportId: string): string | undefined {
    return this.owners.get(exportId);
  }
}
