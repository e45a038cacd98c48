import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPartialFile } from './build-cache.ts';

/**
 * How long a rendered file (PDF, social card) stays in the build cache after the
 * last build that used it. Every code change and every content edit makes new keys, so without
 * a limit the cache grows by megabytes per change; a build reads or writes every file it uses
 * (src/lib/build-cache.ts `markUsed`), so the files of the current content never age out, and
 * two weeks keep those of a branch switched back to. A file removed too early costs one
 * render, never a wrong byte: every key names exactly what its bytes are made from.
 */
export const BUILD_CACHE_MAX_AGE_DAYS = 14;

export interface PruneOptions {
  /** Files used (modified) within this many ms stay. */
  maxAgeMs: number;
  /** Files that stay whatever their age (absolute paths). */
  keep?: ReadonlySet<string>;
}

export interface PruneResult {
  files: number;
  bytes: number;
}

/**
 * Removes the files directly in `dir` that no build used within `maxAgeMs`, except those in
 * `keep` and the partial files of writes (removeStalePartials has its own rule for those). A
 * missing folder is an empty one; a file another build removes meanwhile is not counted.
 */
export async function pruneBuildCache(dir: string, options: PruneOptions): Promise<PruneResult> {
  const oldest = Date.now() - options.maxAgeMs;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && !isPartialFile(entry.name) && !options.keep?.has(path.join(dir, entry.name)))
      .map(async (entry) => {
        const file = path.join(dir, entry.name);
        const info = await stat(file).catch(() => null);
        if (!info || info.mtimeMs >= oldest) return null;
        await rm(file, { force: true });
        return info.size;
      }),
  );
  const sizes = removed.filter((size) => size !== null);
  return { files: sizes.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}
