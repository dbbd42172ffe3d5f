import type { OrganizationMembership, OrganizationMembershipStatus } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import { fullOrganization, organizationStub, type OrganizationModel } from '../data/organization-stub.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { connectionOfItems, resolveConnection } from './connection.ts';

/** Most of another user's memberships read to find those the viewer may see. */
const MAX_SCANNED = 1000;
const PAGE = 100;

/**
 * A user's memberships as a connection. For a service, or the viewer's own, WorkOS pages them.
 * For a co-member, only memberships in organizations the viewer can read count, and the page
 * (edges, cursors, hasNextPage) is built from those alone, so nothing about the others leaks:
 * their memberships are read whole (one call for a user in up to 100 organizations) and paged here.
 */
export async function membershipsOfUser(
  args: ConnectionArgs,
  ctx: GatewayContext,
  userId: string,
  statuses: OrganizationMembershipStatus[] | undefined,
) {
  const { caller } = ctx;
  if (caller.kind === 'service' || (caller.kind === 'user' && caller.userId === userId)) {
    return resolveConnection(args, ctx, (p) => ctx.loaders.listMemberships({ ...p, userId, statuses }));
  }
  const all: OrganizationMembership[] = [];
  let after: string | undefined;
  do {
    const page = await ctx.loaders.listMemberships({ userId, statuses, limit: PAGE, order: 'desc', ...(after ? { after } : {}) });
    all.push(...page.data);
    after = page.listMetadata.after ?? undefined;
  } while (after && all.length < MAX_SCANNED);
  return connectionOfItems(await ctx.access.onlyReadable(all, (m) => m.organizationId), args, ctx);
}

/**
 * A user's organizations as a connection, through their memberships (cursors are membership
 * ids). Each organization is its membership's stub (id and name from the payload) unless a
 * domain filter needs it whole.
 */
export async function organizationsOfUser(
  args: ConnectionArgs,
  ctx: GatewayContext,
  userId: string,
  filter: { statuses?: OrganizationMembershipStatus[]; domains?: string[] } = {},
) {
  const page = await membershipsOfUser(args, ctx, userId, filter.statuses);
  const domains = filter.domains?.length ? filter.domains : undefined;
  const orgs: (OrganizationModel | null)[] = await Promise.all(
    page.edges.map(async ({ node: m }) => {
      const stub = organizationStub(m.organizationId, m.organizationName);
      if (!domains) return stub;
      const org = await fullOrganization(stub, ctx.loaders);
      return org && org.domains.some((d) => domains.includes(d.domain)) ? org : null;
    }),
  );
  const edges = page.edges.flatMap((edge, i) => {
    const node = orgs[i];
    return node ? [{ cursor: edge.cursor, node }] : [];
  });
  return { pageInfo: page.pageInfo, edges };
}
