import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests import server modules directly.
      'server-only': path.resolve(import.meta.dirname, 'tests/support/empty.ts'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    // One embedded database per worker, shared by the files it runs (a new PGlite takes seconds).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Audit checkpoints written by tests go under the ignored test-results/, never a tracked path.
    env: { COUNTERSIGN_TEST_CHECKPOINTS: path.resolve(import.meta.dirname, 'test-results/audit-checkpoints'), AUDIT_CHECKPOINT_DIR: '' },
    globalSetup: ['tests/support/global-setup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
