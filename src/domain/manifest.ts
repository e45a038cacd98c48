import { z } from 'zod';
import { ChangeRulesSchema, ChangeKindSchema } from '../schemas/change-rules.ts';
import { ChangeTermsSchema } from './change-terms.ts';
import { FINDING_RULE_IDS } from './finding-rules.ts';
import { RetentionPeriodsSchema } from './retention.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One published AVV version as the Worker knows it. */
export const ManifestAvvVersionSchema = z.strictObject({
  /** Version id. Example: "2.0". */
  version: z.string(),
  /** Document title (German, the contract language). */
  title: z.string(),
  /** The title of its English convenience translation, when there is one. */
  titleEn: z.string().optional(),
  /** Day from which it governs. */
  effectiveDate: isoDate,
  /** Day it was published. */
  publishedDate: isoDate,
  /** Status on the build day: the current one is the one customers accept. */
  status: z.enum(['current', 'superseded', 'upcoming']),
  /** Day whose TOMs and subprocessor list the accepted document holds. */
  documentAsOf: isoDate,
  /** SHA-256 of the canonical acceptance document (AVV + TOMs + subprocessors). */
  documentSha256: sha256,
  /** Path of the canonical document whose bytes hash to documentSha256. */
  documentPath: z.string(),
  /** TOMs version in the document. */
  tomsVersion: z.string(),
  /** Subprocessor slugs in the document. */
  subprocessors: z.array(z.string()),
  /** The AVV's rules for subprocessor changes under this version, as the content states them. */
  changeRules: ChangeRulesSchema,
});

/** One document state offered for acceptance (src/domain/document-states.ts), archived for good. */
export const ManifestDocumentStateSchema = z.strictObject({
  /** SHA-256 of the canonical document; the archive file is named by it. */
  sha256,
  /** Path of the archived bytes. Example: "/avv/documents/<sha256>.json". */
  path: z.string(),
  /** Path of the human-readable page (German; "/en" in front for English). */
  pagePath: z.string(),
  /** AVV version of the document. */
  avvVersion: z.string(),
  /** TOMs version in the document (Anlage 1). */
  tomsVersion: z.string(),
  /** Subprocessor slugs in the document (Anlage 2). */
  subprocessors: z.array(z.string()),
  /** Day the document is dated by (its `asOf`). */
  asOf: isoDate,
  /** First day it was offered for acceptance. */
  offeredFrom: isoDate,
  /** Last day it was offered; absent while still offered on the build day. */
  offeredUntil: isoDate.optional(),
});

/** A public key that signs or signed receipts, from content/receipt-keys/ (never dropped). */
export const ManifestReceiptKeySchema = z.strictObject({
  /** What receipts name in `keyId`: "<log origin>+<C2SP key id hex>". */
  keyId: z.string(),
  /** SPKI PEM. */
  publicKey: z.string(),
  /** First day it signed (UTC). */
  validFrom: isoDate,
  /** Last day it signed; absent while in use. */
  validUntil: isoDate.optional(),
  /** Present (true) only on the published local-development key, which nothing may trust. */
  localDevelopment: z.literal(true).optional(),
});

/** One announced subprocessor change with the deadlines computed at build time. */
export const ManifestChangeSchema = z.strictObject({
  /** Permanent id (the file name). */
  id: z.string(),
  kind: ChangeKindSchema,
  /** German headline. */
  title: z.string(),
  /** English headline, when the content has one (notices in English fall back to German). */
  titleEn: z.string().optional(),
  subprocessors: z.array(z.string()),
  replaces: z.array(z.string()).optional(),
  announcedDate: isoDate,
  effectiveDate: isoDate,
  /**
   * The computed terms (src/domain/change-terms.ts): governing rule, right, periods with their
   * dates and what each counts from, status on the build day. Notices and evidence read them.
   */
  terms: ChangeTermsSchema,
  /** Path of the change's page. */
  path: z.string(),
});

/**
 * One published TOMs version, announced to subscribers of `toms-updates`. No title: its notices
 * head it as its page does (`tomsVersionHeadline`, src/i18n/document-titles.ts).
 */
export const ManifestTomsVersionSchema = z.strictObject({
  /** Version id. Example: "2026-01". */
  version: z.string(),
  /** Day from which it applies; also the day it is announced. */
  effectiveDate: isoDate,
});

