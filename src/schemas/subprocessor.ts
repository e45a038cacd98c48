import { z } from 'zod';
import { isCountryCode, REGION_WIDE_LOCATIONS } from '../domain/countries.ts';
import { countryCodeSchema } from './country-code.ts';
import { ALWAYS } from './always.ts';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';
import { CalendarDateSchema } from './calendar-date.ts';
import { TextSchema } from './localized-text.ts';
import { NOT_STATED_HINT, statedOr } from './not-stated.ts';
import { PostalAddressSchema } from './postal-address.ts';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug such as "contact-data"');

/**
 * Where processing happens: an ISO 3166-1 alpha-2 country code, or a region the AVV names as a
 * whole — `EU` (the European Union) or `EEA` (EU/EWR) — which counts as inside the EU/EEA.
 * Example: "DE", "EU".
 */
export const LocationCodeSchema = z
  .string()
  .refine((code) => isCountryCode(code) || REGION_WIDE_LOCATIONS.has(code), 'expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA for a region-wide location');

/**
 * What a location is for, where the AVV distinguishes:
 * `primary` (Primärrechenzentrum), `secondary` (Zweit-/Ausweichrechenzentrum), `backup`,
 * `remote-access` (access from there, no storage), `support`.
 */
export const LocationRoleSchema = z.enum(['primary', 'secondary', 'backup', 'remote-access', 'support']);
export type LocationRole = z.output<typeof LocationRoleSchema>;

/** One place where the subprocessor processes or stores data. */
export const ProcessingLocationSchema = z.strictObject({
  /** Country code, or `EU` / `EEA` for a region-wide statement. Example: "DE". */
  country: LocationCodeSchema,
  /** City or data-centre site, if the AVV names one. Example: "Frankfurt am Main". */
  city: z.string().min(1).optional(),
  /** Provider's region name. Example: "eu-central-1". */
  region: z.string().min(1).optional(),
  /** Role of the location, where the AVV gives one. Example: `secondary`. */
  role: LocationRoleSchema.optional(),
  /** What happens here, in words. Example: "Backup". */
  purpose: TextSchema.optional(),
});
export type ProcessingLocation = z.output<typeof ProcessingLocationSchema>;

/** Legal basis for a transfer to a country outside the EU/EEA (Chapter V GDPR), as the AVV states it. */
export const TransferMechanismSchema = z
  .strictObject({
    /**
     * - `adequacy`: adequacy decision, Art. 45 (finding if the country has none);
     * - `eu-us-dpf`: the recipient is certified under the EU-US Data Privacy Framework;
     * - `scc`: EU Standard Contractual Clauses 2021/914, Art. 46(2)(c), with `sccModule`;
     * - `bcr`: Binding Corporate Rules, Art. 47;
     * - `art49`: a derogation under Art. 49 (explain in `note`);
     * - `privacy-shield`: the EU-US Privacy Shield — invalid since CJEU C-311/18 (16 July 2020);
     *   publish it if that is what the AVV says: the site flags it as invalid (finding `transfer-basis-invalid`).
     */
    type: z.enum(['adequacy', 'eu-us-dpf', 'scc', 'bcr', 'art49', 'privacy-shield']),
    /** SCC module 1–4 (2 = controller→processor, 3 = processor→processor), or `not-stated`. Required for `scc`. */
    sccModule: statedOr(z.number().int().min(1).max(4)).optional(),
    /** Country this mechanism covers; omit when it covers every non-EEA location. Example: "US". */
    country: countryCodeSchema('US').optional(),
    /** Free text: supplementary measures, TIA, certification link. */
    note: TextSchema.optional(),
  })
  .superRefine((mechanism, ctx) => {
    if (mechanism.type === 'scc' && mechanism.sccModule === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sccModule'], message: `SCC transfers name the module (1–4); ${NOT_STATED_HINT}` });
    }
    if (mechanism.type !== 'scc' && mechanism.sccModule !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sccModule'], message: `sccModule only applies to type scc, not ${mechanism.type}` });
    }
    if (mechanism.type === 'art49' && mechanism.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'an Art. 49 derogation must say which one in a note' });
    }
  }, ALWAYS);
