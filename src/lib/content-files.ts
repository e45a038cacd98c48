import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { z } from 'zod';
import { checkPublicationSource, type ContentCheckResult } from '../domain/content-check.ts';
import { reportFindings } from '../domain/findings.ts';
import type { ContentProblem, PublicationSource, SourceEntry } from '../domain/publication-source.ts';
import { zodProblems } from '../domain/zod-problems.ts';
import { AcceptanceWordingSchema } from '../schemas/acceptance-wording.ts';
import { AvvVersionSchema } from '../schemas/avv.ts';
import { ChangeSchema } from '../schemas/change.ts';
import { DataCategorySchema } from '../schemas/data-category.ts';
import { ImprintSchema, PrivacyNoticeSchema } from '../schemas/legal.ts';
import { SubprocessorSchema } from '../schemas/subprocessor.ts';
import { TomVersionSchema } from '../schemas/tom.ts';
import { TranslationSchema } from '../schemas/translation.ts';
import { VendorSchema } from '../schemas/vendor.ts';
import { PublishedStatesLockSchema, type PublishedStateEntry } from '../schemas/published-states.ts';
import { stateFingerprints } from './document-state-fingerprints.ts';

/**
 * Reads a content tree straight from disk and validates every file with the project's schemas,
 * before Astro loads anything: `npm run check` and the build's pre-check both use it, so they
 * print the same report. Every problem of every file is collected; nothing stops at the first.
 */

/** The folders of a content tree, each with its schema and file type. */
const FOLDERS = [
  { folder: 'avv', extension: '.md', schema: AvvVersionSchema },
  { folder: 'toms', extension: '.md', schema: TomVersionSchema },
  { folder: 'subprocessors', extension: '.yaml', schema: SubprocessorSchema },
  { folder: 'changes', extension: '.md', schema: ChangeSchema },
  { folder: 'acceptance-wording', extension: '.md', schema: AcceptanceWordingSchema },
] as const;

export interface LoadedContent {
  /** Problems of single files: syntax, schema. */
  fileProblems: ContentProblem[];
  /** The files that passed their schema. */
  source: PublicationSource;
}

/** How a file is named in messages: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * A YAML syntax error at the line of the file the author sees: `linesBefore` is what precedes
 * the YAML in the file (1 for a Markdown file's opening `---`).
 */
function yamlProblem(file: string, error: unknown, linesBefore = 0): ContentProblem {
  const mark = (error as { mark?: { line: number; column: number } }).mark;
  const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
  return { file: displayPath(file), field: '', message: `not valid YAML${mark ? ` (line ${mark.line + 1 + linesBefore}, column ${mark.column + 1})` : ''}: ${reason}` };
}

/** Markdown front matter starts on the line after the opening `---`. */
const FRONTMATTER_FIRST_LINE_OFFSET = 1;

/** Frontmatter and body of a Markdown file; the frontmatter is the YAML between the first two `---` lines. */
function splitFrontmatter(text: string): { frontmatter: string; body: string } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  return match ? { frontmatter: match[1]!, body: match[2]! } : undefined;
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown, file: string, problems: ContentProblem[]): z.output<T> | undefined {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  for (const { field, message } of zodProblems(result.error, input)) problems.push({ file: displayPath(file), field, message });
  return undefined;
}

function readYaml(file: string, problems: ContentProblem[]): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseYaml(readFileSync(file, 'utf8')) };
  } catch (error) {
    problems.push(yamlProblem(file, error));
    return { ok: false };
  }
}

function listFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')).sort() : [];
}

/** `toms/2026-01.en.md` is the English convenience translation of `toms/2026-01.md`. */
const TRANSLATION_SUFFIX = '.en.md';

/**
 * One translation file, with the German file it translates and that file's SHA-256 now (the
 * finding `translation-outdated` compares it with the one the translation was made from).
 */
