// @vitest-environment jsdom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { parse } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { createElement, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGatewayClient,
  extensionsOf,
  GatewayClientProvider,
  GatewayRequestError,
  useGraphQLQuery,
  useGraphQLSubscription,
  useOrganizationDetailQuery,
  useViewerQuery,
  OrganizationDetailDocument,
  OrganizationListDocument,
  ViewerDocument,
  type GatewayClient,
  type GatewayResult,
} from '@workos-graphql-gateway/client';
import { seeded, tokenFor } from '../kit/callers.ts';
import { startEventsStack, upstream, waitFor as waitUntil } from '../kit/events.ts';
import { bearer } from '../kit/http.ts';
import { startStack, type Stack } from '../kit/stack.ts';

/**
 * The fetch client and hooks against the real gateway: one refresh for every request a lapsed
 * token got refused, the default retry rule (no retries for refusals, RATE_LIMITED after its
 * retryAfter), response extensions, and subscriptions over server-sent events.
 */
const WAIT = { timeout: 10_000 };
afterEach(cleanup);

/** A fetch that counts the requests it sends. */
function countingFetch() {
  const sent = { count: 0 };
  const fetchFn: typeof fetch = (input, init) => {
    sent.count += 1;
    return fetch(input, init);
  };
  return { sent, fetchFn };
}

function wrapperFor(client: GatewayClient, queryClient = new QueryClient()) {
  return ({ children }: { children: ReactNode }) =>
    createElement(QueryClientProvider, { client: queryClient }, createElement(GatewayClientProvider, { client }, children));
}

