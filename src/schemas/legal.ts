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

/**
 * What the system deletes (or redacts) when a retention period of the notice ends, and which
 * processing activity it belongs to. The Cron Trigger enforces each rule with the period the
 * notice states for it (via the manifest); `hosting` rules are deleted by the hosting provider,
 * and the notice's wording must say so. Example: `unsubscribed-subscribers`.
 */
export const RETENTION_RULES = {
  /** Request logs: this site stores none; Cloudflare's own logging keeps and deletes them. */
  'server-logs': { processing: 'server-logs', deletedBy: 'hosting' },
  /** Rate-limit and failed-attempt counters (keyed hashes), counted from their window's start. */
  'rate-limit-counters': { processing: 'rate-limits', deletedBy: 'cron' },
  /** Personal fields of acceptance records, counted from the end of the account's AVV (recorded by an admin). */
  'acceptance-records': { processing: 'acceptances', deletedBy: 'cron' },
  /** Personal fields of objection records, counted like acceptances from the end of the AVV. */
  'objection-records': { processing: 'objections', deletedBy: 'cron' },
  /** Email sign-ups never confirmed, counted from the sign-up. */
  'unconfirmed-sign-ups': { processing: 'subscriptions', deletedBy: 'cron' },
  /** Address, consent proof and delivery records of an unsubscribed address, counted from unsubscribing. */
  'unsubscribed-subscribers': { processing: 'subscriptions', deletedBy: 'cron' },
  /** Webhook registrations never confirmed, counted from the registration. */
  'unconfirmed-webhooks': { processing: 'webhooks', deletedBy: 'cron' },
  /** A disabled webhook endpoint with its consent proof and delivery records, counted from disabling. */
  'disabled-webhooks': { processing: 'webhooks', deletedBy: 'cron' },
} as const satisfies Record<string, { processing: (typeof REQUIRED_PRIVACY_PROCESSING)[number]; deletedBy: 'cron' | 'hosting' }>;
export type RetentionRuleId = keyof typeof RETENTION_RULES;
export const RETENTION_RULE_IDS = Object.keys(RETENTION_RULES) as [RetentionRuleId, ...RetentionRuleId[]];

/**
 * How long data is kept: a period counted from an event, and the rule that enforces it.
 * Example: `{ rule: unsubscribed-subscribers, amount: 3, unit: years, countFrom: end-of-year, after: { de: "nach Ende des Kalenderjahres der Abmeldung" } }`.
 */
export const RetentionSchema = z.strictObject({
  /** What is deleted when the period ends (RETENTION_RULES); the Cron Trigger reads the period from here. Example: `unconfirmed-sign-ups`. */
  rule: z.enum(RETENTION_RULE_IDS, { error: `expected one of ${RETENTION_RULE_IDS.join(', ')}` }),
  /** Length of the period. Example: `10`. */
  amount: z.number().int().positive(),
  /** Unit of the period. Example: `years`. */
  unit: z.enum(['hours', 'days', 'months', 'years']),
  /**
   * `event`: the period runs from the event itself; `end-of-year`: from the end of the calendar
   * year (Europe/Berlin) in which the event falls, as § 257 Abs. 5 HGB counts. Example: `end-of-year`.
   */
  countFrom: z.enum(['event', 'end-of-year']),
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
 * A cookie this site sets, as the notice describes it (§ 25 TDDDG, Art. 13 GDPR). Its name must
 * be one the Worker sets (src/domain/cookies.ts, which also gives its lifetime, so the page
 * cannot state a different one). Example: `{ name: tc_accept_browser, purpose: { de: "…" } }`.
 */
export const CookieNoticeSchema = z.strictObject({
  /** The cookie's name exactly as set. Example: "tc_accept_browser". */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a cookie name such as "tc_accept_browser"'),
  /** What it is for and what it holds. */
  purpose: LocalizedTextSchema,
  /** Why it may be set without consent, or the consent it needs. Example: `{ de: "§ 25 Abs. 2 Nr. 2 TDDDG (unbedingt erforderlich)" }`. */
  legalBasis: LocalizedTextSchema,
});
export type CookieNotice = z.output<typeof CookieNoticeSchema>;

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
  /** Every cookie the site sets; the build refuses a notice that leaves one out or lists one it never sets. */
  cookies: z.array(CookieNoticeSchema),
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
