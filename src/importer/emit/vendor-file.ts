import type { ImportedAvv } from '../import-document.ts';
import { addressFields } from './address-fields.ts';
import { yamlWithGaps, type Gap } from './gaps.ts';
import { NOT_STATED } from '../../schemas/not-stated.ts';

const LEGAL_FORM_SUFFIX = /[\s,]+(?:GmbH & Co\. KG|UG \(haftungsbeschränkt\)|gGmbH|GmbH|AG|SE|KG|OHG|e\.K\.|Inc\.?|LLC|Ltd\.?|Limited|SAS|SARL|S\.A\.|B\.V\.|N\.V\.|ApS|AB|Oy)$/;

/**
 * `vendor.yaml` (content model: src/schemas/vendor.ts): the processor as the party block names
 * it (or `--vendor-name`). Contacts, the site URL and security.txt are the vendor's own facts
 * that an AVV rarely states; they are left as gaps for the author.
 */
export function vendorFile(imported: ImportedAvv, vendorName: string | undefined): { path: string; content: string; gaps: Gap[] } {
  const path = 'vendor.yaml';
  const gaps: Gap[] = [];
  const data: Record<string, unknown> = {};
  // The party block's name wins: `--vendor-name` fills a gap, it never replaces what the AVV states.
  const stated = imported.vendor.legalName.found ? imported.vendor.legalName.value : undefined;
  const legalName = stated ?? vendorName;
  if (legalName) {
    data.legalName = legalName;
    data.shortName = legalName.replace(LEGAL_FORM_SUFFIX, '') || legalName;
  } else {
    gaps.push({ file: path, field: 'legalName', why: `${imported.vendor.legalName.found ? '' : imported.vendor.legalName.reason}; write the processor's registered name or pass --vendor-name` });
  }
  if (imported.vendor.address.found) {
    const address = addressFields(imported.vendor.address.value, path, 'address');
    data.address = address.value;
    gaps.push(...address.gaps);
  } else {
    gaps.push({ file: path, field: 'address', why: `${imported.vendor.address.found ? '' : imported.vendor.address.reason}; write the registered office` });
  }
  gaps.push({ file: path, field: 'instructionsContact', why: 'write where customers send instructions and objections (name, email; postalAddress if the AVV demands Schriftform)' });
  const { dpo, mentionedAt } = imported.dpo;
  if (dpo) data.dataProtectionOfficer = { name: dpo.name, ...(dpo.organisation ? { organisation: dpo.organisation } : {}), email: dpo.email ?? NOT_STATED };
  else if (mentionedAt !== undefined) gaps.push({ file: path, field: 'dataProtectionOfficer', why: `the AVV speaks of a data protection officer (line ${mentionedAt}) without naming one the importer could read; write name and email, or not-stated` });
  else data.dataProtectionOfficer = NOT_STATED;
  // Never guessed from the address: a city name does not always say the Land, and a wrong Land
  // moves the last day of every period counted in Werktage.
  gaps.push({ file: path, field: 'holidayRegion', why: 'write the Land of the vendor\'s seat (e.g. BE for Berlin, HH for Hamburg); its public holidays end the periods of the change rules' });
  gaps.push({ file: path, field: 'siteUrl', why: 'write the public origin of the trust center, e.g. https://trust.example.com' });
  gaps.push({ file: path, field: 'security', why: 'write the security.txt contact and expiry (RFC 9116)' });
  return { path, content: yamlWithGaps(data, gaps), gaps };
}
