/**
 * The block structure of the small Markdown subset contract texts use (paragraphs, bullet and
 * numbered lists, sub-headings), for renderers that are not HTML: the PDF of a document state
 * and the redline, which compares paragraph by paragraph and list item by list item. The site
 * pages render the same Markdown with Astro's full processor; this reader only needs to agree
 * with it on where a block starts and ends.
 */
export type MarkdownBlock =
  | { kind: 'heading'; /** 3 for `###` (inside a clause; `##` starts a clause). */ level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; /** One entry per item, continuation lines joined with a space. */ items: string[] };

const LIST_ITEM = /^\s{0,3}([-*+]|\d{1,3}[.)])\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Splits Markdown into headings, paragraphs and lists; soft line breaks become spaces. */
export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (list) blocks.push({ kind: 'list', ...list });
    paragraph = [];
    list = undefined;
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      // A blank line ends a paragraph; a list goes on if the next line is another item.
      if (paragraph.length > 0) flush();
      continue;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const item = LIST_ITEM.exec(raw);
    if (item) {
      const ordered = /\d/.test(item[1]!);
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[2]!.trim());
      continue;
    }
    if (list && /^\s/.test(raw)) {
      // An indented line continues the last item.
      list.items[list.items.length - 1] += ` ${line}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line);
  }
  flush();
  return blocks;
}

/** A run of inline text with the emphasis Markdown gave it. */
export interface InlineRun {
  text: string;
  bold: boolean;
  italic: boolean;
}

/**
 * Inline Markdown as runs: `**bold**`, `*emphasis*` / `_emphasis_`, `` `code` `` (kept as
 * plain text) and `[text](url)`, printed as "text (url)" because paper has no links.
 */
export function inlineRuns(text: string): InlineRun[] {
  const plain = text.replace(/\[([^\]]+)\]\(([^\s)]+)\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`)).replace(/`([^`]+)`/g, '$1');
  const runs: InlineRun[] = [];
  const pattern = /\*\*([^*]+)\*\*|(?<![\p{L}\p{N}])[*_]([^*_]+)[*_](?![\p{L}\p{N}])/gu;
  let last = 0;
  for (const match of plain.matchAll(pattern)) {
    if (match.index > last) runs.push({ text: plain.slice(last, match.index), bold: false, italic: false });
    runs.push(match[1] !== undefined ? { text: match[1], bold: true, italic: false } : { text: match[2]!, bold: false, italic: true });
    last = match.index + match[0].length;
  }
  if (last < plain.length) runs.push({ text: plain.slice(last), bold: false, italic: false });
  return runs;
}

/** The text a reader sees, without Markdown markers. */
export function plainText(text: string): string {
  return inlineRuns(text).map((run) => run.text).join('');
}