describe('against the gateway', () => {
  let stack: Stack;
  let s: ReturnType<typeof seeded>;
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_UPSTREAM_ATTEMPTS: '1' } });
    s = seeded(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.faults.clear();
    stack.resetCalls();
  });

  describe('token refresh', () => {
    // Bob is a member of one organization only, so the password signs him in without an organization selection step.
    const SIGN_IN =
      'mutation SignIn { signInWithPassword(input: { email: "bob@acme.test", password: "Password123!" }) { __typename ... on AuthenticationPayload { accessToken refreshToken } } }';
    const REFRESH = 'mutation Refresh($token: String) { refreshSession(input: { refreshToken: $token }) { ... on AuthenticationPayload { accessToken refreshToken } } }';

    async function signedIn() {
      const signIn = createGatewayClient({ url: stack.url });
      const { signInWithPassword } = await signIn.request(
        parse(SIGN_IN) as TypedDocumentNode<{ signInWithPassword: { __typename: string; accessToken: string; refreshToken: string } }, Record<string, never>>,
        {},
      );
      if (signInWithPassword.__typename !== 'AuthenticationPayload') throw new Error(`signing in answered ${signInWithPassword.__typename}`);
      return signInWithPassword;
    }

    it('refreshes once for all the requests refused together, then sends each again', async () => {
      const tokens = await signedIn();
      const { sid } = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString()) as { sid: string };
      // The access token the app holds has lapsed; its refresh token is still good.
      let accessToken = await stack.emulator.issueAccessToken({ userId: s.bob.id, organizationId: s.acme.id, sessionId: sid, ttlSeconds: -60 });
      let refreshes = 0;
      const { sent, fetchFn } = countingFetch();
      const client = createGatewayClient({
        url: stack.url,
        fetch: fetchFn,
        headers: () => bearer(accessToken),
        refresh: async () => {
          refreshes += 1;
          const plain = createGatewayClient({ url: stack.url });
          const { refreshSession } = await plain.request(parse(REFRESH) as TypedDocumentNode<{ refreshSession: { accessToken: string } }, { token: string }>, { token: tokens.refreshToken });
          accessToken = refreshSession.accessToken;
          return true;
        },
      });
      stack.resetCalls();

      const results = await Promise.all(Array.from({ length: 6 }, () => client.request(ViewerDocument, {})));
      expect(results.map((r) => r.viewer.user?.email)).toEqual(Array(6).fill('bob@acme.test'));
      expect(refreshes).toBe(1);
      // Six refused, six sent again; the refresh itself went through another client.
      expect(sent.count).toBe(12);
      expect(stack.calls()['POST /user_management/authenticate']).toBe(1);
    });

    it('when the refresh gives up, each refused request fails with its UNAUTHENTICATED error, sent once', async () => {
      let refreshes = 0;
      const { sent, fetchFn } = countingFetch();
      const expired = await tokenFor(stack, s.bob.id, { ttlSeconds: -60 });
      const client = createGatewayClient({ url: stack.url, fetch: fetchFn, headers: bearer(expired), refresh: async () => (refreshes++, false) });
      const errors = await Promise.all([client.request(ViewerDocument, {}), client.request(ViewerDocument, {})].map((p) => p.catch((e: unknown) => e)));
      for (const error of errors) {
        expect(error).toBeInstanceOf(GatewayRequestError);
        expect((error as GatewayRequestError).status).toBe(401);
        expect((error as GatewayRequestError).codes).toEqual(['UNAUTHENTICATED']);
      }
      expect(refreshes).toBe(1);
      expect(sent.count).toBe(2);
    });
  });

  it('the gateway’s extensions.cost comes with execute(), with extensionsOf(data) and with errors', async () => {
    const client = createGatewayClient({ url: stack.url, headers: bearer(stack.serviceToken) });
    stack.resetCalls();
    const result = await client.execute(OrganizationListDocument, { first: 3 });
    expect(result.extensions?.cost).toMatchObject({ estimate: 1, calls: stack.totalCalls() });
    expect(extensionsOf(result.data)).toBe(result.extensions);
    const error = await client.request(OrganizationDetailDocument, { id: 'not-an-id' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect((error as GatewayRequestError).cost).toMatchObject({ calls: 0 });
  });

  describe('the default retry rule', () => {
    type Hook = () => { isError: boolean; error: GatewayRequestError | null; failureCount: number };
    it.each<[string, () => Record<string, string> | undefined, Hook]>([
      ['UNAUTHENTICATED', () => undefined, () => useViewerQuery()],
      ['BAD_USER_INPUT', () => bearer(stack.serviceToken), () => useOrganizationDetailQuery({ id: 'not-an-id' })],
    ])('%s is not retried: one request, even with TanStack Query’s own defaults', async (code, headers, hook) => {
      const { sent, fetchFn } = countingFetch();
      const client = createGatewayClient({ url: stack.url, fetch: fetchFn, headers: headers() });
      const { result } = renderHook(hook, { wrapper: wrapperFor(client) });
      await waitFor(() => expect(result.current.isError).toBe(true), WAIT);
      expect(result.current.error?.codes).toEqual([code]);
      expect(result.current.failureCount).toBe(1);
      expect(sent.count).toBe(1);
    });

    it('FORBIDDEN is not retried', async () => {
      const FORBIDDEN = parse('query Directories { directories(first: 5) { edges { node { id } } } }') as TypedDocumentNode<unknown, Record<string, never>>;
      const { sent, fetchFn } = countingFetch();
      const client = createGatewayClient({ url: stack.url, fetch: fetchFn, headers: bearer(await tokenFor(stack, s.bob.id)) });
      const { result } = renderHook(() => useGraphQLQuery(FORBIDDEN, {}), { wrapper: wrapperFor(client) });
      await waitFor(() => expect(result.current.isError).toBe(true), WAIT);
      expect(result.current.error?.codes).toEqual(['FORBIDDEN']);
      expect(sent.count).toBe(1);
    });

    it('RATE_LIMITED is retried after its retryAfter, which the error exposes', async () => {
      stack.emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 1, times: 1 });
      const { sent, fetchFn } = countingFetch();
      const client = createGatewayClient({ url: stack.url, fetch: fetchFn, headers: bearer(stack.serviceToken) });
      const { result } = renderHook(() => useOrganizationDetailQuery({ id: s.acme.id }), { wrapper: wrapperFor(client) });
      await waitFor(() => expect(result.current.failureCount).toBe(1), WAIT);
      expect(result.current.failureReason?.codes).toContain('RATE_LIMITED');
      expect(result.current.failureReason?.retryAfter).toBe(1);
      await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
      expect(result.current.data?.organization?.name).toBe('Acme Corp');
      expect(sent.count).toBe(2);
    });

    it('a QueryClient’s own retry setting wins over the rule', async () => {
      const { sent, fetchFn } = countingFetch();
      const client = createGatewayClient({ url: stack.url, fetch: fetchFn });
      const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, retryDelay: 0 } } });
      const { result } = renderHook(() => useViewerQuery(), { wrapper: wrapperFor(client, queryClient) });
      await waitFor(() => expect(result.current.isError).toBe(true), WAIT);
      expect(sent.count).toBe(2);
    });
  });
});

