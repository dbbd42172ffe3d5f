import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import { GatewayRequestError, retryAfterHeader, type GatewayExtensions } from './errors.ts';
import { SingleFlightRefresh } from './refresh.ts';
import { readGraphQLEvents } from './sse.ts';

/**
 * The header the gateway requires on every request a browser sends with its session cookie:
 * a cross-site form cannot send it, so a request that has it was made by this client.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. https://api.example.com/graphql or /graphql. */
  url: string;
  /** Sent with every request (e.g. Authorization); a function is called per request, so tokens stay fresh. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /**
   * Whether the browser sends cookies (the `wos-session` cookie of cookie sessions): the fetch
   * default `same-origin` suits a gateway served from the app's own origin; use `include` for a
   * gateway on another origin listed in its GATEWAY_CORS_ORIGINS.
   */
  credentials?: RequestCredentials;
  /**
   * Send each operation's document id (`documentId: "sha256:…"`, from persisted-documents.json)
   * instead of its text. Needs a gateway started with GATEWAY_PERSISTED_DOCUMENTS.
   */
  persisted?: boolean;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Called when the gateway refuses a request as UNAUTHENTICATED: get new credentials (e.g. a
   * new access token for `headers`) and resolve true to send the refused requests once more,
   * false to let them fail. Requests refused together share one call.
   */
  refresh?: () => Promise<boolean>;
  /** Told about every response with data, e.g. to log `extensions.cost`. */
  onResult?: (result: { operationName: string; extensions: GatewayExtensions | undefined }) => void;
}

export interface GatewayResult<TResult> {
  data: TResult;
  /** The response's top-level extensions, e.g. `cost`. */
  extensions: GatewayExtensions | undefined;
}

/** What a subscription tells its listener. */
export interface SubscriptionSink<TResult> {
  /** The gateway accepted the subscription; results follow as events happen. */
  connected?(): void;
  next(result: GatewayResult<TResult>): void;
  error(error: GatewayRequestError): void;
  complete(): void;
}

export interface GatewayClient {
  readonly url: string;
  /** Runs one operation; resolves with its data, rejects with GatewayRequestError. */
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    init?: { signal?: AbortSignal },
  ): Promise<TResult>;
  /** Like request, with the response's extensions (e.g. `cost`) next to the data. */
  execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    init?: { signal?: AbortSignal },
  ): Promise<GatewayResult<TResult>>;
  /**
   * Runs a subscription over server-sent events (GraphQL over SSE, the gateway's own
   * transport) with the same headers and cookies as every other request; returns a function
   * that ends it. A dropped connection is opened again (five times at most in a row).
   */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    sink: SubscriptionSink<TResult>,
  ): () => void;
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

// Results are plain objects (a hook's `data`): their extensions are found again by identity.
const extensionsByResult = new WeakMap<object, GatewayExtensions>();

/** The extensions (e.g. `cost`) of the response a result came in, when it had any. */
export function extensionsOf(data: unknown): GatewayExtensions | undefined {
  return typeof data === 'object' && data !== null ? extensionsByResult.get(data) : undefined;
}