/** Who receives instructions and declarations on changes (vendor.yaml `instructionsContact`). */
export const ManifestContactSchema = z.strictObject({
  /** Example: "Team Datenschutz". */
  name: z.string(),
  /** Example: "datenschutz@example.de". */
  email: z.string(),
  /** Example: "+49 40 123456-0". */
  phone: z.string().optional(),
  /** One line, for declarations in Schriftform. Example: "Wolkenhof 3, 20457 Hamburg, Deutschland". */
  postalAddress: z.string().optional(),
});

/** A legal finding the author acknowledged, published with its reason (never hidden). */
export const ManifestFindingSchema = z.strictObject({
  rule: z.enum(FINDING_RULE_IDS),
  severity: z.enum(['high', 'medium', 'low']),
  legalReference: z.string(),
  /** Content file, relative to the content folder. Example: "subprocessors/helpdeskly.yaml". */
  file: z.string(),
  /** Field path in the file. Example: "onwardTransfers[0]". */
  field: z.string(),
  /** The finding in English, as `npm run check` prints it. Example: "the AVV names no data protection officer". */
  message: z.string(),
  /** The author's reason for publishing despite it. */
  reason: z.string(),
});

/** The checkbox wording customers confirm today, as the Worker checks submissions against it. */
export const ManifestAcceptanceWordingSchema = z.strictObject({
  /** Version id stored with each acceptance. Example: "1". */
  version: z.string(),
  /** Day from which it is shown. */
  effectiveDate: isoDate,
  /** The text per language (German binding). */
  text: z.strictObject({ de: z.string(), en: z.string().optional() }),
  /** SHA-256 of the canonical wording text (src/domain/acceptance-wording.ts). */
  sha256,
});

/**
 * What the build published (`/manifest.json`). The Worker trusts it instead of re-deriving
 * anything from content: acceptances check version and hash against it, notices take their
 * dates from it.
 */
export const ManifestSchema = z.strictObject({
  /** Format version of this file. */
  format: z.literal('trust-center/manifest@2'),
  /** The day statuses were computed for (Europe/Berlin). */
  buildDate: isoDate,
  /** Public origin of the site. */
  siteUrl: z.string(),
  /** Vendor's legal name. */
  vendor: z.string(),
  /** Version id of the AVV customers accept today; absent before the first takes effect. */
  currentAvvVersion: z.string().optional(),
  avvVersions: z.array(ManifestAvvVersionSchema),
  /** Every document state offered for acceptance up to the build day, oldest first. */
  documentStates: z.array(ManifestDocumentStateSchema),
  /** Every receipt-signing public key ever used, oldest first. */
  receiptKeys: z.array(ManifestReceiptKeySchema),
  /** The authorisation wording of the accept page in force on the build day. */
  acceptanceWording: ManifestAcceptanceWordingSchema,
  changes: z.array(ManifestChangeSchema),
  /** TOMs versions, oldest first. */
  tomsVersions: z.array(ManifestTomsVersionSchema),
  /** Display name per subprocessor slug, so notices name what changes. */
  subprocessorNames: z.record(z.string(), z.string()),
  /** Where customers send an objection or consent; notices name it. */
  declarationContact: ManifestContactSchema,
  /** Acknowledged legal findings of the published content, with reasons. */
  acknowledgedFindings: z.array(ManifestFindingSchema),
  /**
   * The retention periods the privacy notice states, by rule (content/legal/privacy.yaml,
   * src/domain/retention.ts): the Cron Trigger's purge and redaction jobs read them from here.
   */
  retention: RetentionPeriodsSchema,
});
export type Manifest = z.output<typeof ManifestSchema>;
export type ManifestAvvVersion = z.output<typeof ManifestAvvVersionSchema>;
export type ManifestDocumentState = z.output<typeof ManifestDocumentStateSchema>;
export type ManifestReceiptKey = z.output<typeof ManifestReceiptKeySchema>;
export type ManifestChange = z.output<typeof ManifestChangeSchema>;
export type ManifestTomsVersion = z.output<typeof ManifestTomsVersionSchema>;
export type ManifestAcceptanceWording = z.output<typeof ManifestAcceptanceWordingSchema>;
export type ManifestFinding = z.output<typeof ManifestFindingSchema>;
