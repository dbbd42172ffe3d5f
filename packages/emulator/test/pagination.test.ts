import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayParam, paginate, parsePageParams } from '../src/pagination.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { api } from './helpers.ts';

const items = Array.from({ length: 25 }, (_, i) => ({ id: `obj_${String(i).padStart(3, '0')}` }));
const params = (q: string) => parsePageParams(new URLSearchParams(q));
const ids = (q: string) => paginate(items, params(q));

describe('paginate', () => {
  it('defaults to 10, newest first', () => {
    const page = ids('');
    expect(page.data.map((x) => x.id)).toEqual(items.slice(15).reverse().map((x) => x.id));
    expect(page.list_metadata).toEqual({ before: null, after: 'obj_015' });
  });

  it('walks forward with after and back with before (desc)', () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = ids(`limit=10${after ? `&after=${after}` : ''}`);
      seen.push(...page.data.map((x) => x.id));
      after = page.list_metadata.after;
    } while (after);
    expect(seen).toEqual(items.map((x) => x.id).reverse());

    const last = ids('limit=10&after=obj_005');
    expect(last.data.map((x) => x.id)).toEqual(['obj_004', 'obj_003', 'obj_002', 'obj_001', 'obj_000']);
    expect(last.list_metadata).toEqual({ before: 'obj_004', after: null });

    const back = ids('limit=3&before=obj_004');
    expect(back.data.map((x) => x.id)).toEqual(['obj_007', 'obj_006', 'obj_005']);
    expect(back.list_metadata).toEqual({ before: 'obj_007', after: 'obj_005' });

    const top = ids('limit=10&before=obj_020');
    expect(top.data.map((x) => x.id)).toEqual(['obj_024', 'obj_023', 'obj_022', 'obj_021']);
    expect(top.list_metadata.before).toBeNull();
  });

  it('asc pages oldest first; normal swaps the cursor meaning', () => {
    const asc = ids('order=asc&limit=5&after=obj_010');
    expect(asc.data.map((x) => x.id)).toEqual(['obj_011', 'obj_012', 'obj_013', 'obj_014', 'obj_015']);
    expect(asc.list_metadata).toEqual({ before: 'obj_011', after: 'obj_015' });

    const normal = ids('order=normal&limit=3&before=obj_010');
    expect(normal.data.map((x) => x.id)).toEqual(['obj_009', 'obj_008', 'obj_007']);
    expect(normal.list_metadata).toEqual({ before: 'obj_007', after: 'obj_009' });
    const newer = ids('order=normal&limit=3&after=obj_010');
    expect(newer.data.map((x) => x.id)).toEqual(['obj_013', 'obj_012', 'obj_011']);
  });

  it('keeps a cursor valid after its object is gone', () => {
    const page = paginate(items.filter((x) => x.id !== 'obj_010'), params('limit=2&after=obj_010'));
    expect(page.data.map((x) => x.id)).toEqual(['obj_009', 'obj_008']);
  });

  it('rejects limits outside 1..100 and unknown orders with 422', () => {
    for (const bad of ['limit=0', 'limit=101', 'limit=-1', 'limit=abc', 'limit=1.5', 'order=sideways']) {
      expect(() => params(bad), bad).toThrowError(expect.objectContaining({ status: 422 }) as Error);
    }
    expect(params('limit=100').limit).toBe(100);
    expect(params('limit=1').limit).toBe(1);
  });

  it('splits comma lists and accepts repeated and [] forms', () => {
    expect(arrayParam(new URLSearchParams('statuses=active%2Cpending'), 'statuses')).toEqual(['active', 'pending']);
    expect(arrayParam(new URLSearchParams('statuses=active&statuses=inactive'), 'statuses')).toEqual(['active', 'inactive']);
    expect(arrayParam(new URLSearchParams('statuses[]=a&statuses[]=b,c'), 'statuses')).toEqual(['a', 'b', 'c']);
    expect(arrayParam(new URLSearchParams(''), 'statuses')).toBeUndefined();
  });
});

describe('pagination over HTTP', () => {
  let em: EmulatorHandle;
  beforeAll(async () => {
    em = await startEmulator({ rateLimits: false, seed: { users: 250 } });
  });
  afterAll(async () => {
    await em?.close();
  });

  it('walks every user forward and backward with cursors', async () => {
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await api(em, 'GET', `/user_management/users?limit=100${after ? `&after=${after}` : ''}`);
      const body = res.body as { data: { id: string }[]; list_metadata: { before: string | null; after: string | null } };
      forward.push(...body.data.map((u) => u.id));
      after = body.list_metadata.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(forward).toHaveLength(252);
    expect(new Set(forward).size).toBe(252);
    expect([...forward].sort().reverse()).toEqual(forward);

    const backward: string[] = [];
    let before: string | null = forward[forward.length - 1];
    while (before) {
      const res = await api(em, 'GET', `/user_management/users?limit=40&before=${before}`);
      const body = res.body as { data: { id: string }[]; list_metadata: { before: string | null } };
      backward.unshift(...body.data.map((u) => u.id));
      before = body.list_metadata.before;
    }
    expect(backward).toEqual(forward.slice(0, -1));
  });

  it('answers 422 for limit=101 and filters with comma-joined domains', async () => {
    const res = await api(em, 'GET', '/organizations?limit=101');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'invalid_request_parameters', errors: [{ field: 'limit', code: 'out_of_range' }] });

    const both = await api(em, 'GET', '/organizations?domains=acme.test%2Chooli.test');
    expect((both.body as { data: { name: string }[] }).data.map((o) => o.name).sort()).toEqual(['Acme Corp', 'Hooli']);
    const repeated = await api(em, 'GET', '/organizations?domains=acme.test&domains=hooli.test');
    expect((repeated.body as { data: unknown[] }).data).toHaveLength(2);
  });
});
