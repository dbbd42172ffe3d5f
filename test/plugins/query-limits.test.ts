import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, send } from '../kit/callers.ts';

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
      'query($n: Int) { organizations(first: $n) { edges { node { users(first: 10) { edges { node { id } } } directories(first: 5) { edges { node { id } } } } } } }',
      { n: 100 },
    );
    expect(status).toBe(400);
    // Its own code: the input is well-formed, the operation is too big.
    expect(codes(body)).toEqual(['MAX_COST_EXCEEDED']);
    // 1 page of organizations + 100 × (1 page of users + 1 of directories; their ids cost nothing more)
    expect(body.errors?.[0].extensions?.cost).toEqual({ estimate: 201, budget: 200 });
    expect(body.errors?.[0].message).toContain('up to 201 WorkOS calls; the budget is 200');
    expect(body.extensions?.cost).toMatchObject({ estimate: 201, calls: 0, budget: 200 });
    expect(stack.totalCalls()).toBe(0);
  });

  it('a default value of a variable counts like a value sent', async () => {
    const { status, body } = await send(
      stack,
      stack.serviceToken,
      'query($n: Int = 100) { organizations(first: $n) { edges { node { users(first: 10) { edges { node { id } } } directories(first: 5) { edges { node { id } } } } } } }',
    );
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.cost).toEqual({ estimate: 201, budget: 200 });
    expect(stack.totalCalls()).toBe(0);
  });

  it('upstream cost far over the budget, and a cheap query under it', async () => {
    const big = await send(stack, stack.serviceToken, '{ organizations(first: 100) { edges { node { users(first: 100) { edges { node { id } } } directories { edges { node { id } } } ssoConnections { edges { node { id } } } } } } }');
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
