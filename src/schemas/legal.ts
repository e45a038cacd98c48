import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { LocalizedTextSchema } from './localized-text.ts';
import { PostalAddressSchema } from './postal-address.ts';

/**
 * `content/legal/imprint.yaml`: what the Impressum (§ 5 DDG) adds to the vendor profile. Name,
 * legal form, registered office and register entry come from `vendor.yaml` and are not
 * repeated here. Read by the imprint page (`/impressum/`, `/en/impressum/`), linked from every
 * footer.
 */
export const ImprintSchema = z.strictObject({
  /** Persons authorised to represent the company (§ 5 Abs. 1 Nr. 1 DDG). Example: `[Jana Beispiel]`. */
  representatives: z.array(z.string().min(1)).min(1),
  /** Their function, as the register names it. Example: `{ de: Geschäftsführung, en: Managing directors }`. */
  representativesRole: LocalizedTextSchema,
  /** Address for quick electronic contact (§ 5 Abs. 1 Nr. 2 DDG). Example: "kontakt@example.de". */
  email: z.email(),
  /** Second direct way of contact, a phone number in international form. Example: "+49 40 123456-0". */
  phone: z.string().min(1),
  /** VAT identification number under § 27a UStG, if the company has one. Example: "DE123456789". */
  vatId: z.string().regex(/^[A-Z]{2}[0-9A-Z]{2,12}$/, 'expected a VAT id such as "DE123456789"').optional(),
  /** Person responsible for journalistic-editorial content (§ 18 Abs. 2 MStV), if the site has such content. */
  contentResponsible: z
    .strictObject({
      /** Example: "Jana Beispiel". */
      name: z.string().min(1),
      /** Postal address of that person. */
      address: PostalAddressSchema,
    })
    .optional(),
  /** Further statements, e.g. on consumer dispute resolution (§ 36 VSBG). */
  notes: z.array(LocalizedTextSchema).default([]),
  /** The day this information was last checked, shown as "Stand". */
  updated: CalendarDateSchema,
});
export type Imprint = z.output<typeof ImprintSchema>;

/**
 * The processing a privacy notice of this site must describe, because the site itself does
 * it: accepting the AVV online, objections to changes, email subscriptions, webhooks, the
 * server's request logs and the rate-limit counters. The build refuses a notice without them.
 */
export const REQUIRED_PRIVACY_PROCESSING = ['acceptances', 'objections', 'subscriptions', 'webhooks', 'server-logs', 'rate-limits'] as const;

/** The processing activity of the accept form, whose retention the accept page states. */
export const ACCEPTANCE_PROCESSING = 'acceptances' satisfies (typeof REQUIRED_PRIVACY_PROCESSING)[number];

/** How long data is kept: a period counted from an event. Example: `{ amount: 10, unit: years, after: { de: "nach Vertragsende" } }`. */
export const RetentionSchema = z.strictObject({
  /** Length of the period. Example: `10`. */
  amount: z.number().int().positive(),
  /** Unit of the period. Example: `years`. */
  unit: z.enum(['hours', 'days', 'months', 'years']),
  /** The event the period runs from, completing "10 Jahre …". Example: `{ de: "nach Ende des Kalenderjahres, in dem der Vertrag endet" }`. */
  after: LocalizedTextSchema,
  /** Which data of the activity this period applies to, when periods differ. Example: `{ de: "unbestätigte Anmeldungen" }`. */
  applies: LocalizedTextSchema.optional(),
});
export type Retention = z.output<typeof RetentionSchema>;

/** One processing activity as Art. 13 GDPR describes it. */
export const ProcessingSchema = z.strictObject({
  /** Stable id; the required ones are listed in REQUIRED_PRIVACY_PROCESSING. Example: "acceptances". */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a slug such as "server-logs"'),
  /** Heading of the section. Example: `{ de: "Online-Abschluss des AVV" }`. */
  title: LocalizedTextSchema,
  /** Which personal data (Art. 13 Abs. 1 DSGVO). Example: `{ de: "Name, E-Mail-Adresse, IP-Adresse" }`. */
  data: LocalizedTextSchema,
  /** Purposes (Art. 13 Abs. 1 lit. c DSGVO). */
  purpose: LocalizedTextSchema,
  /** Legal basis, naming the article (Art. 13 Abs. 1 lit. c, d DSGVO). Example: `{ de: "Art. 6 Abs. 1 lit. b DSGVO" }`. */
  legalBasis: LocalizedTextSchema,
  /** Recipients beyond the hosting named for the whole notice, if any (Art. 13 Abs. 1 lit. e DSGVO). */
  recipients: LocalizedTextSchema.optional(),
  /** Retention periods (Art. 13 Abs. 2 lit. a DSGVO); the accept page shows the one of "acceptances". */
  retention: z.array(RetentionSchema).min(1),
});
export type Processing = z.output<typeof ProcessingSchema>;

/**
 * `content/legal/privacy.yaml`: the Datenschutzerklärung (Art. 13 GDPR) of this site, in German
 * with an optional English convenience version per field. The controller and the data
 * protection officer come from `vendor.yaml`. Read by the privacy page (`/datenschutz/`,
 * `/en/datenschutz/`, linked from every footer) and the accept page (retention of acceptances).
 */
export const PrivacyNoticeSchema = z.strictObject({
  /** Opening paragraph. */
  intro: LocalizedTextSchema,
  /** What the site does on every request, and who hosts it (processor, Art. 28 GDPR). */
  hosting: LocalizedTextSchema,
  /** The processing activities of the site. */
  processing: z.array(ProcessingSchema).min(1),
  /** Transfers to third countries and their safeguards (Art. 13 Abs. 1 lit. f DSGVO). */
  thirdCountries: LocalizedTextSchema,
  /** Rights of data subjects (Art. 15–22 DSGVO) and how to exercise them. */
  rights: LocalizedTextSchema,
  /** Whether providing the data is required and what follows if not (Art. 13 Abs. 2 lit. e DSGVO). */
  obligation: LocalizedTextSchema,
  /** Automated decision-making (Art. 13 Abs. 2 lit. f DSGVO). Example: `{ de: "Findet nicht statt." }`. */
  automatedDecisions: LocalizedTextSchema,
  /** The day the notice was last changed, shown as "Stand". */
  updated: CalendarDateSchema,
});
export type PrivacyNotice = z.output<typeof PrivacyNoticeSchema>;
