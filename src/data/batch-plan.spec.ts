import { NotFoundException } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/codes.ts';
import { LIST_PLAN_MIN_IDS, getOrNull, listThenGet, oneByOne } from './batch-plan.ts';
import type { Page, PageParams } from './pagination.ts';

interface Item {
  id: string;
}

const notFound = (id: string) => new NotFoundException({ path: `/things/${id}`, requestID: 'req_123' });

/**
 * A fake upstream of `total` items item_000 (oldest) .. item_{total-1} (newest): pages newest
 * first, 100 at most, with `after` as WorkOS has it; GETs answer the item or a 404.
 */
function upstream(total: number) {
  const newestFirst: Item[] = Array.from({ length: total }, (_, i) => ({ id: `item_${String(total - 1 - i).padStart(3, '0')}` }));
  const gets: string[] = [];
  const pages: PageParams[] = [];
  const fetchOne = async (id: string): Promise<Item> => {
    gets.push(id);
    const item = newestFirst.find((i) => i.id === id);
    if (!item) throw notFound(id);
    return item;
  };
  const fetchPage = async (params: PageParams): Promise<Page<Item>> => {
    pages.push(params);
    const start = params.after === undefined ? 0 : newestFirst.findIndex((i) => i.id === params.after) + 1;
    const data = newestFirst.slice(start, start + params.limit);
    const more = start + data.length < newestFirst.length;
    return { data, listMetadata: { before: null, after: more ? data[data.length - 1].id : null } };
  };
  return { gets, pages, fetchOne, fetchPage };
}

const id = (n: number) => `item_${String(n).padStart(3, '0')}`;

