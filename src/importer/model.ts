/**
 * The importer's intermediate model: what structure recognition found in the document, each
 * value with the source lines it came from and how sure the importer is. Only the emitter turns
 * this into content files, so a change of the content schema touches the emitter alone.
 */

/** Lines of the source document (1-based, inclusive). */
export interface LineSpan {
  from: number;
  to: number;
}

/**
 * - `high`: the document says it in a fixed form the importer recognises exactly (a heading
 *   numbered in sequence, a table column named "Land", a period "14 Werktage");
 * - `medium`: recognised from wording that usually means this ("Tage" read as calendar days);
 * - `low`: a guess at structure only; the value itself is still quoted from the document.
 */
export type Confidence = 'high' | 'medium' | 'low';

/** A value read from the document. */
export interface Found<T> {
  found: true;
  value: T;
  lines: LineSpan;
  confidence: Confidence;
  /** The document's own words the value was read from. */
  quote: string;
}

/** Nothing in the document states this; the reason says where the importer looked. */
export interface NotStated {
  found: false;
  reason: string;
}

export type Extracted<T> = Found<T> | NotStated;

export function found<T>(value: T, lines: LineSpan, quote: string, confidence: Confidence = 'high'): Found<T> {
  return { found: true, value, lines, confidence, quote };
}

export function notStated(reason: string): NotStated {
  return { found: false, reason };
}

export function spanOf(from: number, to: number = from): LineSpan {
  return { from, to };
}

export function formatSpan(span: LineSpan): string {
  return span.from === span.to ? `line ${span.from}` : `lines ${span.from}–${span.to}`;
}
