/**
 * The clauses of an AVV body: each `## ` heading starts one. Authors give a clause a stable
 * anchor with `{#anchor}` at the end of its heading; without one, the anchor is derived from
 * the heading text (and so changes when the heading does).
 */
export interface Clause {
  /** Anchor used in links (`#unterauftragsverarbeitung`) and to align clauses in the diff. */
  anchor: string;
  /** Heading text without the `{#anchor}` marker. Example: "§ 7 Unterauftragsverhältnisse". */
  heading: string;
  /** Whether the author wrote the anchor (stable) or it was derived (changes with the heading). */
  explicitAnchor: boolean;
  /** Markdown of the clause body, without its heading. */
  body: string;
}

const HEADING = /^##\s+(.+?)\s*$/;
const ANCHOR = /\s*\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$/;

/** A URL fragment from heading text, as GitHub-style slugs: lowercase, letters kept. */
export function slugifyHeading(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Splits the body into its preamble (before the first clause) and clauses. */
export function splitClauses(markdown: string): { preamble: string; clauses: Clause[] } {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const preamble: string[] = [];
  const clauses: Clause[] = [];
  let current: { anchor: string; heading: string; explicitAnchor: boolean; lines: string[] } | undefined;
  let inFence = false;
  for (const line of lines) {
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      if (current) clauses.push(finish(current));
      const anchorMatch = ANCHOR.exec(heading[1]!);
      const text = heading[1]!.replace(ANCHOR, '').trim();
      current = { anchor: anchorMatch ? anchorMatch[1]! : slugifyHeading(text), heading: text, explicitAnchor: !!anchorMatch, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else {
      preamble.push(line);
    }
  }
  if (current) clauses.push(finish(current));
  return { preamble: preamble.join('\n').trim(), clauses };
}

function finish({ anchor, heading, explicitAnchor, lines }: { anchor: string; heading: string; explicitAnchor: boolean; lines: string[] }): Clause {
  return { anchor, heading, explicitAnchor, body: lines.join('\n').trim() };
}
