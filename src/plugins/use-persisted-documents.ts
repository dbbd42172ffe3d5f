import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { ConfigError } from '../config/index.ts';

/**
 * Persisted documents: the gateway runs operations by id from the manifest that codegen writes
 * (packages/client/src/generated/persisted-documents.json, `{ "sha256:<hex>": "<document>" }`).
 * With `only`, nothing else runs, so a stolen token cannot send arbitrary queries.
 */
export interface PersistedDocumentsConfig {
  /** GATEWAY_PERSISTED_DOCUMENTS: the manifest; unset turns the feature off. */
  path: string | undefined;
  /** GATEWAY_PERSISTED_ONLY: refuse operations sent as text. */
  only: boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Reads the manifest; any problem names the variable, as config errors do. */
export function loadPersistedDocuments(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`GATEWAY_PERSISTED_DOCUMENTS: cannot read ${path} as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('GATEWAY_PERSISTED_DOCUMENTS: expected a JSON object of document id to document text');
  }
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(parsed)) {
    if (typeof text !== 'string' || !text.trim()) {
      throw new ConfigError(`GATEWAY_PERSISTED_DOCUMENTS: the document ${id} is not a non-empty string`);
    }
    documents.set(normalizeId(id), text);
  }
  return documents;
}

/** Bare sha256 hex (Apollo's form) and the prefixed `sha256:<hex>` (GraphQL over HTTP) name the same document. */
function normalizeId(id: string): string {
  return SHA256_HEX.test(id) ? `sha256:${id}` : id;
}

/**
 * The id a request names: `documentId` (what the client preset's hashes are, and what
 * the client package sends) or Apollo's `extensions.persistedQuery.sha256Hash`.
 */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return normalizeId(params.documentId);
  const apollo: unknown = params.extensions?.persistedQuery;
  if (apollo && typeof apollo === 'object' && 'sha256Hash' in apollo && typeof apollo.sha256Hash === 'string') {
    return normalizeId(apollo.sha256Hash);
  }
  return null;
}

/** The yoga plugin for `config`; a no-op when no manifest is configured. */
export function usePersistedDocuments(config: PersistedDocumentsConfig): Plugin {
  if (!config.path) {
    if (config.only) throw new ConfigError('GATEWAY_PERSISTED_ONLY: needs GATEWAY_PERSISTED_DOCUMENTS (otherwise every operation is refused)');
    return {};
  }
  const documents = loadPersistedDocuments(config.path);
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: !config.only,
    customErrors: {
      notFound: { message: 'Unknown persisted document id: regenerate the client or deploy its persisted-documents.json.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
      keyNotFound: { message: 'Send a query or a documentId.', extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
      persistedQueryOnly: { message: 'This gateway runs persisted documents only: send a documentId, not a query.', extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
    },
  });
}
