import { z } from 'zod';

/**
 * Text shown in the site's two UI languages. German is required because the contract is
 * German; English is optional and falls back to German.
 * Example: `{ de: "Hosting", en: "Hosting" }`.
 */
export const LocalizedTextSchema = z.strictObject({
  /** German text. Example: "Rechenzentrumsbetrieb". */
  de: z.string().min(1),
  /** English text. Example: "Data centre operations". */
  en: z.string().min(1).optional(),
});
export type LocalizedText = z.output<typeof LocalizedTextSchema>;

/** A plain German string or a `{ de, en }` pair; both become a LocalizedText. */
export const TextSchema = z
  .union([z.string().min(1), LocalizedTextSchema], { error: (issue) => (issue.input === undefined ? 'missing (expected text, or { de: …, en: … })' : undefined) })
  .transform((value) => (typeof value === 'string' ? { de: value } : value));
