import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContentCheckResult } from '../domain/content-check.ts';
import type { LoadedContent } from './content-files.ts';

/**
 * The build's content check (content-check-integration.ts, in Astro's config hooks) hands what
 * it read and its verdict to the publication (publication.ts, in the prerender bundle), so one
 * `astro build` reads, parses and judges the tree once rather than twice. Both run in the same
 * Node process, but the prerender bundle has its own copies of these modules, hence the
 * process-wide slot under Symbol.for. The hand-over holds only for the same folder and build
 * day and only while every file of the tree still has the bytes the check read; otherwise the
 * publication reads and judges the tree itself, as `npm run check` does.
 */

/** A verdict on a tree and the reading it was made from. */
export interface CheckedContent {
  loaded: LoadedContent;
  verdict: ContentCheckResult;
}

interface HandedOver extends CheckedContent {
  /** Absolute path of the content folder. */
  contentDir: string;
  buildDate: string;
  /** treeSha256 of the folder, taken before the check read it. */
  treeSha256: string;
}

const SLOT = Symbol.for('trust-center:checked-content');
const slot = globalThis as { [SLOT]?: HandedOver };

/** SHA-256 over every file under `contentDir`, by path and bytes, in sorted order. */
export function treeSha256(contentDir: string): string {
  const hash = createHash('sha256');
  // A symlinked file counts by the bytes it points at: the check reads through the link too.
  const files = readdirSync(contentDir, { recursive: true, withFileTypes: true })
    .map((entry) => ({ entry, file: path.join(entry.parentPath, entry.name) }))
    .filter(({ entry, file }) => entry.isFile() || (entry.isSymbolicLink() && statSync(file, { throwIfNoEntry: false })?.isFile()))
    .map(({ file }) => file)
    .sort();
  for (const file of files) hash.update(`${path.relative(contentDir, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Leaves the check's reading for the publication; `treeSha256` must be taken before the check read the files. */
export function handOverCheckedContent(contentDir: string, buildDate: string, treeSha256: string, checked: CheckedContent): void {
  slot[SLOT] = { ...checked, contentDir: path.resolve(contentDir), buildDate, treeSha256 };
}

/** The check's reading of `contentDir` for `buildDate`, if it was handed over and no file has changed since. */
export function checkedContentOf(contentDir: string, buildDate: string): CheckedContent | undefined {
  const handedOver = slot[SLOT];
  if (!handedOver || handedOver.contentDir !== path.resolve(contentDir) || handedOver.buildDate !== buildDate) return undefined;
  if (treeSha256(handedOver.contentDir) !== handedOver.treeSha256) return undefined;
  return { loaded: handedOver.loaded, verdict: handedOver.verdict };
}