function loadTranslation(dir: string, folder: 'avv' | 'toms' | 'changes', name: string, problems: ContentProblem[]): NonNullable<PublicationSource['translations']>[number] | undefined {
  const file = path.join(dir, name);
  const sourceId = name.slice(0, -TRANSLATION_SUFFIX.length);
  const sourceFile = path.join(dir, `${sourceId}.md`);
  if (!existsSync(sourceFile)) {
    problems.push({ file: displayPath(file), field: '', message: `translates ${displayPath(sourceFile)}, which does not exist: name the translation after the German file, with .en before .md` });
    return undefined;
  }
  const parts = splitFrontmatter(readFileSync(file, 'utf8'));
  if (!parts) {
    problems.push({ file: displayPath(file), field: '', message: 'no frontmatter: start the file with a line "---", the fields, and another "---"' });
    return undefined;
  }
  let input: unknown;
  try {
    input = parseYaml(parts.frontmatter);
  } catch (error) {
    problems.push(yamlProblem(file, error, FRONTMATTER_FIRST_LINE_OFFSET));
    return undefined;
  }
  const data = parseWith(TranslationSchema, input ?? {}, file, problems);
  if (!data) return undefined;
  if (folder !== 'toms' && data.sections) {
    problems.push({ file: displayPath(file), field: 'sections', message: 'only a TOMs translation has sections; translate this text in the Markdown body' });
    return undefined;
  }
  const sourceSha256 = createHash('sha256').update(readFileSync(sourceFile)).digest('hex');
  return { id: sourceId, file: displayPath(file), data: { ...data, body: parts.body, folder, sourceId, sourceFile: displayPath(sourceFile), sourceSha256 } };
}

/** A TOMs translation translates every section and every measure, in the German order. */
function tomsTranslationShapeProblems({ translations = [], tomVersions }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of translations.filter((translation) => translation.data.folder === 'toms')) {
    const german = tomVersions.find((version) => version.file === data.sourceFile);
    if (!german) continue; // the German file's own problems are reported
    const sections = data.sections ?? [];
    if (sections.length !== german.data.sections.length) {
      problems.push({ file, field: 'sections', message: `${data.sourceFile} has ${german.data.sections.length} sections; translate each, in the same order (${sections.length} given)` });
      continue;
    }
    german.data.sections.forEach((section, index) => {
      const translated = sections[index]!;
      if (translated.measures.length !== section.measures.length) {
        problems.push({ file, field: `sections[${index}].measures`, message: `section "${section.id}" has ${section.measures.length} measures; translate each, in the same order (${translated.measures.length} given)` });
      }
      if ((translated.description === undefined) !== (section.description === undefined)) {
        problems.push({ file, field: `sections[${index}].description`, message: section.description === undefined ? `section "${section.id}" has no description to translate` : `section "${section.id}" has a description: translate it too` });
      }
    });
  }
  return problems;
}

/** The lock file of published document states, at the top of the content folder. */
export const STATES_LOCK_FILE = 'published-states.json';

/** `published-states.json`, parsed; no file is no lock yet (every offered state is then reported as not locked). */
function readStatesLock(contentDir: string, problems: ContentProblem[]): { file: string; entries: PublishedStateEntry[] | undefined } {
  const file = path.join(contentDir, STATES_LOCK_FILE);
  if (!existsSync(file)) return { file: displayPath(file), entries: undefined };
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file: displayPath(file), field: '', message: `not valid JSON (${error instanceof Error ? error.message : String(error)}): restore it from git; \`npm run states:lock\` writes it` });
    return { file: displayPath(file), entries: undefined };
  }
  return { file: displayPath(file), entries: parseWith(PublishedStatesLockSchema, input, file, problems)?.states };
}

/** What a reader of the content folder needs besides the files themselves. */
export interface LoadOptions {
  /**
   * Read `published-states.json` and hash every offered state for the lock check (default true).
   * Only the build's PDF pre-render turns it off: it judges nothing, the build thread's content
   * check does, and at 1,000 subprocessors the hashing is a third of a second it would spend again.
   */
  statesLock?: boolean;
}

/**
 * What may stand at the top of a content tree besides FOLDERS: everything else would be read by
 * nobody, so a misspelt `subprocessor/` would silently publish a list without its entries.
 * IMPORT-REVIEW.md is the importer's review, kept next to the draft it describes.
 */
