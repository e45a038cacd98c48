import type { AcceptanceWording } from '../schemas/acceptance-wording.ts';
import type { AvvVersion } from '../schemas/avv.ts';
import type { Change } from '../schemas/change.ts';
import type { DataCategory } from '../schemas/data-category.ts';
import type { Imprint, PrivacyNotice } from '../schemas/legal.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import type { TomVersion } from '../schemas/tom.ts';
import type { Translation } from '../schemas/translation.ts';
import type { Vendor } from '../schemas/vendor.ts';
import type { PublishedStateEntry } from '../schemas/published-states.ts';
import type { StateFingerprint } from './published-states-lock.ts';

/** One reason the content cannot be published, pointing at the file and field to fix. */
export interface ContentProblem {
  /** Path of the file as the author knows it. Example: "content/changes/2026-11-ki.md". */
  file: string;
  /** Field path inside the file. Example: "subprocessors[0]". Empty for the whole file. */
  field: string;
  /** What is wrong, in words an author can act on. */
  message: string;
  /** The stable id of the rule that found it, where it has one. Example: "published-state-changed". */
  rule?: string;
}

/** A loaded content entry: its id (file name without extension), file path and validated data. */
export interface SourceEntry<T> {
  id: string;
  file: string;
  data: T;
}

/** Everything the build publishes, after each file passed its own schema. */
export interface PublicationSource {
  /** The day the build computes statuses for. */
  buildDate: string;
  /** Where the content lives, for messages about missing files. Example: "content". */
  contentDir: string;
  vendor: SourceEntry<Vendor> | undefined;
  dataCategories: SourceEntry<DataCategory>[];
  avvVersions: SourceEntry<AvvVersion & { body: string }>[];
  /** With the Markdown body (the TOMs preamble of the accepted document) when read from disk. */
  tomVersions: SourceEntry<TomVersion & { body?: string }>[];
  subprocessors: SourceEntry<Subprocessor>[];
  changes: SourceEntry<Change>[];
  /** Versions of the checkbox wording on the accept page; absent when the caller does not publish acceptance. */
  acceptanceWordings?: SourceEntry<AcceptanceWording>[];
  /**
   * The Impressum (§ 5 DDG) and the privacy notice (Art. 13 GDPR) found in `legal/`, at most
   * one each; absent when the caller does not publish a site (unit tests of other rules).
   */
  imprints?: SourceEntry<Imprint>[];
  privacyNotices?: SourceEntry<PrivacyNotice>[];
  /** English convenience translations (`<folder>/<id>.en.md`), each with the German file it translates. */
  translations?: SourceEntry<Translation & { body: string; folder: 'avv' | 'toms' | 'changes'; sourceId: string; sourceFile: string; sourceSha256: string }>[];
  /**
   * The lock of published document states (`published-states.json`) with the states the tree
   * derives now; absent when the caller does not publish documents (unit tests of other rules).
   */
  publishedStates?: { file: string; entries: PublishedStateEntry[] | undefined; current: StateFingerprint[] };
  /** Every file name found in the collection folders, to catch ids that collide. */
  fileNames: { folder: string; names: string[] }[];
}
