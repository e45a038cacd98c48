import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { statedOr } from './not-stated.ts';

/**
 * The published document.json of one document state, read back (src/domain/acceptance-document.ts
 * writes it from validated content). Renderers that start from the archived bytes, such as the
 * PDF, check with this schema that the bytes are an acceptance document with the parts they
 * print. The content schemas cannot be reused: they transform what authors write (a slug into
 * `{ id }`), so they do not accept their own output.
 */
export const AcceptanceDocumentSchema = z.object({
  /** Format marker. Example: "trust-center/acceptance-document@2". */
  format: z.literal('trust-center/acceptance-document@2'),
  /** Day whose TOMs and subprocessor list form the annexes. Example: 2026-01-01. */
  asOf: CalendarDateSchema,
  /** The contract version as accepted. */
  avv: z.looseObject({
    /** Version id. Example: "2.0". */
    version: z.string().min(1),
    /** Title. Example: "Vertrag über die Auftragsverarbeitung (AVV)". */
    title: z.string().min(1),
    /** Day from which the version governs. */
    effectiveDate: CalendarDateSchema,
    /** Language of the text. */
    language: z.enum(['de', 'en']),
    /** The Markdown text, LF and NFC as hashed. */
    text: z.string(),
  }),
  /** Anlage 1: the TOMs version in force on `asOf`. */
  toms: z.looseObject({
    /** TOMs version id. Example: "2026-01". */
    version: z.string().min(1),
    /** Title of the annex. */
    title: z.string().min(1),
    /** Markdown body of the TOMs file; may be empty. */
    preamble: z.string(),
    /** The measures, grouped; each group has a title and at least one measure. */
    sections: z.array(z.looseObject({ /** Heading. */ title: z.looseObject({ /** German heading. */ de: z.string() }), /** The measures. */ measures: z.array(z.string()).min(1) })),
  }),
  /** Anlage 2: the subprocessors in force on `asOf`, sorted by slug. */
  subprocessors: z.array(z.looseObject({ /** File name, the permanent id. */ slug: z.string().min(1), /** Name. */ name: z.string().min(1), /** Contracting entity. */ legalEntity: z.string().min(1), /** Engaged since (`not-stated` when the AVV does not say). */ since: statedOr(CalendarDateSchema) })),
});
