import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One copy of graphql: dependencies load its CommonJS build, so the tests must too.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration suites each start their own emulator and gateway.
    maxWorkers: 2,
    // Type-level tests (*.test-d.ts): tsc checks them, vitest reports them as tests.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './test/tsconfig.typecheck.json' },
  },
});
