import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.e2e.test.ts', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Under a busy CI machine the 1 s default is too short for a socket close or a fake's request.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
  },
});
