import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { TextSchema } from './localized-text.ts';
import { PostalAddressSchema } from './postal-address.ts';
import { hasAdequacyDecision, isInEea } from '../domain/countries.ts';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug such as "contact-data"');

/** One place where the subprocessor processes or stores data. */
export const ProcessingLocationSchema = z.strictObject({
  /** ISO 3166-1 alpha-2 country code. Example: "DE". */
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "DE"'),
  /** City or data-centre region, if known. Example: "Frankfurt am Main". */
  city: z.string().min(1).optional(),
  /** Provider's region name. Example: "eu-central-1". */
  region: z.string().min(1).optional(),
  /** What happens here, where locations differ by purpose. Example: "Backup". */
  purpose: TextSchema.optional(),
});
export type ProcessingLocation = z.output<typeof ProcessingLocationSchema>;

/** Legal basis for a transfer to a country outside the EU/EEA (Chapter V GDPR). */
export const TransferMechanismSchema = z
  .strictObject({
    /**
     * - `adequacy`: adequacy decision, Art. 45 (country must have one);
     * - `eu-us-dpf`: the recipient is certified under the EU-US Data Privacy Framework;
     * - `scc`: EU Standard Contractual Clauses 2021/914, Art. 46(2)(c), with `sccModule`;
     * - `bcr`: Binding Corporate Rules, Art. 47;
     * - `art49`: a derogation under Art. 49 (explain in `note`).
     */
    type: z.enum(['adequacy', 'eu-us-dpf', 'scc', 'bcr', 'art49']),
    /** SCC module 1–4 (2 = controller→processor, 3 = processor→processor). Required for `scc`. */
    sccModule: z.number().int().min(1).max(4).optional(),
    /** Country this mechanism covers; omit when it covers every non-EEA location. */
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
    /** Free text: supplementary measures, TIA, certification link. */
    note: TextSchema.optional(),
  })
  .superRefine((mechanism, ctx) => {
    if (mechanism.type === 'scc' && mechanism.sccModule === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sccModule'], message: 'SCC transfers must name the module (1–4)' });
    }
    if (mechanism.type === 'art49' && mechanism.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'an Art. 49 derogation must say which one in a note' });
    }
  });
export type TransferMechanism = z.output<typeof TransferMechanismSchema>;

/**
 * One subprocessor (`content/subprocessors/<slug>.yaml`; the file name is the slug).
 * Read by the subprocessor list, its own page, the data-category matrix, change announcements
 * and the document hash of what a customer accepts.
 */
export const SubprocessorSchema = z
  .strictObject({
    /** Name as known to customers. Example: "Nordlicht Cloud". */
    name: z.string().min(1),
    /** Contracting legal entity. Example: "Nordlicht Cloud GmbH". */
    legalEntity: z.string().min(1),
    /** Registered address of the legal entity. */
    address: PostalAddressSchema,
    /** Privacy contact at the subprocessor: email or URL. Example: "privacy@example.com". */
    contact: z.string().min(1).optional(),
    /** Website. Example: "https://example.com". */
    website: z.url().optional(),
    /** Group in the list, as the AVV arranges it. Example: "Hosting". */
    group: TextSchema,
    /** What the subprocessor does for the vendor. Example: "Betrieb der Server". */
    purpose: TextSchema,
    /** Delimitation of responsibilities: what it does and does not get access to. */
    responsibilities: TextSchema.optional(),
    /** Ids of data categories it processes (from `content/data-categories.yaml`). */
    dataCategories: z.array(slug).min(1),
    /** Ids of data-subject categories (from `content/data-categories.yaml`). */
    dataSubjects: z.array(slug).min(1),
    /** Where data is processed; several allowed. */
    locations: z.array(ProcessingLocationSchema).min(1),
    /** Transfer mechanisms; required when any location is outside the EU/EEA. */
    transfers: z.array(TransferMechanismSchema).default([]),
    /** Certifications. Example: `["ISO/IEC 27001", "SOC 2 Type II"]`. */
    certifications: z.array(z.string().min(1)).default([]),
    /** Vendor services that use it. Example: `["Wolkenwerk Projekte"]`. */
    services: z.array(z.string().min(1)).default([]),
    /** First day it processes customer data. */
    since: CalendarDateSchema,
    /** Last day it processes customer data, once removed. */
    until: CalendarDateSchema.optional(),
  })
  .superRefine((subprocessor, ctx) => {
    const thirdCountries = [...new Set(subprocessor.locations.map((l) => l.country).filter((c) => !isInEea(c)))];
    for (const country of thirdCountries) {
      const covering = subprocessor.transfers.filter((t) => t.country === undefined || t.country === country);
      if (covering.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['transfers'],
          message: `location ${country} is outside the EU/EEA and needs a transfer mechanism (adequacy, eu-us-dpf, scc, bcr or art49)`,
        });
      }
      for (const mechanism of covering) {
        if (mechanism.type === 'adequacy' && !hasAdequacyDecision(country)) {
          ctx.addIssue({ code: 'custom', path: ['transfers'], message: `${country} has no EU adequacy decision; use another mechanism` });
        }
        if (mechanism.type === 'eu-us-dpf' && country !== 'US') {
          ctx.addIssue({ code: 'custom', path: ['transfers'], message: `eu-us-dpf covers only transfers to US, not ${country}` });
        }
      }
    }
    if (subprocessor.until !== undefined && subprocessor.until < subprocessor.since) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `until (${subprocessor.until}) is before since (${subprocessor.since})` });
    }
  });
export type Subprocessor = z.output<typeof SubprocessorSchema>;