describe('getOrNull', () => {
  it('answers what the fetch answers', async () => {
    await expect(getOrNull(async () => ({ id: 'a' }))).resolves.toEqual({ id: 'a' });
  });

  it('answers null for a 404', async () => {
    await expect(getOrNull(() => Promise.reject(notFound('x')))).resolves.toBeNull();
  });

  it('answers (not throws) a gateway error for any other failure', async () => {
    const result = await getOrNull(() => Promise.reject(new Error('boom')));
    expect(result).toBeInstanceOf(GatewayError);
    expect((result as GatewayError).code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('oneByOne', () => {
  it('fetches each id and keeps the order, with null and errors in place', async () => {
    const fetch = oneByOne(async (key: string) => {
      if (key === 'missing') throw notFound(key);
      if (key === 'broken') throw new TypeError('fetch failed');
      return { id: key };
    });
    const [a, missing, broken, b] = await fetch(['a', 'missing', 'broken', 'b']);
    expect(a).toEqual({ id: 'a' });
    expect(missing).toBeNull();
    expect((broken as GatewayError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(b).toEqual({ id: 'b' });
  });
});

describe('listThenGet', () => {
  it(`fetches fewer than ${LIST_PLAN_MIN_IDS} ids one by one`, async () => {
    const u = upstream(10);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await expect(load([id(1), id(2)])).resolves.toEqual([{ id: id(1) }, { id: id(2) }]);
    expect(u.pages).toEqual([]);
    expect(u.gets).toEqual([id(1), id(2)]);
  });

  it('answers several ids from one newest-first page of 100', async () => {
    const u = upstream(50);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await expect(load([id(3), id(40), id(7)])).resolves.toEqual([{ id: id(3) }, { id: id(40) }, { id: id(7) }]);
    expect(u.pages).toEqual([{ limit: 100, order: 'desc', after: undefined }]);
    expect(u.gets).toEqual([]);
  });

  it('fetches by itself an id the page did not hold (it may be newer than the page)', async () => {
    const u = upstream(50);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    const result = await load([id(1), id(2), 'item_new']);
    expect(result).toEqual([{ id: id(1) }, { id: id(2) }, null]);
    expect(u.gets).toEqual(['item_new']);
  });

  it('keeps duplicate ids in the order asked', async () => {
    const u = upstream(10);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await expect(load([id(1), id(2), id(1), id(3)])).resolves.toEqual([{ id: id(1) }, { id: id(2) }, { id: id(1) }, { id: id(3) }]);
    expect(u.pages).toHaveLength(1);
  });

  it('pages on while each page answers two or more wanted ids', async () => {
    const u = upstream(350);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    // Newest page: 349..250; second: 249..150; third: 149..50.
    const wanted = [id(300), id(299), id(200), id(199), id(100), id(99), id(98)];
    await expect(load(wanted)).resolves.toEqual(wanted.map((w) => ({ id: w })));
    expect(u.pages.map((p) => p.after)).toEqual([undefined, id(250), id(150)]);
    expect(u.gets).toEqual([]);
  });

  it('stops paging when a page pays for less than two hits, and fetches the rest one by one', async () => {
    const u = upstream(350);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    // First page holds one wanted id: the three older ones go one by one.
    const wanted = [id(300), id(10), id(11), id(12)];
    await expect(load(wanted)).resolves.toEqual(wanted.map((w) => ({ id: w })));
    expect(u.pages).toHaveLength(1);
    expect(u.gets).toEqual([id(10), id(11), id(12)]);
  });

  it('stops paging when fewer than three wanted ids remain', async () => {
    const u = upstream(350);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    const wanted = [id(300), id(299), id(10), id(11)];
    await load(wanted);
    expect(u.pages).toHaveLength(1);
    expect(u.gets).toEqual([id(10), id(11)]);
  });

  it('never lists a covered range twice in the same request', async () => {
    const u = upstream(250);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await load([id(249), id(248), id(247)]);
    expect(u.pages).toHaveLength(1);
    // Covered (>= the page's oldest, item_150) but on no page: GET, no second list.
    const again = await load([id(200), id(201), 'item_999']);
    expect(again).toEqual([{ id: id(200) }, { id: id(201) }, null]);
    expect(u.pages).toHaveLength(1);
    expect(u.gets).toEqual([id(200), id(201), 'item_999']);
  });

  it('continues from the covered range for older ids', async () => {
    const u = upstream(250);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await load([id(249), id(248), id(247)]);
    await load([id(100), id(101), id(102)]);
    expect(u.pages.map((p) => p.after)).toEqual([undefined, id(150)]);
    expect(u.gets).toEqual([]);
  });

  it('lists nothing more once a page reached the end of the list', async () => {
    const u = upstream(20);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await load([id(1), id(2), id(3)]);
    await load([id(4), id(5), id(6)]);
    expect(u.pages).toHaveLength(1);
    expect(u.gets).toEqual([id(4), id(5), id(6)]);
  });

  it('after two single GETs, even one more id goes to the list', async () => {
    const u = upstream(20);
    const load = listThenGet(u.fetchOne, u.fetchPage);
    await load([id(1)]);
    await load([id(2)]);
    expect(u.pages).toHaveLength(0);
    await expect(load([id(3)])).resolves.toEqual([{ id: id(3) }]);
    expect(u.pages).toHaveLength(1);
    expect(u.gets).toEqual([id(1), id(2)]);
  });

  it('falls back to one by one when the list fails', async () => {
    const u = upstream(20);
    const load = listThenGet(u.fetchOne, () => Promise.reject(new TypeError('fetch failed')));
    await expect(load([id(1), id(2), id(3)])).resolves.toEqual([{ id: id(1) }, { id: id(2) }, { id: id(3) }]);
    expect(u.gets).toEqual([id(1), id(2), id(3)]);
  });

  it('keeps a failed GET with its own id', async () => {
    const u = upstream(20);
    const fetchOne = async (key: string): Promise<Item> => {
      if (key === 'item_bad') throw new TypeError('fetch failed');
      return u.fetchOne(key);
    };
    const load = listThenGet(fetchOne, u.fetchPage);
    const [a, b, bad, c] = await load([id(1), id(2), 'item_bad', id(3)]);
    expect([a, b, c]).toEqual([{ id: id(1) }, { id: id(2) }, { id: id(3) }]);
    expect(bad).toBeInstanceOf(GatewayError);
    expect((bad as GatewayError).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
