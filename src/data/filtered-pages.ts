import { UPSTREAM_PAGE_LIMIT, type ConnectionPage, type Lister, type Page, type PagePlan } from './pagination.ts';

/** Upstream pages one filtered Relay page may read at most (a bound, so a sparse filter cannot run away). */
export const MAX_FILTERED_PAGES = 3;

/**
 * One Relay page of a WorkOS list filtered by the gateway, for filters WorkOS does not take
 * (invitation states). Reads full upstream pages of 100 in the plan's direction and keeps the
 * matching items until it has one more than the page holds (so `hasNextPage` is exact), the list
 * ends, or MAX_FILTERED_PAGES were read (then more may follow). Cursors stay object ids, so the
 * next page starts right after the last edge, whatever was skipped.
 */
export async function fetchFilteredConnectionPage<T>(
  plan: PagePlan,
  list: Lister<T>,
  keep: (item: T) => boolean,
  maxPages = MAX_FILTERED_PAGES,
): Promise<ConnectionPage<T>> {
  const pages: Page<T>[] = [];
  let matched = 0;
  let exhausted = false;
  let params = { ...plan.first, limit: UPSTREAM_PAGE_LIMIT };
  for (;;) {
    const page = await list(params);
    pages.push(page);
    matched += page.data.filter(keep).length;
    const cursor = page.listMetadata[plan.direction];
    if (!cursor || page.data.length === 0) {
      exhausted = true;
      break;
    }
    if (matched > plan.size || pages.length >= maxPages) break;
    params = { ...plan.first, after: undefined, before: undefined, [plan.direction]: cursor, limit: UPSTREAM_PAGE_LIMIT };
  }
  const more = (kept: number) => kept > plan.size || !exhausted;

  if (plan.direction === 'before') {
    // Walking backwards: pages arrive last-first; the items nearest the cursor are the last ones.
    const kept = [...pages].reverse().flatMap((page) => page.data.filter(keep));
    return { nodes: kept.slice(Math.max(0, kept.length - plan.size)), hasPreviousPage: more(kept.length), hasNextPage: pages[0].listMetadata.after != null };
  }
  const kept = pages.flatMap((page) => page.data.filter(keep));
  const nodes = kept.slice(0, plan.size);
  if (plan.reversed) return { nodes: nodes.reverse(), hasPreviousPage: more(kept.length), hasNextPage: false };
  return { nodes, hasNextPage: more(kept.length), hasPreviousPage: pages[0].listMetadata.before != null };
}