const RECONNECTS = 5;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const refresher = options.refresh ? new SingleFlightRefresh(options.refresh) : undefined;

  const bodyOf = (document: DocumentNode, variables: unknown) => {
    const operationName = operationNameOf(document);
    const body: Record<string, unknown> = { operationName, variables };
    if (options.persisted) {
      const documentId = documentIdOf(document);
      if (!documentId) throw new Error(`${operationName} has no document id: generate it with persistedDocuments on.`);
      body.documentId = documentId;
    } else {
      body.query = print(document);
    }
    return { operationName, body: JSON.stringify(body) };
  };

  const headersFor = async (accept: string) => {
    const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
    headers.set('content-type', 'application/json');
    headers.set('accept', accept);
    headers.set(CSRF_HEADER, '1');
    return headers;
  };

  const post = async (operationName: string, body: string, accept: string, signal: AbortSignal | undefined) => {
    const headers = await headersFor(accept);
    try {
      return await fetchFn(options.url, { method: 'POST', headers, body, credentials: options.credentials, signal });
    } catch (error) {
      // A cancellation stays what it is (TanStack Query expects it); anything else is the network's.
      throw signal?.aborted ? error : networkError(operationName, error);
    }
  };

  /** Sends once; on UNAUTHENTICATED, refreshes (shared) and sends once more. */
  async function withRefresh<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const sentIn = refresher?.current ?? 0;
    try {
      return await send();
    } catch (error) {
      if (!refresher || !(error instanceof GatewayRequestError) || !error.unauthenticated || signal?.aborted) throw error;
      if (!(await refresher.after(sentIn))) throw error;
      return send();
    }
  }

  async function execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    init: { signal?: AbortSignal } = {},
  ): Promise<GatewayResult<TResult>> {
    const { operationName, body } = bodyOf(document, variables);
    return withRefresh(async () => {
      const response = await post(operationName, body, 'application/graphql-response+json, application/json', init.signal);
      const result = await resultOf<TResult>(response, operationName);
      if (result.errors?.length || result.data == null) throw errorOf(result, response, operationName);
      const extensions = result.extensions as GatewayExtensions | undefined;
      if (extensions && typeof result.data === 'object') extensionsByResult.set(result.data, extensions);
      options.onResult?.({ operationName, extensions });
      return { data: result.data, extensions };
    }, init.signal);
  }

  function subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    sink: SubscriptionSink<TResult>,
  ): () => void {
    const { operationName, body } = bodyOf(document, variables);
    const abort = new AbortController();
    const open = () =>
      withRefresh(async () => {
        const response = await post(operationName, body, 'text/event-stream', abort.signal);
        const stream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
        if (response.ok && stream) return response;
        // A refusal comes as JSON, or (the gateway's way) as a stream whose one event holds the errors.
        let refusal: Parsed<TResult> = {};
        if (stream) await readGraphQLEvents(response, abort.signal, (payload) => ((refusal = payload as Parsed<TResult>), false));
        else refusal = await resultOf<TResult>(response, operationName);
        throw errorOf(refusal, response, operationName);
      }, abort.signal);

    void (async () => {
      for (let failures = 0; !abort.signal.aborted; ) {
        try {
          const response = await open();
          sink.connected?.();
          let failed: GatewayRequestError | undefined;
          await readGraphQLEvents(response, abort.signal, (payload) => {
            const result = payload as FormattedExecutionResult<TResult>;
            failures = 0;
            if (result.errors?.length || result.data == null) {
              failed = new GatewayRequestError(result.errors?.[0]?.message ?? `${operationName}: an event without data`, {
                status: response.status,
                errors: result.errors,
                data: result.data,
              });
              return false;
            }
            sink.next({ data: result.data, extensions: result.extensions as GatewayExtensions | undefined });
            return true;
          });
          if (abort.signal.aborted) return;
          if (failed) return sink.error(failed);
          return sink.complete();
        } catch (error) {
          if (abort.signal.aborted) return;
          const failure = error instanceof GatewayRequestError ? error : networkError(operationName, error);
          // Only a lost connection is worth opening again; a refusal would be refused again.
          if (failure.status !== 0 || ++failures > RECONNECTS) return sink.error(failure);
          await delay(Math.min(1000 * 2 ** (failures - 1), 30_000), abort.signal);
        }
      }
    })();
    return () => abort.abort();
  }

  return {
    url: options.url,
    execute,
    request: async (document, variables, init) => (await execute(document, variables, init)).data,
    subscribe,
  };
}

type Parsed<TResult> = FormattedExecutionResult<TResult> & { httpError?: true };

/** The response's GraphQL result; a non-GraphQL answer becomes a result without data. */
async function resultOf<TResult>(response: Response, operationName: string): Promise<Parsed<TResult>> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return { httpError: true };
  try {
    return (await response.json()) as Parsed<TResult>;
  } catch (cause) {
    throw new GatewayRequestError(`${operationName}: HTTP ${response.status} with a body that is not JSON`, { status: response.status, cause });
  }
}

function errorOf<TResult>(result: Parsed<TResult>, response: Response, operationName: string): GatewayRequestError {
  const init = {
    status: response.status,
    errors: result.errors,
    data: result.data,
    extensions: result.extensions as GatewayExtensions | undefined,
    retryAfterHeader: retryAfterHeader(response.headers.get('retry-after')),
  };
  if (result.errors?.length) return new GatewayRequestError(result.errors[0].message, init);
  const what = result.httpError ? 'without a GraphQL response' : 'without data';
  return new GatewayRequestError(`${operationName}: HTTP ${response.status} ${what}`, init);
}

function networkError(operationName: string, cause: unknown): GatewayRequestError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new GatewayRequestError(`${operationName}: the gateway could not be reached (${reason})`, { status: 0, cause });
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
