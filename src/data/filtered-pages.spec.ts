import { describe, expect, it } from 'vitest';
import { fetchFilteredConnectionPage, MAX_FILTERED_PAGES } from './filtered-pages.ts';
import { fakeList } from '../../test/kit/fake-list.ts';
import { planPages } from './pagination.ts';

const MAX = 500;

/** A fake WorkOS list of `total` ids, oldest first; every `every`-th one matches the filter. */
function upstream(total: number, every: number) {
  const { calls, list } = fakeList(total, 4);
  const keep = (id: string) => Number(id.slice(5)) % every === 0;
  return { calls, list, keep };
}

describe('fetchFilteredConnectionPage', () => {
  it('one upstream page of 100 serves a small filtered page, newest first, with an exact hasNextPage', async () => {
    const { calls, list, keep } = upstream(50, 10);
    const page = await fetchFilteredConnectionPage(planPages({ first: 3 }, MAX), list, keep);
    expect(page).toEqual({ nodes: ['item_0040', 'item_0030', 'item_0020'], hasNextPage: true, hasPreviousPage: false });
    expect(calls.map((c) => c.limit)).toEqual([100]);
  });

  it('no next page when the matches end on the page', async () => {
    const { list, keep } = upstream(50, 10);
    const page = await fetchFilteredConnectionPage(planPages({ first: 5 }, MAX), list, keep);
    expect(page.nodes).toEqual(['item_0040', 'item_0030', 'item_0020', 'item_0010', 'item_0000']);
    expect(page.hasNextPage).toBe(false);
  });

  it('reads on while matches are sparse, up to the bound', async () => {
    const { calls, list, keep } = upstream(1000, 150);
    const page = await fetchFilteredConnectionPage(planPages({ first: 2 }, MAX), list, keep);
    expect(page.nodes).toEqual(['item_0900', 'item_0750']);
    expect(calls).toHaveLength(3);
    expect(calls.slice(1).every((c) => c.after !== undefined)).toBe(true);
    const sparse = upstream(1000, 400);
    const bounded = await fetchFilteredConnectionPage(planPages({ first: 5 }, MAX), sparse.list, sparse.keep);
    expect(sparse.calls).toHaveLength(MAX_FILTERED_PAGES);
    expect(bounded).toMatchObject({ nodes: ['item_0800'], hasNextPage: true });
  });

  it('the next page starts after the last edge', async () => {
    const { list, keep } = upstream(50, 10);
    const next = await fetchFilteredConnectionPage(planPages({ first: 2, after: 'item_0030' }, MAX), list, keep);
    expect(next).toEqual({ nodes: ['item_0020', 'item_0010'], hasNextPage: true, hasPreviousPage: true });
  });

  it('ascending order, and last alone (reversed read)', async () => {
    const { list, keep } = upstream(50, 10);
    expect((await fetchFilteredConnectionPage(planPages({ first: 2, order: 'asc' }, MAX), list, keep)).nodes).toEqual(['item_0000', 'item_0010']);
    const last = await fetchFilteredConnectionPage(planPages({ last: 2 }, MAX), list, keep);
    expect(last).toEqual({ nodes: ['item_0010', 'item_0000'], hasNextPage: false, hasPreviousPage: true });
  });

  it('last with before: the matches nearest the cursor', async () => {
    const { list, keep } = upstream(50, 10);
    const page = await fetchFilteredConnectionPage(planPages({ last: 2, before: 'item_0010' }, MAX), list, keep);
    expect(page).toEqual({ nodes: ['item_0030', 'item_0020'], hasNextPage: true, hasPreviousPage: true });
  });
});
