// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatewayClient,
  GatewayClientProvider,
  GatewayRequestError,
  useAuditLogExportStatusQuery,
  useCreateOrganizationMutation,
  useOrganizationDetailQuery,
  useMyOrganizationsInfiniteQuery,
  useOrganizationListInfiniteQuery,
  useOrganizationMembersInfiniteQuery,
  useRequestAuditLogExportMutation,
} from '@workos-graphql-gateway/client';
import { tokenFor } from '../kit/callers.ts';
import { startStack, type Stack } from '../kit/stack.ts';
import { bearer } from '../kit/http.ts';

/** The generated hooks, rendered in a DOM, against the real gateway and emulator. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { exportDelayMs: 100 } });
});
afterAll(() => stack.close());
afterEach(cleanup);

function wrapper(token = stack.serviceToken): (props: { children: ReactNode }) => ReactNode {
  // No retries: an error must show at once, not after three attempts.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const client = createGatewayClient({ url: stack.url, headers: () => bearer(token) });
  return ({ children }) => createElement(QueryClientProvider, { client: queryClient }, createElement(GatewayClientProvider, { client }, children));
}

/** waitFor gives up after 1 s by default: too short for a first request on a busy machine. */
const WAIT = { timeout: 10_000 };

const acme = () => [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Acme Corp')!;

describe('query hooks', () => {
  it('go from loading to typed data', async () => {
    const { result } = renderHook(() => useOrganizationDetailQuery({ id: acme().id }), { wrapper: wrapper() });
    expect(result.current.isPending).toBe(true);
    expect(result.current.data).toBeUndefined();
    await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
    expect(result.current.data?.organization?.name).toBe('Acme Corp');
    const emails = result.current.data?.organization?.memberships?.edges.map((e) => e.node.user?.email);
    expect(emails).toContain('alice@acme.test');
  });

  it('surface a malformed id as a BAD_USER_INPUT error', async () => {
    stack.resetCalls();
    const { result } = renderHook(() => useOrganizationDetailQuery({ id: 'not-an-id' }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isError).toBe(true), WAIT);
    expect(result.current.error).toBeInstanceOf(GatewayRequestError);
    expect(result.current.error?.codes).toContain('BAD_USER_INPUT');
    expect(result.current.error?.message).toBeTruthy();
    expect(result.current.data).toBeUndefined();
    expect(stack.totalCalls()).toBe(0);
  });

  it('page with fetchNextPage until the last page', async () => {
    const { result } = renderHook(() => useOrganizationListInfiniteQuery({ first: 8 }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
    expect(result.current.data?.pages).toHaveLength(1);
    expect(result.current.hasNextPage).toBe(true);

    for (let i = 0; i < 10 && result.current.hasNextPage; i++) {
      await act(() => result.current.fetchNextPage());
    }
    const total = stack.emulator.store.organizations.size;
    const pages = result.current.data?.pages ?? [];
    expect(pages).toHaveLength(Math.ceil(total / 8));
    expect(result.current.hasNextPage).toBe(false);
    const ids = pages.flatMap((p) => p.organizations?.edges.map((e) => e.node.id) ?? []);
    expect(ids).toEqual([...stack.emulator.store.organizations.keys()].sort().reverse());
    expect(result.current.data?.pageParams[0]).toBeNull();
    expect(result.current.data?.pageParams[1]).toBe(pages[0].organizations?.pageInfo.endCursor);
  });
});

describe('mutation hooks', () => {
  it('return the typed result union', async () => {
    const { result } = renderHook(() => useCreateOrganizationMutation(), { wrapper: wrapper() });
    await act(() => result.current.mutateAsync({ input: { name: 'Hooked Co' } }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
    const created = result.current.data?.createOrganization;
    expect(created?.__typename).toBe('OrganizationPayload');
    if (created?.__typename === 'OrganizationPayload') expect(stack.emulator.store.organizations.get(created.organization.id)?.name).toBe('Hooked Co');
  });

  it('request an audit log export that a query then polls until READY', async () => {
    const Wrapper = wrapper();
    const request = renderHook(() => useRequestAuditLogExportMutation(), { wrapper: Wrapper });
    const { createAuditLogExport } = await act(() =>
      request.result.current.mutateAsync({ input: { organizationId: acme().id, rangeStart: '2020-01-01T00:00:00Z', rangeEnd: '2030-01-01T00:00:00Z' } }),
    );
    if (createAuditLogExport.__typename !== 'AuditLogExportPayload') throw new Error(createAuditLogExport.__typename);
    const { id } = createAuditLogExport.auditLogExport;

    const poll = renderHook(
      () => useAuditLogExportStatusQuery({ id }, { refetchInterval: (query) => (query.state.data?.auditLogExport?.state === 'PENDING' ? 25 : false) }),
      { wrapper: Wrapper },
    );
    await waitFor(() => expect(poll.result.current.data?.auditLogExport?.state).toBe('READY'), WAIT);
    expect(poll.result.current.data?.auditLogExport?.url).toMatch(/^http/);
  });
});

describe('starter operations', () => {
  it('OrganizationMembers pages through every member of an organization by cursor', async () => {
    const { result } = renderHook(() => useOrganizationMembersInfiniteQuery({ id: acme().id, first: 7 }), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
    for (let i = 0; i < 30 && result.current.hasNextPage; i++) await act(() => result.current.fetchNextPage());
    const members = [...stack.emulator.store.memberships.values()].filter((m) => m.organization_id === acme().id);
    const pages = result.current.data?.pages ?? [];
    expect(pages).toHaveLength(Math.ceil(members.length / 7));
    const ids = pages.flatMap((p) => p.organization?.memberships?.edges.map((e) => e.node.id) ?? []);
    expect(ids).toEqual(members.map((m) => m.id).sort().reverse());
    expect(result.current.data?.pageParams[1]).toBe(pages[0].organization?.memberships?.pageInfo.endCursor);
  });

  it('MyOrganizations lists the signed-in user’s organizations with what they may do there', async () => {
    const alice = [...stack.emulator.store.users.values()].find((u) => u.email === 'alice@acme.test')!;
    const { result } = renderHook(() => useMyOrganizationsInfiniteQuery({ first: 10, membersFirst: 2 }), { wrapper: wrapper(await tokenFor(stack, alice.id)) });
    await waitFor(() => expect(result.current.isSuccess).toBe(true), WAIT);
    const orgs = result.current.data?.pages[0].organizations?.edges.map((e) => e.node) ?? [];
    const mine = [...stack.emulator.store.memberships.values()].filter((m) => m.user_id === alice.id && m.status === 'active');
    expect(orgs.map((o) => o.id).sort()).toEqual(mine.map((m) => m.organization_id).sort());
    expect(orgs.find((o) => o.id === acme().id)).toMatchObject({ name: 'Acme Corp', viewerCanUpdate: true, viewerCanManageMembers: true });
    expect(orgs.every((o) => (o.memberships?.edges.length ?? 0) <= 2)).toBe(true);
  });
});
