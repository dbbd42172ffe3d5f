/**
 * The direction of the request flow, checked by `npm run lint` (docs/architecture.md):
 * no import cycles (type imports included), GraphQL stays at the edge, and production code
 * never loads the emulator.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles hide the order things are built in; type imports count too.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'schema-only-from-the-edge',
      severity: 'error',
      comment: 'Only the schema itself and the gateway composition import src/schema (unit specs may).',
      from: { path: '^src/', pathNot: ['^src/(schema/|gateway\\.ts$)', '\\.spec\\.ts$'] },
      to: { path: '^src/schema/' },
    },
    {
      name: 'context-type-only-from-the-edge',
      severity: 'error',
      comment: 'The GraphQL context type belongs to the schema and the code that builds it.',
      from: { path: '^src/', pathNot: ['^src/(schema/|context/|gateway\\.ts$)', '\\.spec\\.ts$'] },
      to: { path: '^src/context/context\\.ts$' },
    },
    {
      name: 'core-knows-no-graphql',
      severity: 'error',
      comment: 'Data, auth, errors, transport, cache, config, shared state and the SDK step are plain TypeScript.',
      from: { path: '^src/(data|auth|errors|transport|cache|workos|config|shared)/' },
      to: { path: '^node_modules/(graphql|graphql-yoga|@pothos/[^/]+|@graphql-yoga/[^/]+)/' },
    },
    {
      name: 'transport-knows-no-redis',
      severity: 'error',
      comment: 'The queue takes room through a BucketGate; shared buckets (src/shared) are plugged in by the composition.',
      from: { path: '^src/transport/' },
      to: { path: '^src/shared/|^node_modules/ioredis/' },
    },
    {
      name: 'no-emulator-in-production-code',
      severity: 'error',
      comment: 'The emulator is a development dependency: only local mode may load it.',
      from: { path: '^src/', pathNot: '^src/local/' },
      to: { path: '(^|/)packages/emulator/|@workos-graphql-gateway/emulator' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['source', 'import', 'node', 'default'] },
  },
};
