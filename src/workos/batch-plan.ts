import { isNotFound, toGraphQLError } from './errors.ts';
import { UPSTREAM_PAGE_LIMIT, type Page, type PageParams } from './pagination.ts';

/** Fewer ids than this in one tick are cheaper fetched one by one than by a list page. */
export const LIST_PLAN_MIN_IDS = 3;

/** One GET; a 404 is an answer (null), any other failure stays with its own id. */
export async function getOrNull<T>(fetchOne: () => Promise<T>): Promise<T | null | Error> {
  try {
    return await fetchOne();
  } catch (error) {
    if (isNotFound(error)) return null;
    return toGraphQLError(error);
  }
}

export const oneByOne =
  <T>(fetchOne: (id: string) => Promise<T>) =>
  (ids: readonly string[]): Promise<(T | null | Error)[]> =>
    Promise.all(ids.map((id) => getOrNull(() => fetchOne(id))));

/**
 * WorkOS has no multi-id endpoint, but its lists are sorted by id (ids are ULIDs: creation
 * time first). So when several ids of a listable type are wanted at once, read the newest
 * page: it answers every wanted id it holds, and proves absent every wanted id newer than its
 * oldest item. Only ids older than that are left, and they are paged on while pages keep
 * paying for themselves (two or more hits), then fetched one by one. Worst case: one call
 * more than one GET per id; typical case for a small tenant: one call instead of N.
 */
export function listThenGet<T extends { id: string }>(
  fetchOne: (id: string) => Promise<T>,
  fetchPage: (params: PageParams) => Promise<Page<T>>,
) {
  const single = oneByOne(fetchOne);
  return async (ids: readonly string[]): Promise<(T | null | Error)[]> => {
    if (ids.length < LIST_PLAN_MIN_IDS) return single(ids);
    const found = new Map<string, T | null>();
    let pending = [...new Set(ids)];
    let after: string | undefined;
    try {
      for (;;) {
        const page = await fetchPage({ limit: UPSTREAM_PAGE_LIMIT, order: 'desc', after });
        let hits = 0;
        for (const item of page.data) {
          if (pending.includes(item.id)) hits += 1;
          found.set(item.id, item);
        }
        const oldest = page.data.at(-1)?.id;
        const exhausted = page.listMetadata.after == null || oldest === undefined;
        // Not in the page yet inside its id range: it does not exist.
        pending = pending.filter((id) => !found.has(id) && !exhausted && id < oldest!);
        if (pending.length === 0 || hits < 2 || pending.length < LIST_PLAN_MIN_IDS) break;
        after = oldest;
      }
    } catch (error) {
      // A failed list costs the plan, not the answer: fall back to single GETs.
      if (!isNotFound(error)) pending = ids.filter((id) => !found.has(id));
    }
    const rest = new Map<string, T | null | Error>();
    const fetched = await single(pending);
    pending.forEach((id, i) => rest.set(id, fetched[i]));
    return ids.map((id) => (rest.has(id) ? rest.get(id)! : (found.get(id) ?? null)));
  };
}
