import { isInEea } from '../../domain/countries.ts';
import type { Place } from '../countries.ts';
import type { SubprocessorDraft } from '../subprocessors.ts';
import { slugify } from '../text.ts';
import type { TransferMention } from '../transfer-basis.ts';
import { addressFields } from './address-fields.ts';
import { yamlWithGaps, type Gap } from './gaps.ts';
import { NOT_STATED } from '../../schemas/not-stated.ts';


/** One subprocessor file and the list entries it was built from (several when the list repeats it per group). */
export interface SubprocessorFile {
  slug: string;
  path: string;
  entries: SubprocessorDraft[];
  yaml: string;
  gaps: Gap[];
}

/**
 * `subprocessors/<slug>.yaml` per company (content model: src/schemas/subprocessor.ts). A
 * company the list names under several groups ("Private Cloud" and "Backup") is one file with
 * several groups, at the position of its first entry. Data categories the list states are left
 * out (a gap): mapping the list's words to the ids of data-categories.yaml is the author's
 * decision. Only where the list states none are they `not-stated`.
 */
export function subprocessorFiles(entries: readonly SubprocessorDraft[]): SubprocessorFile[] {
  const byCompany = new Map<string, { position: number; entries: SubprocessorDraft[] }>();
  entries.forEach((entry, index) => {
    const key = (entry.legalEntity.found ? entry.legalEntity.value : entry.name.value).toLowerCase();
    const company = byCompany.get(key);
    if (company) company.entries.push(entry);
    else byCompany.set(key, { position: index + 1, entries: [entry] });
  });
  const slugs = new Set<string>();
  return [...byCompany.values()].map(({ position, entries: group }) => {
    const first = group[0]!;
    let slug = slugify(first.name.value.split(':')[0]!, 4) || 'unterauftragsverarbeiter';
    for (let suffix = 2; slugs.has(slug); suffix += 1) slug = `${slugify(first.name.value, 4)}-${suffix}`;
    slugs.add(slug);
    const path = `subprocessors/${slug}.yaml`;
    const gaps: Gap[] = [];
    const data: Record<string, unknown> = { name: first.name.value };
    if (first.legalEntity.found) data.legalEntity = first.legalEntity.value;
    else gaps.push({ file: path, field: 'legalEntity', why: `${first.legalEntity.found ? '' : first.legalEntity.reason} (line ${first.name.lines.from}); write the contracting company` });
    if (first.address.found) {
      const address = addressFields(first.address.value, path, 'address');
      data.address = address.value;
      gaps.push(...address.gaps);
    } else {
      gaps.push({ file: path, field: 'address', why: `${first.address.found ? '' : first.address.reason}; write at least the country of its seat` });
    }
    const groups = [...new Set(group.flatMap((entry) => (entry.group ? [entry.group.value] : [])))];
    if (groups.length > 0) data.groups = groups;
    else gaps.push({ file: path, field: 'groups', why: 'the list has no group headings; write the heading it belongs under (e.g. the list\'s title)' });
    data.position = position;
    // Listed under several groups with a purpose each: all of them, in list order.
    const purposes = [...new Set(group.flatMap((entry) => (entry.purpose.found ? [entry.purpose.value] : [])))];
    if (purposes.length > 0) data.purpose = purposes.join('; ');
    else gaps.push({ file: path, field: 'purpose', why: `${first.purpose.found ? '' : first.purpose.reason}; write what it does as the AVV describes it` });
    // Where the list states data categories, they are left out for the author to map: writing
    // `not-stated` would publish "not stated in the AVV" for a fact the AVV states.
    const statedCategories = group.flatMap((entry) => (entry.dataCategories.found ? [entry.dataCategories] : []));
    if (statedCategories.length > 0) {
      const quoted = statedCategories.map((stated) => `"${stated.value}" (line ${stated.lines.from})`).join(', ');
      gaps.push({ file: path, field: 'dataCategories', why: `the list states ${quoted}; map these words to the ids of data-categories.yaml` });
    } else {
      data.dataCategories = NOT_STATED;
    }
    data.dataSubjects = NOT_STATED;
    const locations = merged(group.map((entry) => entry.locations), (place: Place) => (place.kind === 'country' ? place.code : place.region));
    const mentioned = group.find((entry) => entry.locationsMentioned)?.locationsMentioned;
    if (locations.length > 0) data.locations = locations.map(locationOf);
    else if (mentioned) {
      // Stated elsewhere in the AVV: `not-stated` would be false; where and for which data is the author's reading.
      gaps.push({ file: path, field: 'locations', why: `the list gives none, but line ${mentioned.lines.from} names it with ${mentioned.value.map((place) => (place.kind === 'country' ? place.code : place.region)).join(', ')}: "${mentioned.quote.slice(0, 160)}"; write the locations it states` });
    } else data.locations = NOT_STATED;
    const transfers = merged(group.map((entry) => entry.transfers), (mention: TransferMention) => mention.basis);
    const outside = locations.some((place) => place.kind === 'country' && !isInEea(place.code)) || (first.address.found && first.address.value.country !== undefined && !isInEea(first.address.value.country));
    if (transfers.length > 0) data.transfers = transfers.map(transferOf);
    else if (outside) data.transfers = NOT_STATED;
    if (first.certifications.found) data.certifications = [first.certifications.value];
    data.since = NOT_STATED;
    return { slug, path, entries: group, yaml: yamlWithGaps(data, gaps), gaps };
  });
}

/** The values of every entry's found list, each key once, in list order. */
function merged<T>(lists: readonly { found: boolean; value?: readonly T[] }[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  const values: T[] = [];
  for (const list of lists) {
    for (const value of list.found ? (list.value ?? []) : []) {
      if (!seen.has(key(value))) values.push(value);
      seen.add(key(value));
    }
  }
  return values;
}

function locationOf(place: Place): { country: string } {
  return { country: place.kind === 'country' ? place.code : place.region };
}

function transferOf(mention: TransferMention): Record<string, unknown> {
  if (mention.basis === 'scc') return { type: 'scc', sccModule: mention.sccModule ?? NOT_STATED };
  if (mention.basis === 'art49') return { type: 'art49', note: mention.words };
  return { type: mention.basis };
}
