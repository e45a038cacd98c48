import { z } from 'zod';
import { TextSchema } from './localized-text.ts';

/**
 * One category of personal data or of data subjects, declared once so that subprocessors refer
 * to it by id and the data-category × subprocessor matrix has exactly one row per category.
 * Read by the subprocessor pages and the matrix page.
 */
export const DataCategorySchema = z.strictObject({
  /** Stable id, used by subprocessors. Example: "contact-data". */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug such as "contact-data"'),
  /** Whether this lists kinds of data (Art. 28(3) "Art der Daten") or kinds of data subjects. */
  kind: z.enum(['data', 'data-subjects']),
  /** Display name. Example: `{ de: "Kontaktdaten", en: "Contact data" }`. */
  label: TextSchema,
  /** What belongs to the category. Example: "Name, E-Mail-Adresse, Telefonnummer". */
  description: TextSchema.optional(),
  /** Special category under Art. 9 GDPR (health, religion, …), highlighted in the matrix. */
  special: z.boolean().default(false),
});
export type DataCategory = z.output<typeof DataCategorySchema>;
