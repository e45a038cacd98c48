import { rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * tests/.tmp holds the node tests' build outputs and content copies; each run starts empty. The
 * builds themselves run one at a time (tests/support/astro-build.ts), which is what keeps them
 * from racing on the project's `.astro/` folder.
 */
const scratch = path.resolve(import.meta.dirname, '../.tmp');

export default async function setup(): Promise<() => Promise<void>> {
  await rm(scratch, { recursive: true, force: true });
  return () => rm(scratch, { recursive: true, force: true });
}
