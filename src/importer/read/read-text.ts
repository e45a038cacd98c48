import type { SourceDocument } from '../source-document.ts';

/**
 * Plain text and Markdown are taken line by line as they are; only line endings and the
 * byte-order mark are normalised, so the same file always yields the same lines.
 */
export function readText(bytes: Uint8Array, format: 'txt' | 'md'): SourceDocument {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  return { format, lines: splitLines(text) };
}

/** Splits text into lines with CRLF and CR treated as LF, without a trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  return lines.map((line) => line.replace(/\s+$/, ''));
}
