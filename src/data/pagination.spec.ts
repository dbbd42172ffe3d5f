import { describe, expect, it } from 'vitest';
import { fakeList } from '../../test/kit/fake-list.ts';
import { GatewayError } from '../errors/codes.ts';
import {
  DEFAULT_PAGE_SIZE,
  UPSTREAM_PAGE_LIMIT,
  fetchConnectionPage,
  planPages,
  type ConnectionArgs,
  type Page,
  type PageParams,
  type PagePlan,
} from './pagination.ts';

const MAX = 500;

function refusal(args: ConnectionArgs, maxPageSize = MAX): GatewayError {
  try {
    planPages(args, maxPageSize);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`planPages accepted ${JSON.stringify(args)}`);
}

describe('planPages', () => {
  it.each<[string, ConnectionArgs, PagePlan]>([
    ['no arguments: the default page', {}, { size: DEFAULT_PAGE_SIZE, direction: 'after', first: { limit: DEFAULT_PAGE_SIZE, after: undefined, order: 'desc' }, reversed: false }],
    ['first alone', { first: 5 }, { size: 5, direction: 'after', first: { limit: 5, after: undefined, order: 'desc' }, reversed: false }],
    ['first with after', { first: 5, after: 'org_b' }, { size: 5, direction: 'after', first: { limit: 5, after: 'org_b', order: 'desc' }, reversed: false }],
    ['first with before', { first: 5, before: 'org_b' }, { size: 5, direction: 'before', first: { limit: 5, before: 'org_b', order: 'desc' }, reversed: false }],
    ['before alone', { before: 'org_b' }, { size: DEFAULT_PAGE_SIZE, direction: 'before', first: { limit: DEFAULT_PAGE_SIZE, before: 'org_b', order: 'desc' }, reversed: false }],
    ['last with before', { last: 3, before: 'org_b' }, { size: 3, direction: 'before', first: { limit: 3, before: 'org_b', order: 'desc' }, reversed: false }],
    ['last alone: oldest first, reversed', { last: 3 }, { size: 3, direction: 'after', first: { limit: 3, order: 'asc' }, reversed: true }],
    ['nulls count as absent', { first: null, last: null, after: null, before: null }, { size: DEFAULT_PAGE_SIZE, direction: 'after', first: { limit: DEFAULT_PAGE_SIZE, after: undefined, order: 'desc' }, reversed: false }],
    ['exactly the max page size', { first: MAX }, { size: MAX, direction: 'after', first: { limit: UPSTREAM_PAGE_LIMIT, after: undefined, order: 'desc' }, reversed: false }],
    ['above 100: upstream pages of 100', { first: 250 }, { size: 250, direction: 'after', first: { limit: 100, after: undefined, order: 'desc' }, reversed: false }],
    ['last above 100', { last: 150 }, { size: 150, direction: 'after', first: { limit: 100, order: 'asc' }, reversed: true }],
    ['order desc is the default', { first: 5, order: 'desc' }, { size: 5, direction: 'after', first: { limit: 5, after: undefined, order: 'desc' }, reversed: false }],
    ['order asc with first and after', { first: 5, after: 'org_b', order: 'asc' }, { size: 5, direction: 'after', first: { limit: 5, after: 'org_b', order: 'asc' }, reversed: false }],
    ['order asc with before', { before: 'org_b', order: 'asc' }, { size: DEFAULT_PAGE_SIZE, direction: 'before', first: { limit: DEFAULT_PAGE_SIZE, before: 'org_b', order: 'asc' }, reversed: false }],
    ['order asc, last alone: newest first, reversed', { last: 3, order: 'asc' }, { size: 3, direction: 'after', first: { limit: 3, order: 'desc' }, reversed: true }],
    ['order null counts as absent', { first: 2, order: null }, { size: 2, direction: 'after', first: { limit: 2, after: undefined, order: 'desc' }, reversed: false }],
  ])('%s', (_label, args, plan) => {
    expect(planPages(args, MAX)).toEqual(plan);
  });

  it.each<[string, ConnectionArgs, RegExp]>([
    ['first and last', { first: 1, last: 1 }, /either `first` or `last`/],
    ['last and after', { last: 2, after: 'org_a' }, /cannot be combined with `after`/],
    ['last, after and before', { last: 2, after: 'org_a', before: 'org_b' }, /cannot be combined with `after`/],
    ['after and before with first', { first: 2, after: 'org_a', before: 'org_b' }, /either `after` or `before`/],
    ['after and before alone', { after: 'org_a', before: 'org_b' }, /either `after` or `before`/],
    ['first: 0', { first: 0 }, /positive integers/],
    ['first: -1', { first: -1 }, /positive integers/],
    ['last: 0', { last: 0 }, /positive integers/],
    ['last: -10', { last: -10 }, /positive integers/],
    ['first: 1.5', { first: 1.5 }, /positive integers/],
    ['first: NaN', { first: Number.NaN }, /positive integers/],
  ])('refuses %s with BAD_USER_INPUT', (_label, args, message) => {
    const error = refusal(args);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it.each<[ConnectionArgs, number]>([
    [{ first: 101 }, 100],
    [{ last: 51 }, 50],
    [{ first: MAX + 1 }, MAX],
  ])('refuses %o above the max page size %i, naming it', (args, maxPageSize) => {
    const error = refusal(args, maxPageSize);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(`A page may hold at most ${maxPageSize} items; asked for ${args.first ?? args.last}.`);
    expect(error.extensions.maxPageSize).toBe(maxPageSize);
  });

  it('checks the size before the cursor combination', () => {
    expect(refusal({ last: 0, after: 'org_a' }).message).toMatch(/positive integers/);
  });
});

/** A fake WorkOS list of ids item_000 (oldest) .. item_{n-1} (newest). */
const upstream = (total: number) => fakeList(total, 3);

describe('fetchConnectionPage', () => {
  it('serves a small first page in one call, newest first', async () => {
    const { calls, list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ first: 3 }, MAX), list);
    expect(page).toEqual({ nodes: ['item_029', 'item_028', 'item_027'], hasNextPage: true, hasPreviousPage: false });
    expect(calls).toHaveLength(1);
  });

  it('follows `after` and reports a previous page', async () => {
    const { list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ first: 2, after: 'item_027' }, MAX), list);
    expect(page).toEqual({ nodes: ['item_026', 'item_025'], hasNextPage: true, hasPreviousPage: true });
  });

  it('reports no next page at the end of the list', async () => {
    const { list } = upstream(5);
    const page = await fetchConnectionPage(planPages({ first: 10 }, MAX), list);
    expect(page.nodes).toHaveLength(5);
    expect(page.hasNextPage).toBe(false);
  });

  it.each([
    [250, 300, [100, 100, 50]],
    [200, 300, [100, 100]],
    [101, 300, [100, 1]],
    [250, 120, [100, 100]],
  ])('first: %i over %i items reads upstream pages of %j', async (first, total, limits) => {
    const { ids, calls, list } = upstream(total);
    const page = await fetchConnectionPage(planPages({ first }, MAX), list);
    expect(calls.map((c) => c.limit)).toEqual(limits);
    expect(calls.slice(1).every((c) => c.after !== undefined && c.before === undefined && c.order === 'desc')).toBe(true);
    const expected = [...ids].reverse().slice(0, first);
    expect(page.nodes).toEqual(expected);
    expect(page.hasNextPage).toBe(total > first);
  });

  it('last alone: the oldest items, newest first, with a previous page when there are newer ones', async () => {
    const { calls, list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ last: 3 }, MAX), list);
    expect(page).toEqual({ nodes: ['item_002', 'item_001', 'item_000'], hasNextPage: false, hasPreviousPage: true });
    expect(calls[0].order).toBe('asc');
  });

  it('last above 100 reads ascending pages and reverses them all', async () => {
    const { calls, list } = upstream(300);
    const page = await fetchConnectionPage(planPages({ last: 150 }, MAX), list);
    expect(calls.map((c) => [c.limit, c.order])).toEqual([
      [100, 'asc'],
      [50, 'asc'],
    ]);
    expect(page.nodes).toHaveLength(150);
    expect(page.nodes[0]).toBe('item_149');
    expect(page.nodes.at(-1)).toBe('item_000');
    expect(page.hasPreviousPage).toBe(true);
  });

  it('last with before walks backwards and keeps newest-first order', async () => {
    const { list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ last: 3, before: 'item_010' }, MAX), list);
    expect(page).toEqual({ nodes: ['item_013', 'item_012', 'item_011'], hasNextPage: true, hasPreviousPage: true });
  });

  it('last above 100 with before joins the backward pages in newest-first order', async () => {
    const { calls, list } = upstream(300);
    const page = await fetchConnectionPage(planPages({ last: 150, before: 'item_100' }, MAX), list);
    expect(calls.map((c) => c.limit)).toEqual([100, 50]);
    expect(calls[1].before).toBeDefined();
    expect(page.nodes).toHaveLength(150);
    expect(page.nodes[0]).toBe('item_250');
    expect(page.nodes.at(-1)).toBe('item_101');
    expect(page.hasNextPage).toBe(true);
    expect(page.hasPreviousPage).toBe(true);
  });

  it('stops when an upstream page comes back empty', async () => {
    const calls: PageParams[] = [];
    const list = async (params: PageParams): Promise<Page<string>> => {
      calls.push(params);
      return { data: [], listMetadata: { before: null, after: 'cursor' } };
    };
    const page = await fetchConnectionPage(planPages({ first: 200 }, MAX), list);
    expect(calls).toHaveLength(1);
    expect(page.nodes).toEqual([]);
  });
});

