import type { DataCategory } from '../schemas/data-category.ts';
import type { LocalizedText } from '../schemas/localized-text.ts';
import type { CategoryMapping } from '../schemas/subprocessor.ts';
import { localized } from '../i18n/ui.ts';
import type { Lang } from './paths.ts';

/** A category a subprocessor receives, resolved to its declaration, with the AVV's restriction. */
export interface CategoryMention {
  /** The id as the subprocessor file (or an archived document) names it. */
  id: string;
  /** Its declaration in `data-categories.yaml`; undefined when no declaration has that id. */
  category: DataCategory | undefined;
  /** The AVV's restriction of the mapping ("verschlüsselt"), if any. */
  qualifier: LocalizedText | undefined;
}

/**
 * The categories a subprocessor receives, in the order the AVV lists them, resolved against the
 * declared categories: the one place the subprocessor page and the PDF's Anlage 2 take their
 * labels from. An id without a declaration stays in the list (an archived document may name a
 * category the content no longer declares); it is a fact of the accepted text and is not dropped.
 */
export function categoryMentions(declared: readonly DataCategory[], mappings: readonly CategoryMapping[] | 'not-stated'): CategoryMention[] | 'not-stated' {
  if (mappings === 'not-stated') return 'not-stated';
  return mappings.map((mapping) => ({ id: mapping.id, category: declared.find((category) => category.id === mapping.id), qualifier: 'qualifier' in mapping ? mapping.qualifier : undefined }));
}

/** A mention as one line of plain text: "Kontaktdaten – verschlüsselt"; the id where nothing declares it. */
export function categoryMentionText(mention: CategoryMention, lang: Lang): string {
  const label = mention.category ? localized(mention.category.label, lang) : mention.id;
  return mention.qualifier ? `${label} – ${localized(mention.qualifier, lang)}` : label;
}
