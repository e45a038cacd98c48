import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { root, runBin, toolEnv } from '../../src/cli/lib/run.ts';

/** tests/.tmp holds the node tests' build outputs and content copies; each run starts empty. */
const scratch = path.resolve(import.meta.dirname, '../.tmp');

/**
 * Every `astro build` of the node tests shares the project's `.astro/` folder, and Astro writes
 * `content-assets.mjs` there through a fixed `.tmp` name followed by a rename: builds that start
 * together in a fresh checkout race on it (ENOENT on the rename). Once the file exists with the
 * same text, Astro leaves it alone, so one `astro sync` before the tests removes the race. A full
 * `npm test` does not need it (the worker project's build runs first); `--project node` alone does.
 */
async function syncOnce(): Promise<void> {
  const written = await access(path.join(root, '.astro/content-assets.mjs')).then(
    () => true,
    () => false,
  );
  if (!written) await runBin('astro', ['sync'], { env: toolEnv({}) });
}

export default async function setup(): Promise<() => Promise<void>> {
  await rm(scratch, { recursive: true, force: true });
  await syncOnce();
  return () => rm(scratch, { recursive: true, force: true });
}
