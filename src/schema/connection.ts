import type { GatewayContext } from '../context/context.ts';
import { fetchConnectionPage, planPages, type ConnectionArgs, type Lister } from '../data/pagination.ts';

/**
 * Resolves a Relay connection from a WorkOS list. Cursors are WorkOS object ids, so a client
 * can hand any edge's cursor back as `after`/`before` and WorkOS pages from exactly there.
 */
export async function resolveConnection<T extends { id: string }>(
  args: ConnectionArgs,
  ctx: GatewayContext,
  list: Lister<T>,
) {
  const plan = planPages(args, ctx.limits.maxPageSize);
  const page = await fetchConnectionPage(plan, list);
  const edges = page.nodes.map((node) => ({ cursor: node.id, node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
