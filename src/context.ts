import type { WorkOSLoaders } from './workos/loaders.ts';
import type { WorkOSWrites } from './workos/writes.ts';

/** What every resolver gets: this request's loaders (reads), writes and limits. */
export interface GatewayContext {
  loaders: WorkOSLoaders;
  writes: WorkOSWrites;
  limits: { maxPageSize: number };
  /** The client's address, for audit event context. */
  clientAddress: string;
}
