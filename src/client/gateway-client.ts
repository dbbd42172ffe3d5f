import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. https://api.example.com/graphql. */
  url: string;
  /** Sent with every request (e.g. Authorization); a function is called per request, so tokens stay fresh. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /**
   * Send each operation's document id (`documentId: "sha256:…"`, from persisted-documents.json)
   * instead of its text. Needs a gateway started with GATEWAY_PERSISTED_DOCUMENTS.
   */
  persisted?: boolean;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface GatewayClient {
  /** Runs one operation; resolves with its data, rejects with GatewayRequestError. */
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    init?: { signal?: AbortSignal },
  ): Promise<TResult>;
}

/** A response with GraphQL errors, or no GraphQL response at all (`errors` is then empty). */
export class GatewayRequestError extends Error {
  override name = 'GatewayRequestError';
  constructor(
    message: string,
    readonly errors: readonly GraphQLFormattedError[],
    readonly status: number,
    /** Partial data that came with the errors, if any. */
    readonly data: unknown = null,
  ) {
    super(message);
  }

  /** `extensions.code` of each error, e.g. BAD_USER_INPUT, UNAUTHENTICATED, RATE_LIMITED. */
  get codes(): string[] {
    return this.errors.flatMap((e) => (typeof e.extensions?.code === 'string' ? [e.extensions.code] : []));
  }
}

/** The operation's name, which also keys its cache entries. */
export function operationNameOf(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition' && definition.name) return definition.name.value;
  }
  throw new Error('The document has no named operation.');
}

/** The client preset embeds each document's id as `__meta__.hash` when persistedDocuments is on. */
export function documentIdOf(document: DocumentNode): string | undefined {
  const meta = (document as { __meta__?: { hash?: unknown } }).__meta__;
  return typeof meta?.hash === 'string' ? meta.hash : undefined;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    async request<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
      init: { signal?: AbortSignal } = {},
    ): Promise<TResult> {
      const operationName = operationNameOf(document);
      const body: Record<string, unknown> = { operationName, variables };
      if (options.persisted) {
        const documentId = documentIdOf(document);
        if (!documentId) throw new Error(`${operationName} has no document id: generate it with persistedDocuments on.`);
        body.documentId = documentId;
      } else {
        body.query = print(document);
      }

      const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
      headers.set('content-type', 'application/json');
      headers.set('accept', 'application/graphql-response+json, application/json');
      const response = await fetchFn(options.url, { method: 'POST', headers, body: JSON.stringify(body), signal: init.signal });

      if (!(response.headers.get('content-type') ?? '').includes('json')) {
        throw new GatewayRequestError(`${operationName}: HTTP ${response.status} without a GraphQL response`, [], response.status);
      }
      const result = (await response.json()) as FormattedExecutionResult<TResult>;
      if (result.errors?.length) {
        throw new GatewayRequestError(result.errors[0].message, result.errors, response.status, result.data ?? null);
      }
      if (!response.ok || result.data == null) {
        throw new GatewayRequestError(`${operationName}: HTTP ${response.status} without data`, [], response.status);
      }
      return result.data;
    },
  };
}
