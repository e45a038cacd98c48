import mammoth from 'mammoth';
import type { SourceDocument } from '../source-document.ts';

/**
 * DOCX through mammoth's HTML conversion rather than its raw text: the HTML keeps table rows
 * and list items apart, which the subprocessor tables need. Each paragraph becomes one line
 * followed by an empty line, each table row one line of tab-separated cells, each list item a
 * `- ` line — the same shapes the text reader sees in a plain-text AVV. Paragraphs in Word's
 * heading styles become Markdown headings (`## Titel`): Word's automatic numbering is not part
 * of the text, so for such documents the style is what marks a clause.
 */
export async function readDocx(bytes: Uint8Array): Promise<SourceDocument> {
  const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return { format: 'docx', lines: htmlToLines(html) };
}

const TAG = /<(\/?)([a-z0-9]+)[^>]*?(\/?)>|([^<]+)/gi;

/** Lines from mammoth's HTML (a small, regular subset: p, h1–h6, ul/ol/li, table/tr/td, br). */
export function htmlToLines(html: string): string[] {
  const lines: string[] = [];
  let text = '';
  let cells: string[] | undefined;
  let listDepth = 0;
  let tableDepth = 0;
  let headingLevel = 0;
  const flushBlock = (): void => {
    const content = text.replace(/[ \t]+/g, ' ').trim();
    text = '';
    if (cells !== undefined) {
      if (content) cells[cells.length - 1] = cells[cells.length - 1] ? `${cells[cells.length - 1]} ${content}` : content;
      return;
    }
    if (!content) return;
    if (listDepth > 0) lines.push(`${'  '.repeat(listDepth - 1)}- ${content}`);
    else if (headingLevel > 0) lines.push(`${'#'.repeat(Math.min(headingLevel + 1, 6))} ${content}`, '');
    else lines.push(content, '');
  };
  for (const match of html.matchAll(TAG)) {
    const [, closing, rawName, , chars] = match;
    if (chars !== undefined) {
      text += decodeEntities(chars);
      continue;
    }
    const name = rawName!.toLowerCase();
    if (name === 'br') {
      text += ' ';
    } else if (/^(p|h[1-6]|li)$/.test(name)) {
      flushBlock();
      headingLevel = !closing && name.startsWith('h') ? Number(name.slice(1)) : 0;
      if (name === 'li' && closing === '' && listDepth === 0) listDepth = 1;
    } else if (name === 'ul' || name === 'ol') {
      flushBlock();
      listDepth += closing ? -1 : 1;
      if (closing && listDepth === 0) lines.push('');
    } else if (name === 'table') {
      flushBlock();
      tableDepth += closing ? -1 : 1;
      if (closing && tableDepth === 0) lines.push('');
    } else if (name === 'tr') {
      flushBlock();
      if (closing) {
        if (cells !== undefined && cells.some((cell) => cell !== '')) lines.push(cells.join('\t'));
        cells = undefined;
      } else {
        cells = [];
      }
    } else if (name === 'td' || name === 'th') {
      flushBlock();
      if (!closing && cells !== undefined) cells.push('');
    }
  }
  flushBlock();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}
