import type { UpstreamCost } from '../data/cost.ts';

/**
 * Field options that declare what a field costs in WorkOS calls (`extensions.cost`, summed
 * before execution by src/plugins/query-cost.ts; the shape is in src/data/cost.ts). A field
 * without one is costed as a read per occurrence, so forgetting it over-counts, never under.
 */
export const cost = (declared: UpstreamCost) => ({ extensions: { cost: declared } });

/** A connection over a WorkOS list. */
export const PAGED = cost({ pages: true });
/** One read by id. */
export const BY_ID = cost({ calls: 1 });
/** In hand: the parent's payload carries it, or it comes from the token. */
export const IN_HAND = cost({});
/** A write: one call. */
export const WRITE = cost({ calls: 1 });

/** Fields of an organization stub that need no load: its id and name, and lists that need only the id. */
export const ORGANIZATION_STUB_FIELDS = ['id', 'name', 'memberships', 'users', 'directories', 'ssoConnections'] as const;
/** A stub without the name (a directory's or connection's organization): `name` loads it. */
export const ORGANIZATION_ID_FIELDS = ['id', 'memberships', 'users', 'directories', 'ssoConnections'] as const;
