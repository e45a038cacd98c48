import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { berlinDateOf } from '../../src/domain/calendar-date.ts';
import { astroBuild, scratchDir } from './astro-build.ts';

/**
 * A site whose changes sit around TODAY, for the declaration tests: the Worker checks a
 * customer's window against the real clock (the day a declaration arrives is a legal fact, not
 * a build setting), so the test content is written relative to today and built for today.
 * Based on tests/fixtures/minimal-content, with AVV 2.0's rules replaced by one rule per case:
 *
 * | change                   | rule (AVV 2.0)           | window                                     |
 * | ------------------------ | ------------------------ | ------------------------------------------ |
 * | `objection-open`         | widerspruch (Textform, withdrawable; until when not stated) | 14 Werktage, announced 2 days ago  |
 * | `objection-late`         | widerspruch              | announced 30 days ago: closed from the announcement, open from a late receipt |
 * | `update-schriftform`     | widerspruch-schriftlich (Schriftform, reasons required, not withdrawable) | open |
 * | `consent-drittland`      | zustimmung-drittland (consent, no period, withdrawable at any time, for the future) | no period, already effective |
 * | `removal`                | none covers removals     | no declaration                             |
 * | `2025-03-mailer-update`  | AVV 1.0 widerspruch      | closed since 2025                          |
 */
export const DECLARATION_CHANGES = {
  open: 'objection-open',
  late: 'objection-late',
  schriftform: 'update-schriftform',
  consent: 'consent-drittland',
  removal: 'removal',
  closed: '2025-03-mailer-update',
} as const;

const root = path.resolve(import.meta.dirname, '../..');

export interface DeclarationSite {
  /** The build's server output, for startWorker({ serverDir }). */
  serverDir: string;
  /** Today (Europe/Berlin) as the content and the build see it. */
  today: string;
  /** Announcement day of each change, by id. */
  announced: Record<string, string>;
  remove(): Promise<void>;
}

