import { basename, relative, resolve } from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { documentStateOn, hashAcceptanceDocument } from '../domain/acceptance-document.ts';
import type { ChangeTerms } from '../domain/change-terms.ts';
import { addDays } from '../domain/calendar-date.ts';
import { isPublishable } from '../domain/content-check.ts';
import { formatCheckReport } from './check-report.ts';
import type { AcknowledgedFindingReport } from '../domain/findings.ts';
import { termsOfChanges } from '../domain/source-terms.ts';
import { thirdCountryStatus } from '../domain/subprocessor-facts.ts';
import { inForceOn, inForceUnchangedSince, versionInForceOn } from '../domain/version-in-force.ts';
import { documentAsOfFor, offeredDocumentPeriods, type OfferedPeriod } from '../domain/document-states.ts';
import { hashWordingText, normaliseWordingText } from '../domain/acceptance-wording.ts';
import type { AcceptanceWording } from '../schemas/acceptance-wording.ts';
import type { ReceiptKey } from '../schemas/receipt-key.ts';
import { logOrigin } from '../domain/acceptance-log.ts';
import { receiptKeyId } from '../domain/receipt.ts';
import { publicKeyFromPem, publicKeyPem } from '../domain/signing-key.ts';
import type { AvvVersion } from '../schemas/avv.ts';
import type { Change } from '../schemas/change.ts';
import type { DataCategory } from '../schemas/data-category.ts';
import type { Imprint, PrivacyNotice } from '../schemas/legal.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import type { TomVersion } from '../schemas/tom.ts';
import type { Translation } from '../schemas/translation.ts';
import type { Vendor } from '../schemas/vendor.ts';
import { resolveBuildDate } from './build-date.ts';
import { contentDir } from './content-dir.ts';
import { checkedContentOf } from './checked-content.ts';
import { judgeContentTree } from './content-files.ts';

export type AvvStatus = 'current' | 'superseded' | 'upcoming';

export interface PublishedAvvVersion {
  entry: CollectionEntry<'avv'>;
  data: AvvVersion;
  status: AvvStatus;
  /** Day whose TOMs and subprocessors belong to what a customer accepts with this version. */
  documentAsOf: string;
  tomsVersion: string;
  subprocessorSlugs: string[];
  documentSha256: string;
  /** The canonical JSON whose SHA-256 is documentSha256. */
  documentCanonical: string;
  /** English convenience translation, shown on English pages only; never part of the document. */
  translation: PublishedTranslation | undefined;
}

/** An English convenience translation (content/<folder>/<id>.en.md) of a German text. */
export interface PublishedTranslation {
  entry: CollectionEntry<'translations'>;
  data: Translation;
  /** Acknowledged findings about the translation file (e.g. `translation-outdated`), shown with it. */
  findings: AcknowledgedFindingReport[];
}

/**
 * One acceptance document as it was offered for a period (src/domain/document-states.ts),
 * published for good at /avv/documents/<sha256>.json with exactly these bytes.
 */
export interface DocumentState extends OfferedPeriod {
  version: PublishedAvvVersion;
  tomsVersion: string;
  subprocessorSlugs: string[];
  sha256: string;
  /** The canonical JSON whose SHA-256 is `sha256`. */
  canonical: string;
}

/** A receipt key with the key id receipts name ("<log origin>+<C2SP key id>"). */
export interface PublishedReceiptKey extends ReceiptKey {
  keyId: string;
}

export interface PublishedSubprocessor {
  slug: string;
  data: Subprocessor;
  /** In force on the build day. */
  active: boolean;
  /** Engaged later than the build day (announced, not yet in force). */
  upcoming: boolean;
  /** Data reaches a country outside the EU/EEA (own locations or onward transfers). */
  thirdCountry: boolean;
  /** `unknown` when the AVV states no locations and no onward transfer leaves the EEA. */
  thirdCountryStatus: 'yes' | 'no' | 'unknown';
  /** Acknowledged findings about this subprocessor's file, shown on its page. */
  findings: AcknowledgedFindingReport[];
}

