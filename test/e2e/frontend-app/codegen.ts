import type { CodegenConfig } from '@graphql-codegen/cli';

// The codegen.ts of docs/frontend.md, as an app copies it.
const config: CodegenConfig = {
  schema: 'node_modules/@workos-graphql-gateway/client/schema.graphql',
  documents: 'src/**/*.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
    'src/gql/hooks.ts': {
      plugins: ['@workos-graphql-gateway/client/codegen'],
    },
  },
};

export default config;
