import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/web/build-web-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Whole-process tests start servers and PostgreSQL clusters: keep them from starving each other.
    maxWorkers: 2,
  },
});
