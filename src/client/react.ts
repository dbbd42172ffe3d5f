import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  type InfiniteData,
  type UseInfiniteQueryOptions,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { operationNameOf, type GatewayClient, type GatewayRequestError } from './gateway-client.ts';

/**
 * Generic TanStack Query hooks over typed documents. The generated hooks
 * (generated/hooks.ts) are one-line wrappers around these.
 */

const GatewayClientContext = createContext<GatewayClient | null>(null);

/** Makes `client` the one every hook below sends its operations through. */
export function GatewayClientProvider(props: { client: GatewayClient; children?: ReactNode }): ReactNode {
  return createElement(GatewayClientContext.Provider, { value: props.client }, props.children);
}

export function useGatewayClient(): GatewayClient {
  const client = useContext(GatewayClientContext);
  if (!client) throw new Error('No gateway client: wrap the app in <GatewayClientProvider client={createGatewayClient(...)}>.');
  return client;
}

/** `[operationName, variables]`: invalidate every page of one operation with `[operationName]`. */
export function queryKeyOf<TVariables>(document: TypedDocumentNode<unknown, TVariables>, variables?: TVariables): readonly unknown[] {
  const name = operationNameOf(document);
  return variables === undefined ? [name] : [name, variables];
}

export type QueryHookOptions<TResult> = Omit<UseQueryOptions<TResult, GatewayRequestError>, 'queryKey' | 'queryFn'>;

export function useGraphQLQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options?: QueryHookOptions<TResult>,
) {
  const client = useGatewayClient();
  return useQuery<TResult, GatewayRequestError>({
    ...options,
    queryKey: queryKeyOf(document, variables),
    queryFn: ({ signal }) => client.request(document, variables, { signal }),
  });
}

/** A Relay cursor; null asks for the first page. */
type Cursor = string | null;
type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

export type InfiniteQueryHookOptions<TResult> = Omit<
  UseInfiniteQueryOptions<TResult, GatewayRequestError, InfiniteData<TResult, Cursor>, readonly unknown[], Cursor>,
  'queryKey' | 'queryFn' | 'initialPageParam' | 'getNextPageParam'
>;

/** Pages with `after`: each next page starts at the previous page's endCursor, until hasNextPage is false. */
export function useGraphQLInfiniteQuery<TResult, TVariables extends { after?: Cursor }>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: Omit<TVariables, 'after'>,
  pageInfoOf: (page: TResult) => PageInfo | null | undefined,
  options?: InfiniteQueryHookOptions<TResult>,
) {
  const client = useGatewayClient();
  return useInfiniteQuery<TResult, GatewayRequestError, InfiniteData<TResult, Cursor>, readonly unknown[], Cursor>({
    ...options,
    queryKey: [...queryKeyOf(document), 'pages', variables],
    // The spread type is not provably TVariables (TS cannot recombine an Omit): it is by construction.
    queryFn: ({ pageParam, signal }) => client.request(document, { ...variables, after: pageParam } as TVariables, { signal }),
    initialPageParam: null,
    getNextPageParam: (last) => {
      const pageInfo = pageInfoOf(last);
      return pageInfo?.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : undefined;
    },
  });
}

export type MutationHookOptions<TResult, TVariables> = Omit<UseMutationOptions<TResult, GatewayRequestError, TVariables>, 'mutationFn'>;

export function useGraphQLMutation<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  options?: MutationHookOptions<TResult, TVariables>,
) {
  const client = useGatewayClient();
  return useMutation<TResult, GatewayRequestError, TVariables>({
    mutationKey: queryKeyOf(document),
    ...options,
    mutationFn: (variables) => client.request(document, variables),
  });
}
