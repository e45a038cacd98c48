import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { TextSchema } from './localized-text.ts';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';
import { VersionIdSchema } from './version-id.ts';
import { statedOr } from './not-stated.ts';

/**
 * The protection goals and controls named by Art. 32(1) GDPR and the classic German control
 * catalogue. A TOMs version that covers one of them nowhere gets the finding
 * `tom-category-not-covered` (Art. 28(3)(c) with Art. 32), which the author may acknowledge
 * when the vendor's document really names no measure.
 */
export const TomCategorySchema = z.enum([
  /** Zutrittskontrolle: physical access to premises and data centres. */
  'physical-access',
  /** Zugangskontrolle: access to systems. */
  'system-access',
  /** Zugriffskontrolle: access to data within systems. */
  'data-access',
  /** Trennungskontrolle: separation of data collected for different purposes or customers. */
  'separation',
  /** Art. 32(1)(a): pseudonymisation. */
  'pseudonymisation',
  /** Art. 32(1)(a): encryption at rest and in transit. */
  'encryption',
  /** Weitergabekontrolle: integrity of data in transfer. */
  'transfer-control',
  /** Eingabekontrolle: who entered, changed or removed which data. */
  'input-control',
  /** Art. 32(1)(b): availability and resilience of systems. */
  'availability',
  /** Art. 32(1)(c): restoring availability and access after an incident. */
  'recoverability',
  /** Art. 32(1)(d): regular testing and evaluation of the measures. */
  'review',
  /** Auftragskontrolle: processing only on the controller's instructions. */
  'instruction-control',
]);
export type TomCategory = z.output<typeof TomCategorySchema>;

/** Categories a TOMs version must cover; `instruction-control` is customary but not required. */
export const REQUIRED_TOM_CATEGORIES: readonly TomCategory[] = TomCategorySchema.options.filter(
  (category) => category !== 'instruction-control',
);

/** A group of measures as the vendor's document arranges them. */
export const TomSectionSchema = z.strictObject({
  /** Stable anchor of the section. Example: "zutrittskontrolle". */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug'),
  /** Heading as printed. Example: "Zutrittskontrolle". */
  title: TextSchema,
  /**
   * Which Art. 32 categories this section covers; one section may cover several, as documents
   * that group measures in prose do. Example: `[physical-access]`.
   */
  categories: z.array(TomCategorySchema).min(1),
  /** Optional introduction to the section (Markdown). */
  description: z.string().min(1).optional(),
  /** The measures, one per entry (Markdown). Example: "Videoüberwachung der Zugänge". */
  measures: z.array(z.string().min(1)).min(1),
});
export type TomSection = z.output<typeof TomSectionSchema>;

/**
 * Frontmatter of one TOMs version (`content/toms/<version>.md`); the body is an optional
 * preamble. The version in force on a day is the latest whose effective date has been reached.
 * Read by the TOMs page and by the document hash of what a customer accepts.
 */
export const TomVersionSchema = z.strictObject({
  /** Version id, unique. Example: "2026-01". */
  version: VersionIdSchema,
  /** Title. Example: "Technische und organisatorische Maßnahmen". */
  title: z.string().min(1),
  /** Day from which these measures apply. */
  effectiveDate: CalendarDateSchema,
  /** Day of the last review (Art. 32(1)(d)), or `not-stated` when the document gives none. Example: 2026-01-15. */
  reviewedDate: statedOr(CalendarDateSchema),
  /** The measures, grouped. */
  sections: z.array(TomSectionSchema).min(1),
  /** Legal findings about this version the author acknowledges, with reasons. */
  acknowledgedFindings: AcknowledgedFindingsSchema,
});
export type TomVersion = z.output<typeof TomVersionSchema>;
