import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/web/build-web-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A browser page under two parallel test files can take seconds to reload and fetch: the 1 s
    // default made `expect.poll` on what a page shows fail only when the machine was busy.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    // Whole-process tests start servers and PostgreSQL clusters: keep them from starving each other.
    maxWorkers: 2,
  },
});
