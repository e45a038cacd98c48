import { type Confidence } from './model.ts';
import { plainLine, slugify } from './text.ts';

/**
 * Structure recognition: which lines are clause headings and where the annexes begin. A line is
 * a top-level clause heading only if its number continues the sequence of the document's
 * dominant numbering style ("§ 1, § 2 …", "1., 2. …" or "Ziffer 1, Ziffer 2 …"), so numbered
 * list items inside a clause are not mistaken for clauses.
 */
export type HeadingKind = 'paragraph-sign' | 'numbered' | 'ziffer' | 'lettered' | 'annex' | 'unnumbered';

export interface Heading {
  /** Line of the heading (for an annex: the line with "Anlage N"). */
  line: number;
  /** Line holding the annex title when it stands on the line after "Anlage N". */
  titleLine?: number;
  /** 2: clause or annex; 3: sub-clause heading such as "7.1 Datenverarbeitung" or "a) Zutrittskontrolle". */
  level: 2 | 3;
  kind: HeadingKind;
  /** The number as printed: "§ 3", "3.", "Ziffer 3", "7.1.", "a)", "Anlage 1". */
  number: string;
  /** Numeric value of a top-level number (3 for "§ 3"), for sequence checks. */
  ordinal?: number;
  /** Title as printed. Example: "Unterauftragsverhältnisse". */
  title: string;
  /** The heading as written into the Markdown: number and title. Example: "§ 3 Unterauftragsverhältnisse". */
  text: string;
  /** Stable anchor derived from the title, so renumbering keeps links. */
  anchor: string;
  confidence: Confidence;
}

export type AnnexKind = 'toms' | 'subprocessors' | 'other';

export interface Annex {
  heading: Heading;
  /** First and last line of the annex, heading included. */
  from: number;
  to: number;
  kind: AnnexKind;
}

export interface DocumentStructure {
  /** Last line of the contract text before the first annex. */
  mainTo: number;
  /** Clause headings of the contract text (levels 2 and 3), in line order. */
  clauses: Heading[];
  annexes: Annex[];
}

