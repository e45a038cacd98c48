import { defineConfig } from 'vitest/config';

/**
 * Three runtimes, three projects, selected by file name:
 * - `*.node.test.ts`   pure logic and the build, in Node;
 * - `*.worker.test.ts` the built Worker inside workerd (Miniflare) with real D1 migrations;
 * - `*.e2e.test.ts`    Debian Chromium driven by playwright-core against `wrangler dev`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/**/*.node.test.ts'],
          globalSetup: ['tests/setup/scratch-dir.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'worker',
          include: ['tests/**/*.worker.test.ts'],
          globalSetup: ['tests/setup/build-once.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.e2e.test.ts'],
          globalSetup: ['tests/setup/build-once.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
