import { buildSite, TEST_BUILD_DATE } from '../../src/cli/build.ts';

/**
 * Global setup of the `worker` and `e2e` projects: both need `dist/` built with the fixed test
 * date. Vitest runs it once per project, one after the other; the second call (and any run
 * whose inputs did not change since) finds the build stamp fresh and returns at once.
 */
export default async function setup(): Promise<void> {
  await buildSite({ buildDate: TEST_BUILD_DATE, ifStale: true });
}