const OTHER_TOP_LEVEL = ['vendor.yaml', 'data-categories.yaml', 'legal', 'receipt-keys', 'published-states.json', 'IMPORT-REVIEW.md'];

/** A problem for every top-level entry of the tree that is not part of the content model. */
function unknownTopLevelProblems(contentDir: string): ContentProblem[] {
  const known = [...FOLDERS.map(({ folder }) => folder), ...OTHER_TOP_LEVEL];
  return listFiles(contentDir)
    .filter((name) => !known.includes(name))
    .map((name) => ({
      file: displayPath(path.join(contentDir, name)),
      field: '',
      message: `not part of the content model, so nothing reads it: rename or move it (expected ${known.filter((entry) => entry !== 'IMPORT-REVIEW.md').join(', ')})`,
    }));
}

/** Loads and schema-validates every file of the tree at `contentDir`. */
export function loadContentFiles(contentDir: string, buildDate: string, { statesLock = true }: LoadOptions = {}): LoadedContent {
  const problems: ContentProblem[] = [...unknownTopLevelProblems(contentDir)];
  const displayDir = displayPath(path.resolve(contentDir));

  let vendor: SourceEntry<z.output<typeof VendorSchema>> | undefined;
  const vendorFile = path.join(contentDir, 'vendor.yaml');
  if (existsSync(vendorFile)) {
    const parsed = readYaml(vendorFile, problems);
    const data = parsed.ok ? parseWith(VendorSchema, parsed.value, vendorFile, problems) : undefined;
    if (data) vendor = { id: 'vendor', file: displayPath(vendorFile), data };
  }

  const dataCategories: PublicationSource['dataCategories'] = [];
  const categoriesFile = path.join(contentDir, 'data-categories.yaml');
  if (existsSync(categoriesFile)) {
    const parsed = readYaml(categoriesFile, problems);
    if (parsed.ok && !Array.isArray(parsed.value)) {
      problems.push({ file: displayPath(categoriesFile), field: '', message: 'expected a list of categories (each starting with "- id: …")' });
    } else if (parsed.ok) {
      // Subprocessors refer to a category by id, so an id declared twice would leave it open
      // which label and kind the matrix shows: the second is refused, naming the first.
      const firstIndexOf = new Map<string, number>();
      (parsed.value as unknown[]).forEach((item, index) => {
        const itemProblems: ContentProblem[] = [];
        const data = parseWith(DataCategorySchema, item, categoriesFile, itemProblems);
        for (const problem of itemProblems) problems.push({ ...problem, field: `[${index}]${problem.field ? `.${problem.field}` : ''}` });
        if (!data) return;
        const first = firstIndexOf.get(data.id);
        if (first !== undefined) {
          problems.push({ file: displayPath(categoriesFile), field: `[${index}].id`, message: `"${data.id}" is already the id of the category at [${first}]; give each category its own id` });
          return;
        }
        firstIndexOf.set(data.id, index);
        dataCategories.push({ id: data.id, file: displayPath(categoriesFile), data });
      });
    }
  }

  // The legal pages are single files in legal/; a missing one is reported across files (validatePublication).
  const legalFile = <T extends z.ZodType>(name: string, schema: T): SourceEntry<z.output<T>>[] => {
    const file = path.join(contentDir, 'legal', name);
    if (!existsSync(file)) return [];
    const parsed = readYaml(file, problems);
    const data = parsed.ok ? parseWith(schema, parsed.value ?? {}, file, problems) : undefined;
    return data === undefined ? [] : [{ id: name.replace(/\.yaml$/, ''), file: displayPath(file), data }];
  };
  const imprints = legalFile('imprint.yaml', ImprintSchema);
  const privacyNotices = legalFile('privacy.yaml', PrivacyNoticeSchema);

  const collections: Record<(typeof FOLDERS)[number]['folder'], SourceEntry<unknown>[]> = { avv: [], toms: [], subprocessors: [], changes: [], 'acceptance-wording': [] };
  const fileNames: PublicationSource['fileNames'] = [];
  const translations: NonNullable<PublicationSource['translations']> = [];
  for (const { folder, extension, schema } of FOLDERS) {
    const dir = path.join(contentDir, folder);
    const all = listFiles(dir);
    const translatable = folder === 'avv' || folder === 'toms' || folder === 'changes';
    const names = translatable ? all.filter((name) => !name.endsWith(TRANSLATION_SUFFIX)) : all;
    fileNames.push({ folder: `${displayDir}/${folder}`, names });
    if (translatable) {
      for (const name of all.filter((candidate) => candidate.endsWith(TRANSLATION_SUFFIX))) {
        const translation = loadTranslation(dir, folder, name, problems);
        if (translation) translations.push(translation);
      }
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (!name.endsWith(extension)) {
        problems.push({ file: displayPath(file), field: '', message: `only ${extension} files belong in ${folder}/; rename or move this file` });
        continue;
      }
      const id = name.slice(0, -extension.length);
      let input: unknown;
      let body = '';
      if (extension === '.md') {
        const parts = splitFrontmatter(readFileSync(file, 'utf8'));
        if (!parts) {
          problems.push({ file: displayPath(file), field: '', message: 'no frontmatter: start the file with a line "---", the fields, and another "---"' });
          continue;
        }
        try {
          input = parseYaml(parts.frontmatter);
        } catch (error) {
          problems.push(yamlProblem(file, error, FRONTMATTER_FIRST_LINE_OFFSET));
          continue;
        }
        // Trimmed as Astro's Markdown entries are (entry.body), so the archive and the lock check hash the same text.
        body = parts.body.trim();
      } else {
        const parsed = readYaml(file, problems);
        if (!parsed.ok) continue;
        input = parsed.value;
      }
      const data = parseWith(schema as z.ZodType, input ?? {}, file, problems);
      if (data !== undefined) collections[folder].push({ id, file: displayPath(file), data: folder === 'avv' || folder === 'toms' ? { ...(data as object), body } : data });
    }
  }

  const source: PublicationSource = {
    buildDate,
    contentDir: displayDir,
    vendor,
    dataCategories,
    avvVersions: collections.avv as PublicationSource['avvVersions'],
    tomVersions: collections.toms as PublicationSource['tomVersions'],
    subprocessors: collections.subprocessors as PublicationSource['subprocessors'],
    changes: collections.changes as PublicationSource['changes'],
    acceptanceWordings: collections['acceptance-wording'] as NonNullable<PublicationSource['acceptanceWordings']>,
    imprints,
    privacyNotices,
    translations,
    fileNames,
  };
  problems.push(...tomsTranslationShapeProblems(source));
  if (problems.length === 0 && statesLock) source.publishedStates = { ...readStatesLock(contentDir, problems), current: stateFingerprints(source) };
  return { fileProblems: problems, source };
}

