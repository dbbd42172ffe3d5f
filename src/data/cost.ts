/**
 * What a schema field costs in WorkOS calls, declared on the field (`extensions.cost`, see
 * src/schema/cost.ts) and added up before execution by src/plugins/query-cost.ts. It describes
 * the data layer's plan: which reads a field makes, which it shares with a sibling, and which
 * another object's payload already answers.
 */
export interface UpstreamCost {
  /** Calls each occurrence makes: a by-id read, a write (default 0). */
  calls?: number;
  /** A connection over a WorkOS list: one call per upstream page of its size (first/last, default 10). */
  pages?: boolean;
  /** A list answered without calls (a payload's, or one read whole): at most this many items, or a page of the size asked for. */
  items?: number | 'page';
  /**
   * An object that comes as a stub from its parent's payload: free while the selection needs
   * only these fields of it; one call (to load it whole) otherwise.
   */
  stub?: readonly string[];
  /** Extra calls a signed-in user's access decision makes for this field (another user's memberships). */
  userCalls?: number;
  /**
   * Sibling fields with the same key and page arguments share their calls: one membership
   * page serves both a user's `memberships` and `organizations`.
   */
  shares?: string;
  /** `nodes(ids:)`: the argument holding the ids; each costs a read (see the list-first plan). */
  perIdArg?: string;
}
