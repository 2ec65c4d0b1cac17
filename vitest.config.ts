import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo. Workspace packages resolve to their
// TypeScript sources through the `source` export condition.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'demo/test/**/*.test.ts', 'models/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and model tests are heavy; two cores on CI.
    maxWorkers: 2,
  },
});