export interface PublishedChange {
  id: string;
  entry: CollectionEntry<'changes'>;
  data: Change;
  /** The computed terms (src/domain/change-terms.ts), the one source every surface reads. */
  terms: ChangeTerms;
  /** Acknowledged findings about this change's file. */
  findings: AcknowledgedFindingReport[];
  /** English convenience translation of the notice, shown on English pages only. */
  translation: PublishedTranslation | undefined;
}

/** Everything the pages and the manifest read, loaded and validated once per build. */
export interface Publication {
  buildDate: string;
  vendor: Vendor;
  dataCategories: DataCategory[];
  avvVersions: PublishedAvvVersion[];
  /** Every document state offered for acceptance up to the build day, oldest first. */
  documentStates: DocumentState[];
  /** Public keys that sign or signed receipts (content/receipt-keys/), oldest first. */
  receiptKeys: PublishedReceiptKey[];
  currentAvv: PublishedAvvVersion | undefined;
  tomVersions: Array<{ entry: CollectionEntry<'toms'>; data: TomVersion; current: boolean; translation: PublishedTranslation | undefined }>;
  currentToms: { entry: CollectionEntry<'toms'>; data: TomVersion };
  subprocessors: PublishedSubprocessor[];
  /** The checkbox wording in force on the build day, with the SHA-256 every acceptance stores. */
  acceptanceWording: AcceptanceWording & { sha256: string };
  /** Published changes, newest announcement first; changes announced after the build day are held back. */
  changes: PublishedChange[];
  /** Every acknowledged finding of the tree, with the author's reason (build report, manifest). */
  acknowledgedFindings: AcknowledgedFindingReport[];
  /** The Impressum (§ 5 DDG) beyond the vendor profile. */
  imprint: Imprint;
  /** The privacy notice of this site (Art. 13 GDPR). */
  privacyNotice: PrivacyNotice;
}

/** Thrown when content breaks a rule; the message lists every problem with file and field. */
export class ContentValidationError extends Error {
  override name = 'ContentValidationError';
}

let loaded: Promise<Publication> | undefined;

/** Loads the publication once per build process; every page awaits the same promise. */
export function loadPublication(): Promise<Publication> {
  loaded ??= assemble();
  return loaded;
}

/**
 * All document states ever offered for acceptance, oldest first, each with its period, its
 * canonical bytes and their SHA-256 (published at /avv/documents/<sha256>.json).
 */
export async function allDocumentStates(): Promise<DocumentState[]> {
  return (await loadPublication()).documentStates;
}

/** Key ids of content/receipt-keys/ under this site's log origin; one file per key. */
async function publishedReceiptKeys(entries: CollectionEntry<'receiptKeys'>[], siteUrl: string): Promise<PublishedReceiptKey[]> {
  const name = logOrigin(siteUrl);
  const keys = await Promise.all(
    entries.map(async (entry) => {
      const raw = publicKeyFromPem(entry.data.publicKey)!;
      // Published in one canonical PEM form, whatever whitespace the YAML had.
      return { entry, key: { ...entry.data, publicKey: publicKeyPem(raw), keyId: await receiptKeyId(name, raw) } };
    }),
  );
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const { entry, key } of keys) {
    const file = relativeFile(entry.filePath);
    const earlier = seen.get(key.keyId);
    if (earlier) problems.push(`${file} › publicKey: the same key as ${earlier}; list each key once`);
    seen.set(key.keyId, file);
  }
  if (problems.length > 0) throw new ContentValidationError(`The content cannot be published (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`);
  return keys.map(({ key }) => key).sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
}

function relativeFile(filePath: string | undefined): string {
  return filePath ? relative(process.cwd(), filePath) || filePath : '(unknown file)';
}

