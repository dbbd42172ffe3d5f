import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One copy of graphql: dependencies load its CommonJS build, so the tests must too.
    alias: { graphql: 'graphql/index.js' },
    // Workspace packages (packages/*) resolve to their TypeScript source (the `source` export
    // condition), not to a build; Vite's default conditions stay as they are.
    conditions: ['source', ...defaultClientConditions],
  },
  // Server code resolves as Node does: without Vite's `module` condition, which points some
  // packages (@opentelemetry/*) at builds Node itself never loads.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.spec.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration suites each start their own emulator and gateway.
    maxWorkers: 2,
    // Type-level tests (*.test-d.ts): tsc checks them, vitest reports them as tests.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './test/tsconfig.typecheck.json' },
  },
});
