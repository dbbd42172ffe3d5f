import type { CodegenConfig } from '@graphql-codegen/cli';
import type { HooksPluginConfig } from './packages/client/src/codegen/hooks-plugin.ts';

/**
 * The client package's typed documents, persisted-document manifest and one React hook per
 * operation, from the checked-in SDL, or a running gateway: CODEGEN_SCHEMA=http://localhost:4000/graphql
 * (CODEGEN_TOKEN, if set, is sent as its bearer token).
 * `npm run codegen` writes them; `npm run codegen:check` fails when they are stale.
 * An app outside this repository uses the published plugin instead: docs/frontend.md.
 */
const out = 'packages/client/src/generated/';

const source = process.env.CODEGEN_SCHEMA || 'schema/schema.graphql';
const token = process.env.CODEGEN_TOKEN;
const schema: CodegenConfig['schema'] = token ? { [source]: { headers: { authorization: `Bearer ${token}` } } } : source;

const hooks: HooksPluginConfig = { documentsImport: './graphql.ts', hooksImport: '../react.ts', command: 'npm run codegen' };

const config: CodegenConfig = {
  schema,
  documents: 'schema/operations/*.graphql',
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: {
        // Hooks return whole results; masking pays off with component-local fragments, not here.
        fragmentMasking: false,
        // sha256 of each document, embedded as `__meta__.hash`, and persisted-documents.json.
        persistedDocuments: { mode: 'embedHashInDocument', hashPropertyName: 'hash', hashAlgorithm: 'sha256' },
      },
      config: {
        importExtension: '.ts',
        useTypeImports: true,
        // String unions, not TS enums: erasable syntax, and JSON values compare as they are.
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
    [`${out}hooks.ts`]: {
      plugins: ['./packages/client/src/codegen/hooks-plugin.ts'],
      config: hooks,
    },
  },
};

export default config;
