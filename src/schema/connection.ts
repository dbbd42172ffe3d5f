import type { GatewayContext } from '../context/context.ts';
import { fetchConnectionPage, pageOfItems, planPages, type ConnectionArgs, type ConnectionPage, type Lister } from '../data/pagination.ts';

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
  return connectionOf(await fetchConnectionPage(plan, list));
}

/** A Relay connection over items already in hand (a payload's list, or what the caller may see). */
export const connectionOfItems = <T extends { id: string }>(items: T[], args: ConnectionArgs, ctx: GatewayContext) =>
  connectionOf(pageOfItems(items, args, ctx.limits.maxPageSize));

export function connectionOf<T extends { id: string }>(page: ConnectionPage<T>) {
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
