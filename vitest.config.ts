import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Property-based tests share one seed and run count (FC_SEED, FC_RUNS).
    setupFiles: ['test/support/propertyRuns.ts'],
  },
});
