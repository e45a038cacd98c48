import { diffArrays, diffWordsWithSpace } from 'diff';
import { splitClauses, type Clause } from '../domain/clauses.ts';
import { markdownBlocks, plainText } from './markdown-blocks.ts';
import { splitPhrases, splitSentences } from './sentences.ts';

/** A run of text in a redline: kept, inserted or deleted. */
export interface RedlinePart {
  text: string;
  change: 'kept' | 'inserted' | 'deleted';
}

/** A paragraph, sub-heading or list item compared across versions. */
export interface RedlineUnit {
  /** `changed`: in both versions, reworded; its parts say how. */
  status: 'kept' | 'inserted' | 'deleted' | 'changed';
  parts: RedlinePart[];
}

/** What a clause body is made of, in reading order; list items stay in their list. */
export type RedlineBlock =
  | ({ kind: 'paragraph' | 'heading' } & RedlineUnit)
  | { kind: 'list'; ordered: boolean; items: RedlineUnit[] };

/** One clause of the comparison, aligned across versions by its anchor. */
export interface RedlineClause {
  anchor: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  heading: RedlinePart[];
  blocks: RedlineBlock[];
}

/** A block reduced to what is compared: its kind and its text as a reader sees it. */
interface Unit {
  kind: 'paragraph' | 'heading' | 'item';
  ordered: boolean;
  text: string;
}

/**
 * Below this share of words in common, two sentences (or two paragraphs) are treated as a
 * rewrite: the old one struck whole, the new one inserted whole. A word-by-word redline of a
 * rewritten sentence alternates fragments of both and reads as neither.
 */
const REWRITE_BELOW = 0.5;