export type TransferMechanism = z.output<typeof TransferMechanismSchema>;

/**
 * The transfer mechanisms the AVV names for this subprocessor, or `not-stated` when the AVV names
 * none although data leaves the EU/EEA (finding `transfer-mechanism-missing`). Omit the field
 * when every location is inside the EU/EEA.
 */
export const TransfersSchema = statedOr(z.array(TransferMechanismSchema).min(1, 'list at least one mechanism, or write `not-stated`'));
export type Transfers = z.output<typeof TransfersSchema>;

/**
 * A data category or data-subject category the AVV assigns to the subprocessor, by id from
 * `content/data-categories.yaml`; with a `qualifier` where the AVV restricts the mapping.
 * Example: `stammdaten` or `{ id: stammdaten, qualifier: "keine Endkundendaten" }`.
 */
export const CategoryMappingSchema = z
  .union([slug, z.strictObject({
    /** Id of the category. Example: "stammdaten". */
    id: slug,
    /** The AVV's restriction, shown in the matrix cell. Example: "verschlüsselt", "nur bei Nutzung der E-Mail-Funktion". */
    qualifier: TextSchema,
  })])
  .transform((value) => (typeof value === 'string' ? { id: value } : value));
export type CategoryMapping = z.output<typeof CategoryMappingSchema>;

const categoryList = statedOr(z.array(CategoryMappingSchema).min(1, 'list at least one category, or write `not-stated`'));

/**
 * A subcontractor of the subprocessor (onward transfer): who it is, where it processes and on
 * which basis, as the AVV or the subprocessor's own list states it.
 */
export const OnwardTransferSchema = z.strictObject({
  /** Name of the subcontractor. Example: "Kundendienst Pune Pvt. Ltd.". */
  name: z.string().min(1),
  /** Country of processing (code, or EU / EEA). Example: "IN". */
  country: LocationCodeSchema,
  /** What it does for the subprocessor. Example: "Telefonsupport in der Nacht". */
  purpose: TextSchema.optional(),
  /** Transfer mechanisms for this onward transfer; `not-stated` when none is named. Omit inside the EU/EEA. */
  transfers: TransfersSchema.optional(),
});
export type OnwardTransfer = z.output<typeof OnwardTransferSchema>;

/**
 * The facts of a subprocessor that a dated update may change, without defaults: the main schema
 * adds those, and `earlier` names only the fields whose values differed.
 */
const SUBPROCESSOR_FACTS = {
  /** Name as known to customers. Example: "Nordlicht Cloud". */
  name: z.string().min(1),
  /** Contracting legal entity. Example: "Nordlicht Cloud GmbH". */
  legalEntity: z.string().min(1),
  /** Registered address (Sitz) of the legal entity; parts may be `not-stated`. */
  address: PostalAddressSchema,
  /** Privacy contact at the subprocessor: email or URL. Example: "privacy@example.com". */
  contact: z.string().min(1).optional(),
  /** Phone number in international form, where published. Example: "+49 69 123456-0". */
  phone: z.string().min(1).optional(),
  /** Website. Example: "https://example.com". */
  website: z.url().optional(),
  /**
   * Groups in the list, as the AVV arranges it; a subprocessor the AVV lists under several
   * headings ("Public Cloud" and "Backup") has several, in one file.
   * Example: `[{ de: Hosting, en: Hosting }, Backup]`.
   */
  groups: z.array(TextSchema).min(1),
  /**
   * Position in the AVV's own list (1 = first); the list and the matrix follow it. Omit to
   * sort by name. Example: `3`.
   */
  position: z.number().int().min(1).optional(),
  /** What the subprocessor does for the vendor. Example: "Betrieb der Server". */
  purpose: TextSchema,
  /** Delimitation of responsibilities: what it does and does not get access to. */
  responsibilities: TextSchema.optional(),
  /** Data categories it processes (ids from data-categories.yaml), or `not-stated`. */
  dataCategories: categoryList,
  /** Data-subject categories (ids from data-categories.yaml), or `not-stated`. */
  dataSubjects: categoryList,
  /** Where data is processed, or `not-stated` when the AVV names only the seat. */
  locations: statedOr(z.array(ProcessingLocationSchema).min(1, 'list at least one location, or write `not-stated`')),
  /** Transfer mechanisms for locations outside the EU/EEA; omit when all are inside. */
  transfers: TransfersSchema.optional(),
  /** The subprocessor's own subcontractors, where the AVV lists them (none: omit). */
  onwardTransfers: z.array(OnwardTransferSchema),
  /** Certifications. Example: `["ISO/IEC 27001", "SOC 2 Type II"]`. */
  certifications: z.array(z.string().min(1)),
  /** Vendor services that use it. Example: `["Wolkenwerk Projekte"]`. */
  services: z.array(z.string().min(1)),
};