describe('response extensions', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A GraphQL server that reports a cost, as the gateway's `extensions.cost` does.
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { hello: String!, broken: String }', resolvers: { Query: { hello: () => 'hi', broken: () => { throw new Error('no'); } } } }),
      maskedErrors: false,
      logging: false,
      plugins: [{ onExecutionResult: ({ result, setResult }) => void setResult({ ...(result as object), extensions: { cost: { estimate: 3, calls: 2, limit: 1000 } } }) }],
    });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const HELLO = parse('query Hello { hello }') as TypedDocumentNode<{ hello: string }, Record<string, never>>;

  it('come with execute(), with extensionsOf(data) for a hook’s data, and with onResult', async () => {
    const seen: unknown[] = [];
    const client = createGatewayClient({ url, onResult: ({ operationName, extensions }) => seen.push({ operationName, extensions }) });
    const result: GatewayResult<{ hello: string }> = await client.execute(HELLO, {});
    expect(result).toEqual({ data: { hello: 'hi' }, extensions: { cost: { estimate: 3, calls: 2, limit: 1000 } } });
    expect(extensionsOf(result.data)?.cost).toEqual({ estimate: 3, calls: 2, limit: 1000 });
    expect(seen).toEqual([{ operationName: 'Hello', extensions: { cost: { estimate: 3, calls: 2, limit: 1000 } } }]);

    const { result: hook } = renderHook(() => useGraphQLQuery(HELLO, {}), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(hook.current.isSuccess).toBe(true), WAIT);
    expect(extensionsOf(hook.current.data)?.cost?.calls).toBe(2);
  });

  it('and with errors', async () => {
    const client = createGatewayClient({ url });
    const error = await client.request(parse('query Broken { broken }') as TypedDocumentNode<unknown, Record<string, never>>, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect((error as GatewayRequestError).cost).toEqual({ estimate: 3, calls: 2, limit: 1000 });
  });
});

describe('subscriptions over server-sent events', () => {
  let stack: Stack;
  let s: ReturnType<typeof seeded>;
  beforeAll(async () => {
    stack = await startEventsStack();
    s = seeded(stack);
  });
  afterAll(() => stack.close());

  type Events = { workosEvents: { type: string; organizationId: string | null; data: { name?: string } } };
  const EVENTS = parse('subscription Events($types: [String!]) { workosEvents(types: $types) { type organizationId data } }') as TypedDocumentNode<Events, { types?: string[] }>;

  it('client.subscribe sends the client’s headers, reports when it is open, and delivers each event until ended', async () => {
    const received: GatewayResult<Events>[] = [];
    let connected = false;
    let completed = false;
    const client = createGatewayClient({ url: stack.url, headers: bearer(stack.serviceToken) });
    const stop = client.subscribe(EVENTS, { types: ['organization.updated'] }, {
      connected: () => (connected = true),
      next: (result) => received.push(result),
      error: (error) => {
        throw error;
      },
      complete: () => (completed = true),
    });
    await waitUntil(() => connected, 5_000, 'the subscription to open');
    // The gateway hears of the change by webhook; repeat it until the event arrives (bounded).
    for (let i = 0; i < 20 && received.length === 0; i++) {
      await upstream(stack.emulator, 'PUT', `/organizations/${s.acme.id}`, { name: `Acme Live ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(received[0].data.workosEvents).toMatchObject({ type: 'organization.updated', organizationId: s.acme.id });
    stop();
    expect(completed).toBe(false);
  });

  it('a refused subscription fails at once with the gateway’s error and is not opened again', async () => {
    const { sent, fetchFn } = countingFetch();
    const client = createGatewayClient({ url: stack.url, fetch: fetchFn, headers: bearer(await tokenFor(stack, s.bob.id, { ttlSeconds: -60 })) });
    const error = await new Promise<GatewayRequestError>((resolve) => {
      client.subscribe(EVENTS, {}, { next: () => undefined, error: resolve, complete: () => undefined });
    });
    expect(error.status).toBe(401);
    expect(error.codes).toEqual(['UNAUTHENTICATED']);
    expect(sent.count).toBe(1);
  });

  it('useGraphQLSubscription keeps the latest event and calls onData with each', async () => {
    const seen: string[] = [];
    const client = createGatewayClient({ url: stack.url, headers: bearer(stack.serviceToken) });
    const { result, unmount } = renderHook(
      () => useGraphQLSubscription(EVENTS, { types: ['organization.updated'] }, { onData: (data) => seen.push(data.workosEvents.data.name ?? '') }),
      { wrapper: wrapperFor(client) },
    );
    await waitFor(() => expect(result.current.status).toBe('open'), WAIT);
    for (let i = 0; i < 20 && seen.length === 0; i++) {
      await upstream(stack.emulator, 'PUT', `/organizations/${s.globex.id}`, { name: `Globex Live ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitFor(() => expect(result.current.data?.workosEvents.organizationId).toBe(s.globex.id), WAIT);
    expect(seen[0]).toMatch(/^Globex Live/);
    unmount();
  });
});