/** Calendar arithmetic on YYYY-MM-DD, in UTC so no time zone shifts a day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const RULES = `changeRules:
  - id: zustimmung-drittland
    clause: "§ 2 Abs. 2"
    scope: { kinds: [add, replace, update], condition: third-country }
    right: consent
    noticePeriod: { wording: vorab }
    responsePeriod: not-stated
    form: textform
    reasonsRequired: false
    withdrawable: true
    withdrawal: { clause: "§ 2 Abs. 2", wording: "Der Kunde kann eine erteilte Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.", period: any-time, takesEffect: future, form: not-stated, addressee: not-stated }
    lapsesAfterPeriod: not-stated
    consequence: Ohne Zustimmung unterbleibt die Übermittlung.
  - id: widerspruch-schriftlich
    clause: "§ 2 Abs. 3"
    scope: { kinds: [update] }
    right: objection
    noticePeriod: { wording: "30 Tage vorher", amount: 30, unit: calendar-days, qualifier: at-least, shiftToNextWorkingDay: true }
    responsePeriod: { wording: "binnen 14 Werktagen", amount: 14, unit: werktage, qualifier: exactly, countedFrom: receipt, shiftToNextWorkingDay: true }
    form: schriftform
    reasonsRequired: true
    reasonsWording: aus wichtigem datenschutzrechtlichem Grund
    withdrawable: false
    lapsesAfterPeriod: true
    consequence: not-stated
  - id: widerspruch
    clause: "§ 2 Abs. 4"
    scope: { kinds: [add, replace] }
    right: objection
    noticePeriod: { wording: "30 Tage vorher", amount: 30, unit: calendar-days, qualifier: at-least, shiftToNextWorkingDay: true }
    responsePeriod: { wording: "binnen 14 Werktagen", amount: 14, unit: werktage, qualifier: exactly, countedFrom: receipt, shiftToNextWorkingDay: true }
    form: textform
    reasonsRequired: false
    withdrawable: true
    withdrawal: { clause: "§ 2 Abs. 4", wording: "Der Kunde kann seinen Widerspruch zurücknehmen.", period: not-stated, takesEffect: not-stated, form: not-stated, addressee: not-stated }
    lapsesAfterPeriod: not-stated
    consequence: not-stated
`;

function subprocessor(name: string, country: string, since: string, extra = ''): string {
  return [
    `name: ${name}`,
    `legalEntity: ${name} GmbH`,
    `address: { street: Teststraße 9, postalCode: "10115", city: Berlin, country: ${country} }`,
    'groups: [{ de: Test, en: Test }]',
    'purpose: { de: Testbetrieb, en: Test operation }',
    'dataCategories: [kontaktdaten]',
    'dataSubjects: [beschaeftigte]',
    `locations: [{ country: ${country} }]`,
    ...(country === 'US' ? ['transfers: [{ type: eu-us-dpf }]'] : []),
    `since: ${since}`,
    extra,
  ].join('\n');
}

function change(kind: string, title: string, slug: string, announcedDate: string, effectiveDate: string): string {
  return `---\nkind: ${kind}\ntitle: { de: ${title}, en: ${title} }\nsubprocessors: [${slug}]\nannouncedDate: ${announcedDate}\neffectiveDate: ${effectiveDate}\n---\n${title}.\n`;
}

/** Writes the content tree and builds it (a real `astro build`, a minute or two). */
export async function buildDeclarationSite(): Promise<DeclarationSite> {
  const today = berlinDateOf(new Date());
  const dir = await scratchDir('declaration-site');
  const content = path.join(dir, 'content');
  await cp(path.join(root, 'tests/fixtures/minimal-content'), content, { recursive: true });

  const avvPath = path.join(content, 'avv/2.0.md');
  const avv = await readFile(avvPath, 'utf8');
  await writeFile(avvPath, avv.replace(/changeRules:\n(?: {2}.*\n|\s*#.*\n)+/, RULES));
  const vendorPath = path.join(content, 'vendor.yaml');
  const vendor = await readFile(vendorPath, 'utf8');
  // Schriftform needs a postal address for declarations (else a finding).
  await writeFile(vendorPath, vendor.replace('instructionsContact: { name: Team Datenschutz, email: weisungen@testfirma.example }', 'instructionsContact: { name: Team Datenschutz, email: weisungen@testfirma.example, postalAddress: { street: Teststraße 1, postalCode: "10115", city: Berlin, country: DE } }'));

  const announced: Record<string, string> = {
    [DECLARATION_CHANGES.open]: addDays(today, -2),
    [DECLARATION_CHANGES.late]: addDays(today, -30),
    [DECLARATION_CHANGES.schriftform]: addDays(today, -2),
    [DECLARATION_CHANGES.consent]: addDays(today, -100),
    [DECLARATION_CHANGES.removal]: addDays(today, -2),
    [DECLARATION_CHANGES.closed]: '2025-03-03',
  };
  const effective = (id: string, days: number) => addDays(announced[id]!, days);
  const files: Array<[string, string]> = [
    ['subprocessors/neu-eu.yaml', subprocessor('Neu EU', 'DE', effective(DECLARATION_CHANGES.open, 45))],
    ['changes/objection-open.md', change('add', 'Neu EU kommt hinzu', 'neu-eu', announced[DECLARATION_CHANGES.open]!, effective(DECLARATION_CHANGES.open, 45))],
    ['subprocessors/spaet-eu.yaml', subprocessor('Spaet EU', 'DE', effective(DECLARATION_CHANGES.late, 50))],
    ['changes/objection-late.md', change('add', 'Spaet EU kommt hinzu', 'spaet-eu', announced[DECLARATION_CHANGES.late]!, effective(DECLARATION_CHANGES.late, 50))],
    ['subprocessors/bestand-eu.yaml', subprocessor('Bestand EU', 'DE', '2025-01-01')],
    ['changes/update-schriftform.md', change('update', 'Bestand EU erweitert die Verarbeitung', 'bestand-eu', announced[DECLARATION_CHANGES.schriftform]!, effective(DECLARATION_CHANGES.schriftform, 45))],
    ['subprocessors/drittland-us.yaml', subprocessor('Drittland US', 'US', effective(DECLARATION_CHANGES.consent, 50))],
    ['changes/consent-drittland.md', change('add', 'Drittland US kommt hinzu', 'drittland-us', announced[DECLARATION_CHANGES.consent]!, effective(DECLARATION_CHANGES.consent, 50))],
    ['subprocessors/wegfall-eu.yaml', subprocessor('Wegfall EU', 'DE', '2025-01-01', `until: ${effective(DECLARATION_CHANGES.removal, 44)}`)],
    ['changes/removal.md', change('remove', 'Wegfall EU entfaellt', 'wegfall-eu', announced[DECLARATION_CHANGES.removal]!, effective(DECLARATION_CHANGES.removal, 45))],
  ];
  for (const [file, text] of files) await writeFile(path.join(content, file), `${text}\n`);

  const outDir = path.join(dir, 'dist');
  const build = await astroBuild({ outDir, contentDir: content, buildDate: today });
  if (build.exitCode !== 0) throw new Error(`the declaration test site did not build:\n${build.output.slice(-4000)}`);
  return { serverDir: path.join(outDir, 'server'), today, announced, remove: () => rm(dir, { recursive: true, force: true }) };
}
