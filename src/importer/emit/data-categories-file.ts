import { dump } from 'js-yaml';
import type { ImportedAvv } from '../import-document.ts';

/**
 * `data-categories.yaml` (content model: src/schemas/data-category.ts) from the contract's lists
 * of data and data-subject categories; empty when it has none as lists. Which subprocessor
 * processes which category stays `not-stated` in the subprocessor files: that mapping is the
 * author's to write from the AVV.
 */
export function dataCategoriesFile(imported: ImportedAvv): string {
  const header = '# Categories of personal data and of data subjects as the AVV lists them (see IMPORT-REVIEW.md).\n';
  if (imported.dataCategories.length === 0) return `${header}[]\n`;
  const entries = imported.dataCategories.map((category) => ({
    id: category.id,
    kind: category.kind,
    label: category.label,
    ...(category.description ? { description: category.description } : {}),
    ...(category.special ? { special: true } : {}),
  }));
  return `${header}${dump(entries, { lineWidth: -1 })}`;
}
