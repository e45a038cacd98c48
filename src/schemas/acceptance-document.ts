import { z } from 'zod';
import { AvvVersionSchema } from './avv.ts';
import { CalendarDateSchema } from './calendar-date.ts';
import { SubprocessorSchema } from './subprocessor.ts';
import { TomVersionSchema } from './tom.ts';

/**
 * The published document.json of one document state, read back (src/domain/acceptance-document.ts
 * writes it). Renderers that start from the archived bytes, such as the PDF, parse them with
 * this schema instead of trusting their shape.
 */
export const AcceptanceDocumentSchema = z.strictObject({
  /** Format marker. Example: "trust-center/acceptance-document@1". */
  format: z.literal('trust-center/acceptance-document@1'),
  /** Day whose TOMs and subprocessor list form the annexes. Example: 2026-01-01. */
  asOf: CalendarDateSchema,
  /** The contract version as accepted. */
  avv: z.strictObject({
    /** Version id. Example: "2.0". */
    version: AvvVersionSchema.shape.version,
    /** Title. Example: "Vertrag über die Auftragsverarbeitung (AVV)". */
    title: AvvVersionSchema.shape.title,
    /** Day from which the version governs. */
    effectiveDate: CalendarDateSchema,
    /** Language of the text. */
    language: z.enum(['de', 'en']),
    /** The Markdown text, LF and NFC as hashed. */
    text: z.string(),
    /** The rule for announcing subprocessor changes under this version. */
    noticePolicy: AvvVersionSchema.shape.noticePolicy,
  }),
  /** Anlage 1: the TOMs version in force on `asOf`, with its Markdown preamble. */
  toms: TomVersionSchema.extend({ /** Markdown body of the TOMs file; may be empty. */ preamble: z.string() }),
  /** Anlage 2: the subprocessors in force on `asOf`, sorted by slug. */
  subprocessors: z.array(SubprocessorSchema.safeExtend({ /** File name, the permanent id. Example: "nordlicht-cloud". */ slug: z.string().min(1) })),
});
