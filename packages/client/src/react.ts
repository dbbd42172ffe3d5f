'use client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type UseInfiniteQueryOptions,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { createContext, createElement, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { GatewayExtensions, GatewayRequestError } from './errors.ts';
import { operationNameOf, type GatewayClient } from './gateway-client.ts';
import { gatewayRetry, gatewayRetryDelay } from './retry.ts';

/**
 * Generic TanStack Query hooks over typed documents. The generated hooks
 * (generated/hooks.ts, and the ones codegen writes into an app) are one-line wrappers around these.
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

/**
 * The gateway's retry rule (no retries for refusals, RATE_LIMITED after retryAfter) unless the
 * hook's options or the QueryClient's defaults set their own.
 */
function useRetryDefaults(options: { retry?: unknown; retryDelay?: unknown } | undefined) {
  const defaults = useQueryClient().getDefaultOptions().queries;
  return {
    retry: options?.retry !== undefined || defaults?.retry !== undefined ? undefined : gatewayRetry,
    retryDelay: options?.retryDelay !== undefined || defaults?.retryDelay !== undefined ? undefined : gatewayRetryDelay,
  };
}

/** Keeps only the keys that have a value, so they do not override what the caller set. */
const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

export type QueryHookOptions<TResult> = Omit<UseQueryOptions<TResult, GatewayRequestError>, 'queryKey' | 'queryFn'>;

export function useGraphQLQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options?: QueryHookOptions<TResult>,
) {
  const client = useGatewayClient();
  const retry = useRetryDefaults(options);
  return useQuery<TResult, GatewayRequestError>({
    ...defined(retry),
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
export function useGraphQLInfiniteQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: Omit<TVariables, 'after'>,
  pageInfoOf: (page: TResult) => PageInfo | null | undefined,
  options?: InfiniteQueryHookOptions<TResult>,
) {
  const client = useGatewayClient();
  const retry = useRetryDefaults(options);
  return useInfiniteQuery<TResult, GatewayRequestError, InfiniteData<TResult, Cursor>, readonly unknown[], Cursor>({
    ...defined(retry),
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

export interface SubscriptionHookOptions<TResult> {
  /** false: do not subscribe (yet). */
  enabled?: boolean;
  /** Each result as it arrives (the hook itself keeps only the latest). */
  onData?: (data: TResult, extensions: GatewayExtensions | undefined) => void;
  onError?: (error: GatewayRequestError) => void;
}

export interface SubscriptionState<TResult> {
  /** connecting: sent, not yet accepted; open: accepted, listening; closed: ended by the gateway. */
  status: 'idle' | 'connecting' | 'open' | 'closed' | 'error';
  /** The latest result. */
  data: TResult | undefined;
  error: GatewayRequestError | undefined;
}

/**
 * A subscription over server-sent events for as long as the component is mounted (or until
 * `variables` change). Results are not cached: use `onData` to update queries.
 */
export function useGraphQLSubscription<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options?: SubscriptionHookOptions<TResult>,
): SubscriptionState<TResult> {
  const client = useGatewayClient();
  const enabled = options?.enabled ?? true;
  const [state, setState] = useState<SubscriptionState<TResult>>({ status: 'idle', data: undefined, error: undefined });
  // Callbacks may change every render; the subscription should not.
  const callbacks = useRef(options);
  useEffect(() => {
    callbacks.current = options;
  });
  const key = JSON.stringify(variables ?? null);

  useEffect(() => {
    if (!enabled) return undefined;
    setState({ status: 'connecting', data: undefined, error: undefined });
    return client.subscribe(document, JSON.parse(key) as TVariables, {
      connected: () => setState((s) => ({ ...s, status: 'open' })),
      next: ({ data, extensions }) => {
        setState({ status: 'open', data, error: undefined });
        callbacks.current?.onData?.(data, extensions);
      },
      error: (error) => {
        setState((s) => ({ ...s, status: 'error', error }));
        callbacks.current?.onError?.(error);
      },
      complete: () => setState((s) => ({ ...s, status: 'closed' })),
    });
  }, [client, document, key, enabled]);

  return state;
}