const PARAGRAPH_SIGN = /^§\s*(\d+)([a-z]?)\.?\s+(.+)$/;
const ZIFFER = /^(?:Ziffer|Ziff\.)\s*(\d+)\.?\s*[:.–—-]?\s+(.+)$/i;
const NUMBERED = /^(\d{1,2})\.\s+(.+)$/;
const SUB_NUMBERED = /^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(.+)$/;
const LETTERED = /^([a-z])[).]\s+(.+)$/;
const MARKED_HEADING = /^(#{1,3})\s+\S/;
// Unnumbered headings contracts put outside the clause sequence.
const UNNUMBERED = /^(?:Präambel|Vorbemerkung(?:en)?|Preamble|Recitals|Anlagenverzeichnis|Verzeichnis der Anlagen)\b/i;
const ANNEX = /^(Anlage|Anhang|Annex|Appendix|Attachment)\s+(\d{1,2}|[A-Z]|[IVX]{1,4})(?![\w.])\s*[:.–—-]?\s*(.*)$/i;

/** Whether text reads as a heading title rather than a sentence. */
export function isTitleLike(text: string, maxLength = 100): boolean {
  const title = text.trim();
  if (title.length < 2 || title.length > maxLength) return false;
  if (title.split(/\s+/).length > 12) return false;
  if (!/^[\p{Lu}\d„"(]/u.test(title)) return false;
  if (/[,;:]$/.test(title)) return false;
  if (/\.$/.test(title) && !/\b(?:bzw|ggf|Nr|Art|Abs)\.$/.test(title)) return false;
  return !/[.!?]\s+\p{Lu}/u.test(title);
}

/** Indented lines are list items or table continuations, never headings. */
function isIndented(line: string): boolean {
  return /^(\t| {2,})/.test(line);
}

function heading(line: number, level: 2 | 3, kind: HeadingKind, number: string, title: string, confidence: Confidence, ordinal?: number): Heading {
  const text = number === '' ? title : `${number} ${title}`;
  return { line, level, kind, number, ordinal, title, text: text.trim(), anchor: slugify(title) || slugify(number), confidence };
}

interface Candidate {
  line: number;
  kind: 'paragraph-sign' | 'numbered' | 'ziffer';
  ordinal: number;
  number: string;
  title: string;
}

function topLevelCandidate(line: string, number: number): Candidate | undefined {
  if (isIndented(line)) return undefined;
  const plain = plainLine(line);
  let match = PARAGRAPH_SIGN.exec(plain);
  if (match && isTitleLike(match[3]!)) return { line: number, kind: 'paragraph-sign', ordinal: Number(match[1]), number: `§ ${match[1]}${match[2]}`, title: match[3]! };
  match = ZIFFER.exec(plain);
  if (match && isTitleLike(match[2]!)) return { line: number, kind: 'ziffer', ordinal: Number(match[1]), number: plain.slice(0, plain.indexOf(match[2]!)).trim(), title: match[2]! };
  match = NUMBERED.exec(plain);
  if (match && isTitleLike(match[2]!)) return { line: number, kind: 'numbered', ordinal: Number(match[1]), number: `${match[1]}.`, title: match[2]! };
  return undefined;
}

/** Candidates of one kind that continue the sequence 1, 2, 3 … in line order. */
function inSequence(candidates: readonly Candidate[], kind: Candidate['kind']): Candidate[] {
  const accepted: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.kind !== kind) continue;
    const expected = accepted.length === 0 ? undefined : accepted.at(-1)!.ordinal + 1;
    if (expected === undefined ? candidate.ordinal <= 1 : candidate.ordinal === expected) accepted.push(candidate);
  }
  return accepted;
}

interface AnnexCandidate {
  line: number;
  titleLine?: number;
  /** Normalised ("Anlage 1") for matching; `printed` keeps the document's spelling ("ANLAGE 1"). */
  number: string;
  printed: string;
  key: string;
  title: string;
}

function annexCandidate(lines: readonly string[], index: number): AnnexCandidate | undefined {
  const line = lines[index]!;
  if (isIndented(line)) return undefined;
  const match = ANNEX.exec(plainLine(line));
  if (!match) return undefined;
  const label = match[1]!.charAt(0).toUpperCase() + match[1]!.slice(1).toLowerCase();
  const number = `${label} ${match[2]!.toUpperCase()}`;
  const printed = `${match[1]} ${match[2]}`;
  const rest = match[3]!.trim();
  if (rest) return isTitleLike(rest, 160) || /^[\p{Lu}„"]/u.test(rest) ? { line: index + 1, number, printed, key: number.toLowerCase(), title: rest } : undefined;
  for (let next = index + 1; next < lines.length && next <= index + 3; next += 1) {
    const text = plainLine(lines[next]!);
    if (text === '') continue;
    if (isTitleLike(text, 160) && !ANNEX.test(text)) return { line: index + 1, titleLine: next + 1, number, printed, key: number.toLowerCase(), title: text };
    break;
  }
  return { line: index + 1, number, printed, key: number.toLowerCase(), title: '' };
}

/**
 * Annex headings: for each annex number the last line that introduces it (an index of annexes
 * near the signatures names them first), kept only while they follow each other in the text.
 */
function findAnnexes(lines: readonly string[]): AnnexCandidate[] {
  const last = new Map<string, AnnexCandidate>();
  for (let index = 0; index < lines.length; index += 1) {
    const candidate = annexCandidate(lines, index);
    if (candidate) last.set(candidate.key, candidate);
  }
  const ordered = [...last.values()].sort((a, b) => a.line - b.line);
  // An annex named only in running text before the contract's first clause is not an annex heading.
  return ordered.filter((candidate, index) => index === 0 || candidate.line > ordered[index - 1]!.line);
}

const TOMS_TITLE = /technisch\p{L}*[\s-]+(?:und\s+)?organisatorisch|\bTOMs?\b|Sicherheitsma(?:ß|ss)nahmen|Datensicherheitsma|technical and organi[sz]ational|security measures/iu;

/** Recognises the document's clauses and annexes. */
export function recogniseStructure(lines: readonly string[]): DocumentStructure {
  const annexCandidates = findAnnexes(lines);
  const mainTo = annexCandidates.length > 0 ? annexCandidates[0]!.line - 1 : lines.length;
  const candidates: Candidate[] = [];
  for (let index = 0; index < mainTo; index += 1) {
    const candidate = topLevelCandidate(lines[index]!, index + 1);
    if (candidate) candidates.push(candidate);
  }
  const styles = (['paragraph-sign', 'ziffer', 'numbered'] as const).map((kind) => inSequence(candidates, kind));
  const topLevel = styles.reduce((best, style) => (style.length > best.length ? style : best), [] as Candidate[]);
  const clauses: Heading[] = [];
  const topLines = new Set(topLevel.map((candidate) => candidate.line));
  // Without a numbered sequence (Word's automatic numbering is not in the text), the document's
  // own heading marks (Markdown, or Word heading styles as the DOCX reader writes them) are its clauses.
  const styled = topLevel.length < 3 ? MARKED_HEADING : undefined;
  for (let index = 0; index < mainTo; index += 1) {
    const plain = plainLine(lines[index]!);
    const marked = styled?.exec(lines[index]!);
    if (marked && isTitleLike(plain, 120)) {
      clauses.push(heading(index + 1, marked[1]!.length <= 2 ? 2 : 3, 'unnumbered', '', plain, 'medium'));
      continue;
    }
    if (!isIndented(lines[index]!) && UNNUMBERED.test(plain) && isTitleLike(plain, 80) && (lines[index + 1] ?? '').trim() === '') {
      clauses.push(heading(index + 1, 2, 'unnumbered', '', plain, 'medium'));
    }
  }
  let current: Candidate | undefined;
  for (let index = 0; index < mainTo; index += 1) {
    const number = index + 1;
    const top = topLevel.find((candidate) => candidate.line === number);
    if (clauses.some((clause) => clause.line === number)) continue;
    if (top) {
      current = top;
      // A short sequence (one or two) may be chance; three and more are the document's numbering.
      clauses.push(heading(number, 2, top.kind, top.number, top.title, topLevel.length >= 3 ? 'high' : 'low', top.ordinal));
      continue;
    }
    if (!current || topLines.has(number) || isIndented(lines[index]!)) continue;
    const sub = subHeading(plainLine(lines[index]!), current);
    if (sub) clauses.push(heading(number, 3, sub.kind, sub.number, sub.title, 'medium'));
  }
  clauses.sort((a, b) => a.line - b.line);
  const annexes: Annex[] = annexCandidates.map((candidate, index) => {
    const to = index + 1 < annexCandidates.length ? annexCandidates[index + 1]!.line - 1 : lines.length;
    const annexHeading: Heading = {
      ...heading(candidate.line, 2, 'annex', candidate.number, candidate.title, 'high'),
      text: `${candidate.printed} ${candidate.title}`.trim(),
      ...(candidate.titleLine === undefined ? {} : { titleLine: candidate.titleLine }),
      anchor: slugify(candidate.number),
    };
    return { heading: annexHeading, from: candidate.line, to, kind: TOMS_TITLE.test(candidate.title) ? 'toms' : 'other' };
  });
  return { mainTo, clauses, annexes };
}

function subHeading(plain: string, parent: Candidate): { kind: HeadingKind; number: string; title: string } | undefined {
  const sub = SUB_NUMBERED.exec(plain);
  if (sub && parent.kind !== 'paragraph-sign' && sub[1]!.split('.')[0] === String(parent.ordinal) && isTitleLike(sub[2]!, 80)) {
    return { kind: 'numbered', number: plain.slice(0, plain.indexOf(sub[2]!)).trim(), title: sub[2]! };
  }
  const lettered = LETTERED.exec(plain);
  if (lettered && isTitleLike(lettered[2]!, 60)) return { kind: 'lettered', number: plain.slice(0, plain.indexOf(lettered[2]!)).trim(), title: lettered[2]! };
  return undefined;
}
