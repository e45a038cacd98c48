import { z } from 'zod';
import type { Publication } from './publication.ts';
import { statedAddressParts } from './postal-address-line.ts';

/**
 * What the frame of every page (header and footer) shows about the vendor. Prerendered pages
 * take it from the publication; pages rendered per request (the receipt page) read the same
 * values from `/site-chrome.json`, written by the build, so the Worker never loads content.
 */
export const SiteChromeSchema = z.strictObject({
  /** Format marker of `/site-chrome.json`. */
  format: z.literal('trust-center/site-chrome@1'),
  /** Public origin without trailing slash. Example: "https://trust.wolkenwerk.example". */
  siteUrl: z.string(),
  /** Short name in the header and page titles. Example: "Wolkenwerk". */
  shortName: z.string(),
  /** Registered legal name. Example: "Wolkenwerk Software GmbH". */
  legalName: z.string(),
  /** Registered office on one line. Example: "Hafenstraße 1 · 20457 Hamburg". */
  addressLine: z.string(),
  /** Commercial register entry, if any. Example: "Amtsgericht Hamburg, HRB 123456". */
  register: z.string().optional(),
  /** Data protection officer as named in the footer; absent when the AVV names none. */
  dataProtectionOfficer: z.strictObject({
    /** Example: "Dr. Jana Beispiel". */
    name: z.string(),
    /** External firm, if any. */
    organisation: z.string().optional(),
    /** Example: "dsb@example.de"; absent when not stated. */
    email: z.string().optional(),
  }).optional(),
  /** The day the site was built for (YYYY-MM-DD), shown as "Stand". */
  buildDate: z.string(),
});
export type SiteChrome = z.output<typeof SiteChromeSchema>;

export function siteChromeOf({ vendor, buildDate }: Pick<Publication, 'vendor' | 'buildDate'>): SiteChrome {
  const dpo = vendor.dataProtectionOfficer;
  return SiteChromeSchema.parse({
    format: 'trust-center/site-chrome@1',
    siteUrl: vendor.siteUrl.replace(/\/$/, ''),
    shortName: vendor.shortName,
    legalName: vendor.legalName,
    addressLine: [statedAddressParts(vendor.address).street, statedAddressParts(vendor.address).place].filter(Boolean).join(' · '),
    register: vendor.register,
    dataProtectionOfficer: dpo === 'not-stated' ? undefined : { name: dpo.name, organisation: dpo.organisation, email: dpo.email === 'not-stated' ? undefined : dpo.email },
    buildDate,
  });
}
