import { isNotFound, toGatewayError } from '../errors/upstream.ts';
import { UPSTREAM_PAGE_LIMIT, type Page, type PageParams } from './pagination.ts';

/** Fewer ids than this in one tick are cheaper fetched one by one than by a list page. */
export const LIST_PLAN_MIN_IDS = 3;

/** One GET; a 404 is an answer (null), any other failure stays with its own id. */
export async function getOrNull<T>(fetchOne: () => Promise<T>): Promise<T | null | Error> {
  try {
    return await fetchOne();
  } catch (error) {
    if (isNotFound(error)) return null;
    return toGatewayError(error);
  }
}

export const oneByOne =
  <T>(fetchOne: (id: string) => Promise<T>) =>
  (ids: readonly string[]): Promise<(T | null | Error)[]> =>
    Promise.all(ids.map((id) => getOrNull(() => fetchOne(id))));

/** After this many single GETs of one type in a request, even one more id goes to the list. */
const SINGLES_BEFORE_LIST = 2;

/**
 * WorkOS has no multi-id endpoint, but its lists are sorted by id (ids are ULIDs: creation
 * time first). So when several ids of a listable type are wanted, read the newest page: it
 * answers every wanted id it holds. Older ids are paged on while pages keep paying for
 * themselves (two or more hits). What the pages covered is remembered for the request, so a
 * covered range is never listed twice. An id no page answered is fetched by itself: a page can
 * be older than the object (read just before it was created, or served from the cache), so
 * "not on the page" does not prove "does not exist". For a tenant of a hundred or fewer
 * objects: one call in all; at worst, one page more than one GET per id.
 */
export function listThenGet<T extends { id: string }>(
  fetchOne: (id: string) => Promise<T>,
  fetchPage: (params: PageParams) => Promise<Page<T>>,
) {
  const single = oneByOne(fetchOne);
  /** Every object with an id >= this was on a page read from the top; null = nothing covered. */
  let coveredFrom: string | null = null;
  let complete = false;
  let singles = 0;
  const covered = (id: string) => complete || (coveredFrom !== null && id >= coveredFrom);

  return async (ids: readonly string[]): Promise<(T | null | Error)[]> => {
    const seen = new Map<string, T>();
    const unique = [...new Set(ids)];
    let uncovered = unique.filter((id) => !covered(id));
    const listWorthIt = uncovered.length >= LIST_PLAN_MIN_IDS || (uncovered.length > 0 && singles >= SINGLES_BEFORE_LIST);
    if (listWorthIt) {
      try {
        for (;;) {
          const page = await fetchPage({ limit: UPSTREAM_PAGE_LIMIT, order: 'desc', after: coveredFrom ?? undefined });
          let hits = 0;
          for (const item of page.data) {
            if (uncovered.includes(item.id)) hits += 1;
            seen.set(item.id, item);
          }
          const oldest = page.data.at(-1)?.id;
          if (page.listMetadata.after == null || oldest === undefined) complete = true;
          else coveredFrom = oldest;
          uncovered = uncovered.filter((id) => !seen.has(id) && !covered(id));
          if (uncovered.length < LIST_PLAN_MIN_IDS || hits < 2) break;
        }
      } catch {
        // A failed list costs the plan, not the answer: the rest go one by one.
      }
    }
    const pending = unique.filter((id) => !seen.has(id));
    singles += pending.length;
    const fetched = await single(pending);
    const rest = new Map<string, T | null | Error>(pending.map((id, i) => [id, fetched[i]]));
    return ids.map((id) => (rest.has(id) ? rest.get(id)! : (seen.get(id) ?? null)));
  };
}
