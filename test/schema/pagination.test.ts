import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { post } from '../kit/http.ts';

let stack: Stack;
let userIdsNewestFirst: string[];

beforeAll(async () => {
  stack = await startStack({ emulator: { seed: { organizations: 20, users: 260 } } });
  userIdsNewestFirst = [...stack.emulator.store.users.keys()].sort().reverse();
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

interface Conn {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function users(args: string): Promise<Conn> {
  const { body } = await post(
    stack.url,
    `{ users(${args}) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
  );
  expect(body.errors).toBeUndefined();
  return body.data?.users as Conn;
}

const ids = (c: Conn) => c.edges.map((e) => e.node.id);

describe('Relay pagination over WorkOS cursors', () => {
  it('walks forward with first/after through every user exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Conn = await users(`first: 50${after ? `, after: "${after}"` : ''}`);
      seen.push(...ids(page));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(userIdsNewestFirst);
  });

  it('walks backward with last/before', async () => {
    const tail = await users('last: 40');
    expect(ids(tail)).toEqual(userIdsNewestFirst.slice(-40));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const before = await users(`last: 30, before: "${tail.pageInfo.startCursor}"`);
    expect(ids(before)).toEqual(userIdsNewestFirst.slice(-70, -40));
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const head = await users(`last: 30, before: "${userIdsNewestFirst[10]}"`);
    expect(ids(head)).toEqual(userIdsNewestFirst.slice(0, 10));
    expect(head.pageInfo.hasPreviousPage).toBe(false);
  });

  it('serves first above the WorkOS page limit from several upstream pages', async () => {
    const page = await users('first: 150');
    expect(ids(page)).toEqual(userIdsNewestFirst.slice(0, 150));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(stack.calls()['GET /user_management/users']).toBe(2);

    stack.resetCalls();
    const all = await users('first: 500');
    expect(ids(all)).toEqual(userIdsNewestFirst);
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(stack.calls()['GET /user_management/users']).toBe(3);
  });

  it('serves last above the page limit backwards from a cursor', async () => {
    const page = await users(`last: 120, before: "${userIdsNewestFirst[200]}"`);
    expect(ids(page)).toEqual(userIdsNewestFirst.slice(80, 200));
    expect(stack.calls()['GET /user_management/users']).toBe(2);
  });

  it.each<[string, () => string, string]>([
    ['first above the largest page', () => 'first: 501', 'at most 500'],
    ['first: 0', () => 'first: 0', 'positive'],
    ['a negative first', () => 'first: -3', 'positive'],
    ['first with last', () => 'first: 5, last: 5', 'not both'],
    ['last with after', () => `last: 5, after: "${userIdsNewestFirst[3]}"`, 'cannot be combined'],
  ])('refuses %s before any upstream call', async (_what, args, text) => {
    const { body } = await post(stack.url, `{ users(${args()}) { edges { cursor } } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain(text);
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a page size of the wrong type before any upstream call', async () => {
    const wrongType = await post(stack.url, `{ users(first: "ten") { edges { cursor } } }`);
    expect(wrongType.body.errors?.[0]?.message).toMatch(/Int/);
    expect(stack.totalCalls()).toBe(0);
  });
});