/** Note printed when single files failed: the checks across files wait for them. */
export const CROSS_FILE_CHECKS_DEFERRED = 'checks across files (references, deadlines, acknowledgements) run once every file passes its schema';

/**
 * The whole verdict on the tree. Checks across files need every file: while some fail their
 * schema, only their problems and the findings of the files that passed are reported (a
 * reference to a broken file would otherwise read as "unknown").
 */
export function checkContentTree(contentDir: string, buildDate: string): ContentCheckResult & { crossFileChecksDeferred: boolean } {
  return judgeContentTree(contentDir, buildDate).verdict;
}

/** checkContentTree's verdict together with the reading it judged (the build hands both to the publication). */
export function judgeContentTree(contentDir: string, buildDate: string): { loaded: LoadedContent; verdict: ContentCheckResult & { crossFileChecksDeferred: boolean } } {
  const loaded = loadContentFiles(contentDir, buildDate);
  const { fileProblems, source } = loaded;
  if (fileProblems.length > 0) {
    const findings = reportFindings(source);
    return { loaded, verdict: { errors: fileProblems, openFindings: findings.open, acknowledgedFindings: findings.acknowledged, warnings: [], crossFileChecksDeferred: true } };
  }
  return { loaded, verdict: { ...checkPublicationSource(source), crossFileChecksDeferred: false } };
}