describe('fetchConnectionPage in ascending order', () => {
  it('first: the oldest items, oldest first, then on from the cursor', async () => {
    const { list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ first: 3, order: 'asc' }, MAX), list);
    expect(page).toEqual({ nodes: ['item_000', 'item_001', 'item_002'], hasNextPage: true, hasPreviousPage: false });
    const next = await fetchConnectionPage(planPages({ first: 3, after: 'item_002', order: 'asc' }, MAX), list);
    expect(next).toEqual({ nodes: ['item_003', 'item_004', 'item_005'], hasNextPage: true, hasPreviousPage: true });
  });

  it('last alone: the newest items, still oldest first, with a previous page of older ones', async () => {
    const { calls, list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ last: 3, order: 'asc' }, MAX), list);
    expect(page).toEqual({ nodes: ['item_027', 'item_028', 'item_029'], hasNextPage: false, hasPreviousPage: true });
    expect(calls[0].order).toBe('desc');
  });

  it('last with before: the items just before the cursor, oldest first', async () => {
    const { list } = upstream(30);
    const page = await fetchConnectionPage(planPages({ last: 3, before: 'item_010', order: 'asc' }, MAX), list);
    expect(page).toEqual({ nodes: ['item_007', 'item_008', 'item_009'], hasNextPage: true, hasPreviousPage: true });
  });

  it('a page forward and then back again in either order lands where it started', async () => {
    const { list } = upstream(30);
    for (const order of ['asc', 'desc'] as const) {
      const first = await fetchConnectionPage(planPages({ first: 4, order }, MAX), list);
      const second = await fetchConnectionPage(planPages({ first: 4, after: first.nodes.at(-1), order }, MAX), list);
      const back = await fetchConnectionPage(planPages({ last: 4, before: second.nodes[0], order }, MAX), list);
      expect(back.nodes).toEqual(first.nodes);
    }
  });
});
