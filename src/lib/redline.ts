import { diffWordsWithSpace } from 'diff';
import { splitClauses, type Clause } from '../domain/clauses.ts';

/** A run of text in a redline: kept, inserted or deleted. */
export interface RedlinePart {
  text: string;
  change: 'kept' | 'inserted' | 'deleted';
}

/** One clause of the comparison, aligned across versions by its anchor. */
export interface RedlineClause {
  anchor: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  heading: RedlinePart[];
  body: RedlinePart[];
}

function wordDiff(before: string, after: string): RedlinePart[] {
  return diffWordsWithSpace(before, after).map((part) => ({
    text: part.value,
    change: part.added ? 'inserted' : part.removed ? 'deleted' : 'kept',
  }));
}

const whole = (text: string, change: RedlinePart['change']): RedlinePart[] => (text ? [{ text, change }] : []);

/**
 * Compares two AVV texts clause by clause. Clauses are matched by anchor, so a renumbered
 * clause ("§ 7" → "§ 8") shows only the renumbering, and a moved clause is not a deletion plus
 * an insertion. Order follows the newer text; a deleted clause appears where it stood, after
 * the clause that preceded it in the older text.
 */
export function redline(olderMarkdown: string, newerMarkdown: string): RedlineClause[] {
  const older = splitClauses(olderMarkdown).clauses;
  const newer = splitClauses(newerMarkdown).clauses;
  const olderByAnchor = new Map(older.map((clause) => [clause.anchor, clause]));
  const newerAnchors = new Set(newer.map((clause) => clause.anchor));

  const compareClause = (clause: Clause): RedlineClause => {
    const before = olderByAnchor.get(clause.anchor);
    if (!before) return { anchor: clause.anchor, status: 'added', heading: whole(clause.heading, 'inserted'), body: whole(clause.body, 'inserted') };
    const unchanged = before.heading === clause.heading && before.body === clause.body;
    return {
      anchor: clause.anchor,
      status: unchanged ? 'unchanged' : 'changed',
      heading: wordDiff(before.heading, clause.heading),
      body: wordDiff(before.body, clause.body),
    };
  };
  const removed = (clause: Clause): RedlineClause => ({
    anchor: clause.anchor,
    status: 'removed',
    heading: whole(clause.heading, 'deleted'),
    body: whole(clause.body, 'deleted'),
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
