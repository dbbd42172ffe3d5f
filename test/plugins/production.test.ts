import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, seeded, send, tokenFor } from '../kit/callers.ts';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('NODE_ENV=production with defaults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack.close());

  it('introspection is off, with or without a token', async () => {
    for (const token of [null, stack.serviceToken]) {
      const { body } = await send(stack, token, INTROSPECTION);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].message).toMatch(/introspection/i);
    }
  });

  it('no GraphiQL page', async () => {
    const res = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('GraphiQL');
    const asset = await fetch(new URL('/graphiql/assets/graphiql.css', stack.url));
    expect(asset.status).not.toBe(200);
  });

  it('CSRF: a GET without a preflight-forcing header is refused; with one it runs', async () => {
    const url = `${stack.url}?query=${encodeURIComponent('{ viewer { kind } }')}`;
    const plain = await fetch(url, { headers: { authorization: `Bearer ${stack.serviceToken}` } });
    expect(plain.status).toBe(403);
    const marked = await fetch(url, { headers: { authorization: `Bearer ${stack.serviceToken}`, 'x-graphql-yoga-csrf': '1' } });
    expect(marked.status).toBe(200);
  });

  it('CORS: no cross-origin access without an allow-list', async () => {
    const res = await fetch(stack.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('misspelt fields get no suggestions that would spell out the schema', async () => {
    const { body } = await send(stack, stack.serviceToken, '{ organizatio(id: "x") { id } }');
    expect(JSON.stringify(body)).not.toMatch(/did you mean/i);
  });

  it.each<[string, string, Record<string, unknown> | undefined]>([
    ['a misspelt enum value in the document', '{ organizations { edges { node { memberships(statuses: [ACTIV]) { edges { node { id } } } } } } }', undefined],
    [
      'a misspelt enum value in a variable',
      'query($s: [OrganizationMembershipStatus!]) { organizations { edges { node { memberships(statuses: $s) { edges { node { id } } } } } } }',
      { s: ['ACTIV'] },
    ],
    [
      'a misspelt input field in a variable',
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { __typename } }',
      { input: { name: 'X', domain: [{ domain: 'x.test' }] } },
    ],
    ['a misspelt argument', '{ organizations(frist: 2) { edges { node { id } } } }', undefined],
    ['a misspelt type in a fragment', '{ organizations { edges { node { ... on Organisation { id } } } } }', undefined],
  ])('%s gets no suggestion either', async (_what, query, variables) => {
    const { body } = await send(stack, stack.serviceToken, query, variables);
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/did you mean/i);
    // Refused as the caller's input, still saying what is wrong.
    expect(codes(body).every((code) => code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(body.errors?.[0].message).toMatch(/ACTIV|domain|frist|Organisation/);
  });

  it('an unexpected upstream failure is masked', async () => {
    const s = seeded(stack);
    stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 500, body: { message: 'stack trace at db.internal:5432' } });
    const { body } = await send(stack, stack.serviceToken, `{ organization(id: "${s.acme.id}") { name } }`);
    stack.emulator.faults.clear();
    expect(JSON.stringify(body)).not.toContain('db.internal');
    expect(codes(body).length).toBe(1);
  });
});

describe('NODE_ENV=production with introspection, GraphiQL and an origin enabled', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { NODE_ENV: 'production', GATEWAY_INTROSPECTION: 'true', GATEWAY_GRAPHIQL: 'true', GATEWAY_CORS_ORIGINS: 'https://app.example.com' },
    });
  });
  afterAll(() => stack.close());

  it('introspection for signed-in callers only', async () => {
    expect((await send(stack, null, INTROSPECTION)).body.data ?? null).toBeNull();
    const forged = await send(stack, 'not-a-real-token', INTROSPECTION);
    expect(forged.status).toBe(401);
    expect(forged.body.data ?? null).toBeNull();
    expect((await send(stack, stack.serviceToken, INTROSPECTION)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const user = await tokenFor(stack, seeded(stack).bob.id);
    expect((await send(stack, user, INTROSPECTION)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('GraphiQL is served', async () => {
    const res = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(await res.text()).toContain('GraphiQL');
  });

  it('CORS answers the allowed origin and not another', async () => {
    const preflight = (origin: string) =>
      fetch(stack.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    expect((await preflight('https://app.example.com')).headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});
