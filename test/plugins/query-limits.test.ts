import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/plugins/query-cost.ts';
import { buildSchema } from '../../src/schema/index.ts';
import { parse } from 'graphql';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, send } from '../kit/callers.ts';

const cost = (query: string, variables?: Record<string, unknown>) => estimateCost({ schema: buildSchema(), document: parse(query), variables });

describe('the cost estimate', () => {
  it('a connection costs its pages plus its size times each item', () => {
    expect(cost('{ organizations { edges { node { id name } } } }')).toBe(1 + 10);
    expect(cost('{ organizations(first: 5) { edges { node { memberships(first: 20) { edges { node { user { email } organization { id } } } } } } } }')).toBe(
      // organizations: 1 page + 5 loads through... (per item 1) + 5 × memberships (1 page + 20 × organization 1; the user comes with the page)
      1 + 5 * (1 + (1 + 20 * 1)),
    );
    expect(cost('{ users(first: 250) { edges { node { id } } } }')).toBe(3);
  });

  it('reads page sizes from variables, and counts nodes by ids', () => {
    expect(cost('query($n: Int) { users(first: $n) { edges { node { id } } } }', { n: 40 })).toBe(1);
    expect(cost('query($n: Int) { directories(last: $n) { edges { node { users { edges { node { id } } } } } } }', { n: 30 })).toBe(1 + 30 * 1);
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(3);
  });

  it('fragments count in full', () => {
    expect(cost('query { organization(id: "x") { ...F ... on Organization { users(first: 2) { edges { node { id } } } } } } fragment F on Organization { directories(first: 3) { edges { node { organization { id } } } } }')).toBe(
      1 + (1 + 3 * 1) + 1,
    );
  });
});

/** A gateway with tight limits, so each is easy to exceed. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { GATEWAY_MAX_DEPTH: '8', GATEWAY_MAX_ALIASES: '3', GATEWAY_MAX_TOKENS: '300', GATEWAY_MAX_QUERY_COST: '200', GATEWAY_MAX_BODY_BYTES: '4000' },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

describe('queries over a limit are refused before anything runs', () => {
  it('depth', async () => {
    const deep = '{ organizations { edges { node { memberships { edges { node { user { organizations { edges { node { id } } } } } } } } } } }';
    const { status, body } = await send(stack, stack.serviceToken, deep);
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toMatch(/depth limit of 8/i);
    expect(stack.totalCalls()).toBe(0);
  });

  it('aliases', async () => {
    const { status, body } = await send(stack, stack.serviceToken, '{ a: viewer { kind } b: viewer { kind } c: viewer { kind } d: viewer { kind } }');
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toMatch(/alias/i);
    expect(stack.totalCalls()).toBe(0);
  });

  it('tokens', async () => {
    const fields = Array.from({ length: 400 }, () => 'a').join(' ');
    // A parse failure: 400 for graphql-response+json clients, 200 for plain JSON ones (GraphQL over HTTP).
    const { body } = await send(stack, stack.serviceToken, `{ ${fields} }`);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toMatch(/token limit of 300/i);
  });

  it('upstream cost: the refusal states the estimate and the budget', async () => {
    const { status, body } = await send(
      stack,
      stack.serviceToken,
      'query($n: Int) { organizations(first: $n) { edges { node { users(first: 10) { edges { node { id } } } } } } }',
      { n: 100 },
    );
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    // 1 page of organizations + 100 × (1 load + 1 page of users, whose ids cost nothing more)
    expect(body.errors?.[0].extensions?.cost).toEqual({ estimate: 201, budget: 200 });
    expect(body.errors?.[0].message).toContain('up to 201 WorkOS calls; the budget is 200');
    expect(stack.totalCalls()).toBe(0);
  });

  it('upstream cost far over the budget, and a cheap query under it', async () => {
    const big = await send(stack, stack.serviceToken, '{ organizations(first: 100) { edges { node { users(first: 100) { edges { node { id } } } } } } }');
    expect(big.status).toBe(400);
    expect(big.body.errors?.[0].extensions?.cost).toMatchObject({ budget: 200 });
    expect(stack.totalCalls()).toBe(0);

    const small = await send(stack, stack.serviceToken, '{ organizations(first: 3) { edges { node { name } } } }');
    expect(small.body.errors).toBeUndefined();
  });

  it('a body over the size limit is refused unread', async () => {
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.serviceToken}` },
      body: JSON.stringify({ query: '{ viewer { kind } }', variables: { padding: 'x'.repeat(5000) } }),
    });
    expect(res.status).toBe(413);
    expect(stack.totalCalls()).toBe(0);
  });
});
