import type { AvvVersion } from '../schemas/avv.ts';
import type { ChangeRule } from '../schemas/change-rules.ts';
import { NOT_STATED } from '../schemas/not-stated.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import type { TomVersion } from '../schemas/tom.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import { sha256Hex } from './sha256.ts';
import { subprocessorAsOf } from './subprocessor-as-of.ts';
import { inForceOn, versionInForceOn } from './version-in-force.ts';

/**
 * What a customer agrees to when accepting an AVV version: the contract text, the TOMs
 * (Anlage 1) and the subprocessor list (Anlage 2) in force on `asOf`. Its canonical JSON is
 * published as document.json next to the AVV and its SHA-256 is the "document hash" stored with
 * every acceptance, so the record proves which exact text was accepted.
 */
export interface AcceptanceDocument {
  /** Format marker so a verifier knows how to read the rest. */
  format: 'trust-center/acceptance-document@2';
  /** The day on which the TOMs and subprocessor list were taken. */
  asOf: string;
  avv: {
    version: string;
    title: string;
    effectiveDate: string;
    language: string;
    /** The Markdown text, line endings normalised to LF and Unicode to NFC. */
    text: string;
    /**
     * The rules for subprocessor changes, as the content states them (unstated facts as
     * `not-stated`), without each rule's `withdrawal` (see {@link hashedChangeRules}).
     */
    changeRules: HashedChangeRules;
  };
  toms: Omit<TomVersion, 'sections' | 'acknowledgedFindings'> & { sections: TomVersion['sections']; preamble: string };
  /**
   * The subprocessors in force on `asOf`. Acknowledged findings are the publisher's notes about
   * the annex, not part of it. `until` is not part of it either: a state holds its bytes from
   * its first day, and the end of an entry is decided later, when its removal or replacement is
   * announced; hashing it would change every state already offered with the entry, so that no
   * subprocessor could ever be removed once a state with it was locked. Each entry holds its
   * facts as of `asOf` (`subprocessorAsOf`), without the `earlier` values it was resolved from.
   */
  subprocessors: Array<Omit<Subprocessor, 'acknowledgedFindings' | 'until' | 'earlier'> & { slug: string }>;
}

/** The change rules as a document state holds them. */
export type HashedChangeRules = typeof NOT_STATED | Array<Omit<ChangeRule, 'withdrawal'>>;

/**
 * The change rules without `withdrawal`. The field came to the content model after customers
 * had been offered (and had accepted) states of AVV 2.0, whose canonical JSON is archived for
 * good and named by their receipts (content/published-states.json locks it): hashing the new
 * field would give those days other bytes and leave every receipt pointing at a hash no longer
 * published. What the field records is the vendor's reading of a sentence that the hashed AVV
 * text holds word for word (`text`), so the accepted document loses no fact; the field itself
 * only feeds the pages, feeds and mails. `withdrawable` (whether) stays hashed, as it was.
 */
export function hashedChangeRules(changeRules: AvvVersion['changeRules']): HashedChangeRules {
  if (changeRules === NOT_STATED) return changeRules;
  return changeRules.map(({ withdrawal: _readingOnly, ...rule }) => rule);
}

/** Text as hashed: LF line endings, NFC, no trailing whitespace at the end. */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trimEnd();
}

export interface AcceptanceDocumentInput {
  asOf: string;
  avv: AvvVersion & { body: string };
  toms: TomVersion & { body: string };
  subprocessors: Array<Subprocessor & { slug: string }>;
}

export function buildAcceptanceDocument({ asOf, avv, toms, subprocessors }: AcceptanceDocumentInput): AcceptanceDocument {
  const { body: tomsBody, acknowledgedFindings: _tomsNotes, ...tomsData } = toms;
  return {
    format: 'trust-center/acceptance-document@2',
    asOf,
    avv: {
      version: avv.version,
      title: avv.title,
      effectiveDate: avv.effectiveDate,
      language: avv.language,
      text: normaliseText(avv.body),
      changeRules: hashedChangeRules(avv.changeRules),
    },
    toms: { ...tomsData, preamble: normaliseText(tomsBody) },
    // Sorted by slug so the hash does not depend on file-system order.
    subprocessors: [...subprocessors]
      .map((entry) => subprocessorAsOf(entry, asOf))
      .map(({ acknowledgedFindings: _notes, until: _decidedLater, earlier: _resolved, ...subprocessor }) => subprocessor)
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
  };
}

/** The canonical bytes and their SHA-256; anyone can recompute the hash from the bytes. */
export async function hashAcceptanceDocument(document: AcceptanceDocument): Promise<{ canonical: string; sha256: string }> {
  const canonical = canonicalJson(document as unknown as JsonValue);
  return { canonical, sha256: await sha256Hex(canonical) };
}

/**
 * The document offered with `avv` on `asOf`: the TOMs version and the subprocessors in force that
 * day. The one derivation of a state's content, read by the build's archive (src/lib/publication.ts)
 * and by the lock check (src/lib/document-state-fingerprints.ts), so both hash the same bytes.
 */
export function documentStateOn<T extends TomVersion & { body: string }, S extends Subprocessor & { slug: string }>(
  asOf: string,
  avv: AvvVersion & { body: string },
  tomVersions: readonly T[],
  subprocessors: readonly S[],
): { document: AcceptanceDocument; toms: T; subprocessors: S[] } | undefined {
  const toms = versionInForceOn(tomVersions, asOf);
  if (toms === undefined) return undefined; // no TOMs at all: an error of the content check
  const annex = subprocessors.filter((subprocessor) => inForceOn(subprocessor, asOf));
  return { document: buildAcceptanceDocument({ asOf, avv, toms, subprocessors: annex }), toms, subprocessors: annex };
}
