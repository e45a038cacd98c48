import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { SubprocessorSchema } from '../../schemas/subprocessor.ts';
import { root } from './run.ts';
import { formatCheckReport } from '../../lib/check-report.ts';
import { STATES_LOCK_FILE } from '../../lib/content-files.ts';
import { appendToStatesLock } from '../../lib/published-states-lock-file.ts';

/**
 * Copies `content/` to a fresh folder under `.bench/`, adds `count` generated subprocessors
 * (`subprocessors/bench-NNNN.yaml`), each valid per src/schemas/subprocessor.ts, and locks the
 * document states offered up to `buildDate` as `npm run states:lock` would, so the bench builds
 * what a deployment builds and an edit it makes is one the lock lets through. Returns the dir.
 */
export async function generateContent(count: number, buildDate: string): Promise<string> {
  const source = path.join(root, 'content');
  // Inside the project: Astro's build output must resolve packages from its node_modules.
  await mkdir(path.join(root, '.bench'), { recursive: true });
  const dir = await mkdtemp(path.join(root, '.bench', `content-${count}-`));
  const contentDir = path.join(dir, 'content');
  await cp(source, contentDir, { recursive: true });
  // The generated subprocessors join every state the example offered: another publication,
  // whose states the example's lock does not describe; it is locked anew below.
  await rm(path.join(contentDir, STATES_LOCK_FILE), { force: true });
  await mkdir(path.join(contentDir, 'subprocessors'), { recursive: true });

  const context = await benchContext(contentDir);
  for (let index = 1; index <= count; index++) {
    const entry = benchSubprocessor(index, context);
    SubprocessorSchema.parse(entry);
    await writeFile(path.join(contentDir, 'subprocessors', `${benchSlug(index)}.yaml`), dump(entry, { lineWidth: -1 }));
  }
  const locked = appendToStatesLock(contentDir, buildDate);
  if (locked.kind === 'refused') throw new Error(`the generated content cannot be locked:\n${formatCheckReport(locked.verdict)}`);
  return contentDir;
}

/** What generated entries refer to in the content they join: its category ids and earliest date. */
export interface BenchContext {
  data: string[];
  subjects: string[];
  since: string;
}

export async function benchContext(contentDir: string): Promise<BenchContext> {
  const categories = load(await readFile(path.join(contentDir, 'data-categories.yaml'), 'utf8')) as { id: string; kind: string }[];
  return {
    data: categories.filter((category) => category.kind === 'data').map((category) => category.id),
    subjects: categories.filter((category) => category.kind !== 'data').map((category) => category.id),
    since: await earliestDate(contentDir),
  };
}

/** File name (the permanent slug) of generated subprocessor number `index`. */
export const benchSlug = (index: number) => `bench-${String(index).padStart(4, '0')}`;

/**
 * Generated subprocessor number `index` (1-based), valid per src/schemas/subprocessor.ts given
 * the category ids of the content it joins and a `since` no later than its AVVs. The peer
 * benchmark (starlight-peer.ts) writes the same entries as Markdown pages.
 */
export function benchSubprocessor(index: number, { data, subjects, since }: BenchContext) {
  const number = String(index).padStart(4, '0');
  const inUs = index % 5 === 0; // Every fifth one exercises the third-country transfer rendering.
  return {
    name: `Bench Processor ${number}`,
    legalEntity: `Bench Processor ${number} ${inUs ? 'Inc.' : 'GmbH'}`,
    address: inUs
      ? { street: `${index} Market Street`, postalCode: '94105', city: 'San Francisco, CA', country: 'US' }
      : { street: `Teststraße ${index}`, postalCode: '10115', city: 'Berlin', country: 'DE' },
    contact: `privacy@bench-${number}.example`,
    website: `https://bench-${number}.example`,
    groups: [{ de: `Benchmark-Gruppe ${index % 7}`, en: `Benchmark group ${index % 7}` }],
    purpose: {
      de: `Generierter Unterauftragsverarbeiter Nr. ${index} für die Messung von Buildzeit und Seitengewicht.`,
      en: `Generated subprocessor no. ${index} for measuring build time and page weight.`,
    },
    dataCategories: rotate(data, index).slice(0, 1 + (index % 4)),
    dataSubjects: rotate(subjects, index).slice(0, 1 + (index % 2)),
    locations: [
      { country: 'DE', city: 'Frankfurt am Main' },
      ...(inUs ? [{ country: 'US', city: 'Ashburn, Virginia' }] : []),
    ],
    ...(inUs && { transfers: [{ type: 'scc', sccModule: 3, country: 'US' }] }),
    certifications: index % 2 === 0 ? ['ISO/IEC 27001'] : [],
    services: ['Benchmark'],
    since,
  };
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * A `since` no later than any AVV's effective date or existing subprocessor, so generated
 * entries count as engaged from the start and need no change announcement.
 */
async function earliestDate(contentDir: string): Promise<string> {
  const dates = ['2020-01-01'];
  for (const folder of ['avv', 'subprocessors']) {
    const files = await readdir(path.join(contentDir, folder)).catch(() => []);
    for (const file of files) {
      const text = await readFile(path.join(contentDir, folder, file), 'utf8');
      for (const match of text.matchAll(/^(?:since|effectiveDate):\s*["']?(\d{4}-\d{2}-\d{2})/gm)) dates.push(match[1] ?? '');
    }
  }
  return dates.sort()[0] ?? '2020-01-01';
}

/**
 * Changes the purpose of the first subprocessor announced but not yet engaged on `buildDate`
 * (`since` after it: the example's Sprachraum AI); returns its slug and the new text. That is the
 * edit an author can deploy: a subprocessor already listed is part of document states customers
 * were offered, and the lock refuses any in-place edit of it (published-state-changed); it changes
 * by a dated change instead (a new file with `since`, `until` on the old one).
 */
export async function editAnnouncedSubprocessor(contentDir: string, buildDate: string): Promise<{ slug: string; marker: string }> {
  const folder = path.join(contentDir, 'subprocessors');
  for (const name of (await readdir(folder)).sort()) {
    const file = path.join(folder, name);
    const text = await readFile(file, 'utf8');
    const since = /^since:\s*["']?(\d{4}-\d{2}-\d{2})/m.exec(text)?.[1];
    if (since === undefined || since <= buildDate) continue;
    const marker = 'Geänderter Zweck für den Warm-Build';
    const edited = text.replace(/^(purpose:\n\s+de: ).*$/m, `$1${marker}`);
    if (edited === text) throw new Error(`could not edit the purpose in ${file}`);
    await writeFile(file, edited);
    return { slug: name.replace(/\.yaml$/, ''), marker };
  }
  throw new Error(`${folder} holds no subprocessor announced after ${buildDate} to edit (one with \`since\` after the build date)`);
}
