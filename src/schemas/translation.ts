import { z } from 'zod';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';

/**
 * An English convenience translation of one German AVV version, TOMs version or change notice:
 * a Markdown file next to the German one, named like it with `.en` before `.md`
 * (`toms/2026-01.en.md` translates `toms/2026-01.md`). English pages show it, marked as a
 * non-binding translation; where none exists they show the German text as German. The German
 * text stays the only binding one: document hashes and acceptances never read a translation.
 * Read by the AVV, TOMs and change pages (English) and by the check (`translation-outdated`).
 * Example:
 * ```yaml
 * ---
 * language: en
 * translatedFrom: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * sections:
 *   - measures: ["ISO/IEC 27001 certified data centres"]
 * ---
 * The English text of the Markdown body.
 * ```
 */
export const TranslationSchema = z.strictObject({
  /** Language of the translation. Only English: German is the contract language. Example: "en". */
  language: z.literal('en', { error: 'a convenience translation is in English: write `language: en`' }),
  /** The title in English (AVV version, change notice); TOMs take their titles from the German file. Example: "Data processing agreement". */
  title: z.string().min(1).optional(),
  /**
   * SHA-256 (hex) of the German file's bytes as they were when translated (`sha256sum
   * toms/2026-01.md`). When the German file changes afterwards, the check reports the finding
   * `translation-outdated` with the new value, so a stale translation is never shown silently.
   */
  translatedFrom: z.string().regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 (64 hex digits) of the German file, e.g. from `sha256sum`'),
  /**
   * TOMs only: each German section's description and measures in English, in the German
   * file's order, one entry per section with as many measures. Example: `[{ measures: ["…"] }]`.
   */
  sections: z.array(z.strictObject({
    /** The section's introduction in English, where the German section has one. */
    description: z.string().min(1).optional(),
    /** The measures in English, one per German measure, same order. */
    measures: z.array(z.string().min(1)).min(1),
  })).optional(),
  /** Findings about this file the author acknowledges (e.g. a German typo fix left untranslated), each with a reason. */
  acknowledgedFindings: AcknowledgedFindingsSchema,
});
export type Translation = z.output<typeof TranslationSchema>;