/**
 * What a dated update replaced: the values the changed fields had up to and including `until`,
 * the day before the update took effect. The file itself holds the facts as they are now; the
 * document states of earlier days read these instead (src/domain/subprocessor-as-of.ts), so an
 * update changes the subprocessor from its day on and leaves every state already offered as it
 * was. Example: `{ until: 2025-10-19, locations: [{ country: US, city: San Francisco }] }`.
 */
export const EarlierFactsSchema = z.strictObject({
  /** The last day these values held. Example: "2025-10-19". */
  until: CalendarDateSchema,
  ...Object.fromEntries(Object.entries(SUBPROCESSOR_FACTS).map(([field, schema]) => [field, schema.optional()])) as {
    [K in keyof typeof SUBPROCESSOR_FACTS]: z.ZodOptional<(typeof SUBPROCESSOR_FACTS)[K]>;
  },
});
export type EarlierFacts = z.output<typeof EarlierFactsSchema>;

/**
 * One subprocessor (`content/subprocessors/<slug>.yaml`; the file name is the slug).
 * Read by the subprocessor list, its own page, the data-category matrix, change announcements
 * and the document hash of what a customer accepts.
 */
export const SubprocessorSchema = z
  .strictObject({
    ...SUBPROCESSOR_FACTS,
    onwardTransfers: SUBPROCESSOR_FACTS.onwardTransfers.default([]),
    certifications: SUBPROCESSOR_FACTS.certifications.default([]),
    services: SUBPROCESSOR_FACTS.services.default([]),
    /**
     * The values fields had before each dated update (`kind: update` change), newest or oldest
     * first; omit while nothing was updated.
     */
    earlier: z.array(EarlierFactsSchema).optional(),
    /** First day it processes customer data, or `not-stated` when the AVV does not say. */
    since: statedOr(CalendarDateSchema),
    /** Last day it processes customer data, once removed. */
    until: CalendarDateSchema.optional(),
    /** Legal findings about this subprocessor the author acknowledges, with reasons. */
    acknowledgedFindings: AcknowledgedFindingsSchema,
  })
  .superRefine((subprocessor, ctx) => {
    if (typeof subprocessor.until === 'string' && typeof subprocessor.since === 'string' && subprocessor.since !== 'not-stated' && subprocessor.until < subprocessor.since) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `until (${subprocessor.until}) is before since (${subprocessor.since})` });
    }
    const untils = new Set<string>();
    (subprocessor.earlier ?? []).forEach((earlier, index) => {
      const path = ['earlier', index, 'until'];
      if (typeof earlier.until !== 'string') return;
      if (typeof subprocessor.since === 'string' && subprocessor.since !== 'not-stated' && earlier.until < subprocessor.since) {
        ctx.addIssue({ code: 'custom', path, message: `${earlier.until} is before since (${subprocessor.since}): nothing held then` });
      }
      if (typeof subprocessor.until === 'string' && earlier.until >= subprocessor.until) {
        ctx.addIssue({ code: 'custom', path, message: `${earlier.until} is not before until (${subprocessor.until}): an update takes effect while the subprocessor is engaged` });
      }
      if (untils.has(earlier.until)) ctx.addIssue({ code: 'custom', path, message: `two earlier entries end on ${earlier.until}: list what one update replaced in one entry` });
      untils.add(earlier.until);
      if (Object.keys(earlier).length === 1) ctx.addIssue({ code: 'custom', path: ['earlier', index], message: 'names no field: list the fields whose values the update replaced' });
    });
  }, ALWAYS);
export type Subprocessor = z.output<typeof SubprocessorSchema>;
