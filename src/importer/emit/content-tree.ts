import type { ImportedAvv } from '../import-document.ts';
import { slugify } from '../text.ts';
import { avvFile } from './avv-file.ts';
import { dataCategoriesFile } from './data-categories-file.ts';
import type { Gap } from './gaps.ts';
import { importReview } from './import-review.ts';
import { subprocessorFiles } from './subprocessor-files.ts';
import { tomsFile } from './toms-file.ts';
import { vendorFile } from './vendor-file.ts';

/**
 * The emitter: the draft content tree as file path → text, plus IMPORT-REVIEW.md. Pure, so the
 * same document always yields the same bytes; the CLI only writes the map to disk. This is the
 * one part of the importer that knows the content schema.
 */
export function contentTree(imported: ImportedAvv, options: { vendorName?: string; sourceName: string }): Map<string, string> {
  return draftContent(imported, options).files;
}

/** The same files with the list of fields left for the author (each one a line of `npm run check`). */
export function draftContent(imported: ImportedAvv, options: { vendorName?: string; sourceName: string }): { files: Map<string, string>; gaps: Gap[] } {
  const stem = imported.version.found ? slugify(imported.version.value.replace(/\./g, '-')) : 'entwurf';
  const files = new Map<string, string>();
  const gaps: Gap[] = [];
  const avv = avvFile(imported, stem);
  files.set(avv.path, avv.content);
  gaps.push(...avv.gaps);
  const toms = tomsFile(imported, stem);
  if (toms) {
    files.set(toms.path, toms.content);
    gaps.push(...toms.gaps);
  }
  const subprocessors = subprocessorFiles(imported.subprocessors.entries);
  for (const file of subprocessors) {
    files.set(file.path, file.yaml);
    gaps.push(...file.gaps);
  }
  const vendor = vendorFile(imported, options.vendorName);
  files.set(vendor.path, vendor.content);
  gaps.push(...vendor.gaps);
  gaps.push({ file: 'acceptance-wording/', field: '', why: 'the declaration customers tick on the accept page is the vendor\'s text, not the AVV\'s: add acceptance-wording/1.md (content/acceptance-wording/ has an example to adapt)' });
  gaps.push({ file: 'legal/', field: '', why: 'the site\'s Impressum (legal/imprint.yaml, § 5 DDG) and privacy notice (legal/privacy.yaml, Art. 13 GDPR) are the vendor\'s own, not the AVV\'s: content/legal/ has examples to adapt' });
  files.set('data-categories.yaml', dataCategoriesFile(imported));
  files.set('IMPORT-REVIEW.md', importReview(imported, { ...options, files: [...files.keys()], gaps, subprocessors, avvPath: avv.path, tomsPath: toms?.path }));
  return { files: new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b))), gaps };
}