async function assemble(): Promise<Publication> {
  const buildDate = resolveBuildDate();
  const [vendors, dataCategories, avv, toms, subprocessors, changes, wordings, imprints, privacyNotices, receiptKeyEntries] = await Promise.all([
    getCollection('vendor'),
    getCollection('dataCategories'),
    getCollection('avv'),
    getCollection('toms'),
    getCollection('subprocessors'),
    getCollection('changes'),
    getCollection('acceptanceWording'),
    getCollection('imprint'),
    getCollection('privacyNotice'),
    getCollection('receiptKeys'),
  ]);
  const translationEntries = await getCollection('translations');
  // The same files, read and judged as `npm run check` does, so the verdict, the findings and
  // the computed terms are the ones the check reports (Astro's glob ids also differ: "10" for 1.0.md).
  // In `astro build` the check has done so already and handed its reading over, unless a file changed since.
  const { loaded: { source }, verdict } = checkedContentOf(contentDir, buildDate) ?? judgeContentTree(resolve(contentDir), buildDate);
  if (!isPublishable(verdict)) {
    throw new ContentValidationError(formatCheckReport(verdict));
  }
  const findingsOf = (file: string) => verdict.acknowledgedFindings.filter((found) => found.file === file);
  // A translation's collection id is its path ("toms/2026-01.en.md"): the German file's name with .en.
  const translationOf = (folder: 'avv' | 'toms' | 'changes', entry: { filePath?: string | undefined }): PublishedTranslation | undefined => {
    const german = entry.filePath ? basename(entry.filePath, '.md') : undefined;
    const found = german === undefined ? undefined : translationEntries.find((candidate) => candidate.id === `${folder}/${german}.en.md`);
    return found && { entry: found, data: found.data, findings: findingsOf(fileOf(found)) };
  };
  const fileOf = (entry: { filePath?: string | undefined }) => (entry.filePath ? relative(process.cwd(), resolve(entry.filePath)) : '');
  const categoryOrder = new Map(source.dataCategories.map((entry, index) => [entry.id, index]));
  const termsById = new Map(termsOfChanges(source).map(({ entry, terms }) => [entry.id, terms]));
  const vendor = vendors[0]!.data;
  const receiptKeys = await publishedReceiptKeys(receiptKeyEntries, vendor.siteUrl);

  const tomsSorted = [...toms].sort((a, b) => (a.data.effectiveDate < b.data.effectiveDate ? -1 : 1));
  const currentToms = versionInForceOn(tomsSorted.map((entry) => ({ ...entry.data, entry })), buildDate)!;

  const slugged = subprocessors.map((entry) => ({ ...entry.data, slug: entry.id }));
  const avvSorted = [...avv].sort((a, b) => (a.data.effectiveDate < b.data.effectiveDate ? -1 : 1));
  const currentVersion = avvSorted.filter((entry) => entry.data.effectiveDate <= buildDate).at(-1);

  const annexes = [...tomsSorted.map((t) => t.data), ...slugged];
  const tomsWithBody = tomsSorted.map((t) => ({ ...t.data, body: t.body ?? '' }));
  const documentOf = async (entry: CollectionEntry<'avv'>, asOf: string) => {
    const state = documentStateOn(asOf, { ...entry.data, body: entry.body ?? '' }, tomsWithBody, slugged)!;
    const { canonical, sha256 } = await hashAcceptanceDocument(state.document);
    return { tomsVersion: state.toms.version, subprocessorSlugs: state.subprocessors.map((s) => s.slug).sort(), sha256, canonical };
  };

  const avvVersions = await Promise.all(
    avvSorted.map(async (entry, index): Promise<PublishedAvvVersion> => {
      const successor = avvSorted[index + 1];
      const status: AvvStatus = entry === currentVersion ? 'current' : entry.data.effectiveDate > buildDate ? 'upcoming' : 'superseded';
      // Dated like the archived state it is (src/domain/document-states.ts): what is offered
      // today, what was offered last, or what will be offered first.
      const documentAsOf = documentAsOfFor(entry.data, successor?.data.effectiveDate, annexes, buildDate);
      const document = await documentOf(entry, documentAsOf);
      return {
        entry,
        data: entry.data,
        status,
        documentAsOf,
        tomsVersion: document.tomsVersion,
        subprocessorSlugs: document.subprocessorSlugs,
        documentSha256: document.sha256,
        documentCanonical: document.canonical,
        translation: translationOf('avv', entry),
      };
    }),
  );

  const documentStates = await Promise.all(
    offeredDocumentPeriods(avvSorted.map((entry) => entry.data), annexes, buildDate).map(async (period): Promise<DocumentState> => {
      const version = avvVersions.find((candidate) => candidate.data.version === period.avvVersion)!;
      const document = await documentOf(version.entry, period.asOf);
      return { ...period, version, tomsVersion: document.tomsVersion, subprocessorSlugs: document.subprocessorSlugs, sha256: document.sha256, canonical: document.canonical };
    }),
  );

  // The lock check hashed the states from the files as `npm run check` reads them; the archive
  // hashes Astro's entries. Both must be the same bytes, or the lock would guard other documents.
  const checked = new Map((source.publishedStates?.current ?? []).map((state) => [`${state.avvVersion}@${state.offeredFrom}`, state.sha256]));
  const disagreeing = documentStates.filter((state) => checked.get(`${state.avvVersion}@${state.offeredFrom}`) !== state.sha256);
  if (disagreeing.length > 0) {
    throw new Error(`the content check and the build derive different document states (${disagreeing.map((state) => `AVV ${state.avvVersion} from ${state.offeredFrom}`).join(', ')}): a bug, please report it`);
  }

  const fileById = new Map(source.subprocessors.map((entry) => [entry.id, entry.file]));
  const publishedSubprocessors = slugged
    .map(({ slug, ...data }): PublishedSubprocessor => {
      const status = thirdCountryStatus(data);
      return {
        slug,
        data,
        active: inForceOn(data, buildDate),
        upcoming: data.since !== 'not-stated' && data.since > buildDate,
        thirdCountry: status === 'yes',
        thirdCountryStatus: status,
        findings: findingsOf(fileById.get(slug) ?? ''),
      };
    })
    // The AVV's own order where the author recorded it (position), then by name.
    .sort((a, b) => (a.data.position ?? Infinity) - (b.data.position ?? Infinity) || a.data.name.localeCompare(b.data.name, 'de'));

  const changeFiles = new Map(source.changes.map((entry) => [entry.id, entry.file]));
  const publishedChanges = changes
    .filter((entry) => entry.data.announcedDate <= buildDate)
    .map((entry): PublishedChange => ({ id: entry.id, entry, data: entry.data, terms: termsById.get(entry.id)!, findings: findingsOf(changeFiles.get(entry.id) ?? fileOf(entry)), translation: translationOf('changes', entry) }))
    .sort((a, b) => (a.data.announcedDate === b.data.announcedDate ? a.id.localeCompare(b.id) : a.data.announcedDate < b.data.announcedDate ? 1 : -1));

  const wording = versionInForceOn(wordings.map((entry) => entry.data), buildDate)!;

  return {
    buildDate,
    vendor,
    acceptanceWording: { ...wording, text: normaliseWordingText(wording.text), sha256: await hashWordingText(wording.text) },
    // The order of data-categories.yaml is the AVV's order (Astro's load order is not stable).
    dataCategories: dataCategories.map((entry) => entry.data).sort((a, b) => (categoryOrder.get(a.id) ?? 0) - (categoryOrder.get(b.id) ?? 0)),
    avvVersions,
    documentStates,
    receiptKeys,
    currentAvv: avvVersions.find((version) => version.status === 'current'),
    tomVersions: tomsSorted.map((entry) => ({ entry, data: entry.data, current: entry.data.version === currentToms.version, translation: translationOf('toms', entry) })),
    currentToms: { entry: currentToms.entry, data: currentToms.entry.data },
    subprocessors: publishedSubprocessors,
    changes: publishedChanges,
    acknowledgedFindings: verdict.acknowledgedFindings,
    imprint: imprints[0]!.data,
    privacyNotice: privacyNotices[0]!.data,
  };
}
