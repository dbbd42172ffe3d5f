import type { Organization, OrganizationMembershipStatus } from '@workos-inc/node';
import type { GatewayContext } from '../context/context.ts';
import type { ConnectionArgs } from '../data/pagination.ts';
import { resolveConnection } from './connection.ts';

/**
 * A user's organizations as a connection: one page of their memberships names them, each is then
 * loaded once per request. Cursors are membership ids (WorkOS' cursor of that list). Only
 * organizations the viewer can read are kept, so a co-member's other organizations stay hidden.
 */
export async function organizationsOfUser(
  args: ConnectionArgs,
  ctx: GatewayContext,
  userId: string,
  filter: { statuses?: OrganizationMembershipStatus[]; domains?: string[] } = {},
) {
  const page = await resolveConnection(args, ctx, (p) => ctx.loaders.listMemberships({ ...p, userId, statuses: filter.statuses }));
  const readable = new Set((await ctx.access.onlyReadable(page.edges.map((e) => e.node), (m) => m.organizationId)).map((m) => m.id));
  const edges = page.edges.filter((edge) => readable.has(edge.node.id));
  const orgs = await Promise.all(edges.map((edge) => ctx.loaders.organization.load(edge.node.organizationId)));
  const wanted = (org: Organization) => !filter.domains?.length || org.domains.some((d) => filter.domains!.includes(d.domain));
  return {
    pageInfo: page.pageInfo,
    edges: edges.flatMap((edge, i) => {
      const node = orgs[i];
      return node && wanted(node) ? [{ cursor: edge.cursor, node }] : [];
    }),
  };
}
