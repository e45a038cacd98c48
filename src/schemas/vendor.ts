import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.ts';
import { PostalAddressSchema } from './postal-address.ts';
import { HolidayRegionSchema } from './notice-policy.ts';
import { AcknowledgedFindingsSchema } from './acknowledged-finding.ts';
import { statedOr } from './not-stated.ts';

/**
 * Where customers send instructions and their declarations on subprocessor changes (objection,
 * consent). Shown on every change page, in notices and feeds.
 */
const InstructionsContactSchema = z.strictObject({
  /** Name of the person or team. Example: "Team Datenschutz". */
  name: z.string().min(1),
  /** Email address. Example: "datenschutz@example.de". */
  email: z.email(),
  /** Phone number in international form, shown next to the address. Example: "+49 40 123456-0". */
  phone: z.string().min(1).optional(),
  /**
   * Postal address for declarations that need Schriftform (§ 126 BGB: signed paper, which an
   * e-mail is not); omit when it is the vendor's registered address and the AVV needs no
   * Schriftform. Example: `{ street: Wolkenhof 3, postalCode: "20457", city: Hamburg, country: DE }`.
   */
  postalAddress: PostalAddressSchema.optional(),
});

/**
 * The vendor (the processor, "Auftragsverarbeiter") publishing this trust center.
 * Read by the home page, the footer of every page, the AVV header and security.txt.
 */
export const VendorSchema = z.strictObject({
  /** Registered legal name. Example: "Wolkenwerk Software GmbH". */
  legalName: z.string().min(1),
  /** Short name used in running text and the page title. Example: "Wolkenwerk". */
  shortName: z.string().min(1),
  /** Registered office. */
  address: PostalAddressSchema,
  /** Commercial register entry. Example: "Amtsgericht Hamburg, HRB 123456". */
  register: z.string().min(1).optional(),
  /** Where customers send instructions (Weisungen) under Art. 28(3)(a) GDPR. */
  instructionsContact: InstructionsContactSchema,
  /**
   * Data protection officer (Art. 37 GDPR) as the AVV names them, or `not-stated` when it names
   * none (finding `dpo-not-named`).
   */
  dataProtectionOfficer: statedOr(
    z.strictObject({
      /** Name of the DPO. Example: "Dr. Jana Beispiel". */
      name: z.string().min(1),
      /** External firm if the DPO is not an employee. Example: "Datenschutz Nord Beratung GmbH". */
      organisation: z.string().min(1).optional(),
      /** Postal address of the DPO, if different from the vendor's. */
      address: PostalAddressSchema.optional(),
      /** Email address, or `not-stated`. Example: "dsb@example.de". */
      email: statedOr(z.email()),
      /** Phone number in international form. Example: "+49 40 123456-0". */
      phone: z.string().min(1).optional(),
    }),
  ),
  /** Supervisory authority competent for the vendor (optional). */
  supervisoryAuthority: z
    .strictObject({
      /** Example: "Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit". */
      name: z.string().min(1),
      /** Postal address. */
      address: PostalAddressSchema.optional(),
      /** Website. Example: "https://datenschutz-hamburg.de". */
      url: z.url().optional(),
    })
    .optional(),
  /** Public origin of this trust center, used in canonical links, feeds and the sitemap. */
  siteUrl: z.url(),
  /** UI languages, the first is the default. Example: `[de, en]`. */
  languages: z.array(z.enum(['de', 'en'])).min(1).default(['de', 'en']),
  /**
   * The holiday region of every period in `changeRules` that names none: the declaration is
   * due at the vendor's seat, so its holidays decide when a period ends. Required, with no
   * default: nationwide holidays alone would end Werktage periods and § 193 shifts earlier than
   * the Land of the seat does, and the pages would print the wrong last day. Example: `HH`.
   */
  holidayRegion: z.enum(HolidayRegionSchema.options, {
    error: (issue) =>
      issue.input === undefined
        ? 'missing: the Land of the vendor\'s seat (e.g. BE, HH, BY; BUND for nationwide holidays only), whose public holidays end the periods of the change rules'
        : undefined,
  }),
  /** Contents of /.well-known/security.txt (RFC 9116). */
  security: z.strictObject({
    /** Contact URI for vulnerability reports. Example: "mailto:security@example.de". */
    contact: z.string().regex(/^(mailto:|https:\/\/|tel:)/, 'expected a mailto:, https:// or tel: URI'),
    /** Date after which the file must be considered stale (RFC 9116 §2.5.5). */
    expires: CalendarDateSchema,
    /** Link to the vulnerability disclosure policy. */
    policy: z.url().optional(),
    /** Languages the security team reads. Example: `[de, en]`. */
    preferredLanguages: z.array(z.string().min(2)).default(['de', 'en']),
  }),
  /** Legal findings about the vendor profile the author acknowledges, with reasons. */
  acknowledgedFindings: AcknowledgedFindingsSchema,
});
export type Vendor = z.output<typeof VendorSchema>;