/** Words that carry wording; bare numbers ("(2)", "48") are left out, so renumbering or a changed figure does not make a sentence look rewritten. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !/^\p{N}+$/u.test(word));
}

/** Dice coefficient of the two word multisets: 1 identical wording, 0 no word in common. */
export function wordSimilarity(a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  if (left.length + right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const word of left) counts.set(word, (counts.get(word) ?? 0) + 1);
  let common = 0;
  for (const word of right) {
    const count = counts.get(word) ?? 0;
    if (count > 0) {
      common++;
      counts.set(word, count - 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}

const whole = (text: string, change: RedlinePart['change']): RedlinePart[] => (text ? [{ text, change }] : []);

function wordDiff(before: string, after: string): RedlinePart[] {
  return diffWordsWithSpace(before, after).map((part) => ({
    text: part.value,
    change: part.added ? 'inserted' : part.removed ? 'deleted' : 'kept',
  }));
}

/**
 * Pairs the removed and the added items of one replaced stretch, in order, each with the most
 * similar one still free where they are alike enough to be one item reworded; the rest stay
 * plain deletions and insertions.
 */
function pairReplacements<T>(removed: T[], added: T[], similarity: (a: T, b: T) => number, threshold: number): Array<{ before?: T; after?: T }> {
  const result: Array<{ before?: T; after?: T }> = [];
  let next = 0;
  for (const before of removed) {
    let match = -1;
    let best = threshold;
    for (let index = next; index < added.length; index++) {
      const score = similarity(before, added[index]!);
      if (score >= best && (match === -1 || score > best)) [match, best] = [index, score];
    }
    if (match === -1) {
      result.push({ before });
      continue;
    }
    for (; next < match; next++) result.push({ after: added[next]! });
    result.push({ before, after: added[match]! });
    next = match + 1;
  }
  for (; next < added.length; next++) result.push({ after: added[next]! });
  return result;
}

/**
 * Aligns two sequences by equal items, then pairs what was replaced. Returns, in reading
 * order, each item with its counterpart (kept or reworded) or alone (deleted or inserted).
 */
function align<T>(older: T[], newer: T[], key: (item: T) => string, similarity: (a: T, b: T) => number, threshold: number): Array<{ before?: T; after?: T }> {
  const changes = diffArrays(older.map(key), newer.map(key));
  const result: Array<{ before?: T; after?: T }> = [];
  let oldIndex = 0;
  let newIndex = 0;
  for (let index = 0; index < changes.length; index++) {
    const change = changes[index]!;
    const count = change.value.length;
    if (!change.added && !change.removed) {
      for (let k = 0; k < count; k++) result.push({ before: older[oldIndex++]!, after: newer[newIndex++]! });
    } else if (change.removed) {
      const removed = older.slice(oldIndex, (oldIndex += count));
      const following = changes[index + 1];
      const added = following?.added ? newer.slice(newIndex, (newIndex += following.value.length)) : [];
      if (following?.added) index++;
      result.push(...pairReplacements(removed, added, similarity, threshold));
    } else {
      for (let k = 0; k < count; k++) result.push({ after: newer[newIndex++]! });
    }
  }
  return result;
}

/**
 * Word marks separated only by spaces read as one change: "~~Wirkung zu dem Tag~~ einer Frist
 * von drei Monaten", not "~~Wirkung~~einer ~~zu~~Frist …". Joins such runs, deletions first.
 */
function coalesce(parts: RedlinePart[]): RedlinePart[] {
  const result: RedlinePart[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted.trim()) result.push({ text: deleted, change: 'deleted' });
    if (inserted.trim()) result.push({ text: inserted, change: 'inserted' });
    deleted = inserted = '';
  };
  parts.forEach((part, index) => {
    if (part.change === 'deleted') deleted += part.text;
    else if (part.change === 'inserted') inserted += part.text;
    else if ((deleted || inserted) && /^\s+$/.test(part.text) && parts[index + 1] && parts[index + 1]!.change !== 'kept') {
      deleted += part.text;
      inserted += part.text;
    } else {
      flush();
      const last = result.at(-1);
      if (last?.change === 'kept') last.text += part.text;
      else result.push({ ...part });
    }
  });
  flush();
  return result;
}

/**
 * Word marks help while they are few; a sentence with many scattered marks is better struck and
 * replaced. Readable: nearly the same wording, or at most two separate changes.
 */
function readable(parts: RedlinePart[], similarity: number): boolean {
  // A deletion directly followed by its replacement is one change.
  const changes = parts.filter((part, index) => part.change !== 'kept' && !(part.change === 'inserted' && parts[index - 1]?.change === 'deleted')).length;
  return similarity >= 0.8 || (changes <= 2 && similarity >= REWRITE_BELOW);
}

const replaced = (before: string, after: string): RedlinePart[] => [...whole(before, 'deleted'), ...whole(after, 'inserted')];

/** Aligns the pieces of two texts (sentences, clauses), pairing reworded ones and diffing each pair with `pair`. */
function piecewise(before: string[], after: string[], pair: (old: string, now: string) => RedlinePart[]): RedlinePart[] {
  return align(before, after, (piece) => piece.trim(), wordSimilarity, REWRITE_BELOW).flatMap(({ before: old, after: now }): RedlinePart[] => {
    if (old !== undefined && now !== undefined) return old.trim() === now.trim() ? whole(now, 'kept') : pair(old, now);
    return old !== undefined ? whole(old, 'deleted') : whole(now!, 'inserted');
  });
}

/** Words where few changed; otherwise clause by clause (at commas, semicolons), each clause by words or whole. */
function rewordedSentence(before: string, after: string): RedlinePart[] {
  const words = coalesce(wordDiff(before, after));
  if (readable(words, wordSimilarity(before, after))) return words;
  return piecewise(splitPhrases(before), splitPhrases(after), (old, now) => {
    const phrase = coalesce(wordDiff(old, now));
    return readable(phrase, wordSimilarity(old, now)) ? phrase : replaced(old, now);
  });
}

/**
 * The redline of one reworded paragraph: sentence by sentence; inside a reworded sentence word
 * by word while that stays readable, else clause by clause; a rewritten sentence or clause is
 * struck and replaced whole.
 */
export function sentenceDiff(before: string, after: string): RedlinePart[] {
  // Neighbouring runs of the same kind read as one.
  return piecewise(splitSentences(before), splitSentences(after), rewordedSentence).reduce<RedlinePart[]>((merged, part) => {
    const last = merged.at(-1);
    if (last && last.change === part.change) last.text += part.text;
    else merged.push({ ...part });
    return merged;
  }, []);
}

function units(markdown: string): Unit[] {
  return markdownBlocks(markdown).flatMap((block): Unit[] =>
    block.kind === 'list'
      ? block.items.map((item) => ({ kind: 'item', ordered: block.ordered, text: plainText(item) }))
      : [{ kind: block.kind, ordered: false, text: plainText(block.text) }],
  );
}

/** Compares two clause bodies block by block; list items are compared one by one. */
function compareBodies(before: string, after: string): RedlineBlock[] {
  const sameKind = (a: Unit, b: Unit) => a.kind === b.kind && a.ordered === b.ordered;
  // Paragraphs pair more readily than sentences: a reworded paragraph usually keeps some of its
  // sentences, which the sentence diff inside it then shows as kept.
  const similarity = (a: Unit, b: Unit) => (sameKind(a, b) ? wordSimilarity(a.text, b.text) : 0);
  const pairs = align(units(before), units(after), (unit) => `${unit.kind}:${unit.ordered}:${unit.text}`, similarity, REWRITE_BELOW / 2);
  const blocks: RedlineBlock[] = [];
  for (const { before: old, after: now } of pairs) {
    const shape = (now ?? old)!;
    const unit: RedlineUnit =
      old && now
        ? old.text === now.text
          ? { status: 'kept', parts: whole(now.text, 'kept') }
          : { status: 'changed', parts: sentenceDiff(old.text, now.text) }
        : old
          ? { status: 'deleted', parts: whole(old.text, 'deleted') }
          : { status: 'inserted', parts: whole(now!.text, 'inserted') };
    if (shape.kind !== 'item') {
      blocks.push({ kind: shape.kind, ...unit });
      continue;
    }
    const last = blocks.at(-1);
    if (last?.kind === 'list' && last.ordered === shape.ordered) last.items.push(unit);
    else blocks.push({ kind: 'list', ordered: shape.ordered, items: [unit] });
  }
  return blocks;
}

const wholeBody = (body: string, status: 'inserted' | 'deleted'): RedlineBlock[] =>
  compareBodies(status === 'deleted' ? body : '', status === 'inserted' ? body : '');

/**
 * Compares two AVV texts clause by clause. Clauses are matched by anchor, so a renumbered
 * clause ("§ 7" → "§ 8") shows only the renumbering, and a moved clause is not a deletion plus
 * an insertion. Order follows the newer text; a deleted clause appears where it stood, after
 * the clause that preceded it in the older text. Within a clause, paragraphs and list items
 * are aligned first, then sentences, then words (see sentenceDiff).
 */
export function redline(olderMarkdown: string, newerMarkdown: string): RedlineClause[] {
  const older = splitClauses(olderMarkdown).clauses;
  const newer = splitClauses(newerMarkdown).clauses;
  const olderByAnchor = new Map(older.map((clause) => [clause.anchor, clause]));
  const newerAnchors = new Set(newer.map((clause) => clause.anchor));

  const compareClause = (clause: Clause): RedlineClause => {
    const before = olderByAnchor.get(clause.anchor);
    if (!before) return { anchor: clause.anchor, status: 'added', heading: whole(clause.heading, 'inserted'), blocks: wholeBody(clause.body, 'inserted') };
    const blocks = compareBodies(before.body, clause.body);
    // Reflowed lines or a changed list marker are not a change a reader can see.
    const unchanged = before.heading === clause.heading && blocks.every((block) => (block.kind === 'list' ? block.items : [block]).every((unit) => unit.status === 'kept'));
    return { anchor: clause.anchor, status: unchanged ? 'unchanged' : 'changed', heading: coalesce(wordDiff(before.heading, clause.heading)), blocks };
  };
  const removed = (clause: Clause): RedlineClause => ({
    anchor: clause.anchor,
    status: 'removed',
    heading: whole(clause.heading, 'deleted'),
    blocks: wholeBody(clause.body, 'deleted'),
  });

  const result: RedlineClause[] = [];
  // Deleted clauses that come before every surviving clause open the comparison.
  let index = 0;
  while (index < older.length && !newerAnchors.has(older[index]!.anchor)) result.push(removed(older[index++]!));
  for (const clause of newer) {
    result.push(compareClause(clause));
    const position = older.findIndex((candidate) => candidate.anchor === clause.anchor);
    if (position === -1) continue;
    for (let next = position + 1; next < older.length && !newerAnchors.has(older[next]!.anchor); next++) {
      result.push(removed(older[next]!));
    }
  }
  return result;
}
