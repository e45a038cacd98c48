import { spanOf, type LineSpan } from './model.ts';

/**
 * Line and sentence helpers shared by the recognisers. They never change the text they return
 * except for the decoration a line carries in a given format (list dash, Markdown emphasis),
 * which `plainLine` removes for matching only.
 */

/** A line without its list dash, Markdown heading marks, emphasis stars and HTML italics, for matching. */
export function plainLine(line: string): string {
  return line
    .replace(/^\s*[-–•*]\s+/, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/<\/?(i|em|b|strong)>/gi, '')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A run of non-empty lines, joined with single spaces, with the position of each line in it. */
export interface Paragraph {
  text: string;
  lines: LineSpan;
  /** Offset in `text` where each source line starts, in line order. */
  offsets: number[];
}

/** Paragraphs of lines[from-1 .. to-1] (1-based, inclusive); table rows are their own paragraph. */
export function paragraphsOf(lines: readonly string[], from = 1, to = lines.length): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: { parts: string[]; start: number } | undefined;
  const close = (end: number): void => {
    if (!current) return;
    const offsets: number[] = [];
    let text = '';
    for (const part of current.parts) {
      if (text) text += ' ';
      offsets.push(text.length);
      text += part;
    }
    paragraphs.push({ text, lines: spanOf(current.start, end), offsets });
    current = undefined;
  };
  for (let number = from; number <= to; number += 1) {
    const line = lines[number - 1] ?? '';
    if (line.trim() === '' || line.includes('\t')) {
      close(number - 1);
      if (line.includes('\t')) paragraphs.push({ text: line.trim(), lines: spanOf(number), offsets: [0] });
      continue;
    }
    const startsItem = /^\s*[-–•*]\s+/.test(line) || /^\s*(§|\(?\d+[.)]|\(?[a-z][.)])\s/.test(line);
    if (current && startsItem) close(number - 1);
    if (!current) current = { parts: [], start: number };
    current.parts.push(line.trim());
  }
  close(to);
  return paragraphs;
}

/** The source lines a character range of a paragraph covers. */
export function spanInParagraph(paragraph: Paragraph, start: number, end: number): LineSpan {
  const lineAt = (offset: number): number => {
    let index = 0;
    while (index + 1 < paragraph.offsets.length && paragraph.offsets[index + 1]! <= offset) index += 1;
    return paragraph.lines.from + index;
  };
  return spanOf(lineAt(start), lineAt(Math.max(start, end - 1)));
}

// Abbreviations after which a full stop does not end a sentence in German contracts.
const ABBREVIATIONS = /(?:\b(?:Abs|Art|Nr|Ziff|lit|bzw|ggf|inkl|insb|vgl|sog|gem|evtl|max|min|ca|Str|Buchst|Anh|Kap|Satz|S|z|B|d|h|i|u|a|o|e|V|S)\.|\d\.)$/;

/** Sentences of a paragraph with their character ranges. */
export function sentencesOf(paragraph: Paragraph): { text: string; start: number; end: number }[] {
  const sentences: { text: string; start: number; end: number }[] = [];
  const text = paragraph.text;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if ((char === '.' || char === '!' || char === '?' || char === ';') && (index + 1 === text.length || /\s/.test(text[index + 1]!))) {
      if (char === '.' && ABBREVIATIONS.test(text.slice(Math.max(0, index - 8), index + 1))) continue;
      const next = text.slice(index + 1).trimStart();
      if (char === '.' && next !== '' && !/^[A-ZÄÖÜ„"(]/.test(next)) continue;
      pushSentence(sentences, text, start, index + 1);
      start = index + 1;
    }
  }
  pushSentence(sentences, text, start, text.length);
  return sentences;
}

function pushSentence(into: { text: string; start: number; end: number }[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const leading = raw.length - raw.trimStart().length;
  const sentence = raw.trim();
  if (sentence) into.push({ text: sentence, start: start + leading, end: start + leading + sentence.length });
}

/** A slug for anchors and file names: lowercase ASCII, umlauts spelled out, words joined by dashes. */
export function slugify(text: string, maxWords = 6): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, maxWords)
    .join('-');
}

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
