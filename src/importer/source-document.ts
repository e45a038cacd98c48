/**
 * The first stage of the importer: a document as numbered lines of text. Every later stage
 * refers back to these line numbers, so the author can check each extracted value against the
 * signed document.
 */
export type SourceFormat = 'pdf' | 'docx' | 'txt' | 'md';

export interface SourceDocument {
  /** Which reader produced the lines. */
  format: SourceFormat;
  /**
   * The text, one entry per line; line N of the review is `lines[N - 1]`. Paragraphs are
   * separated by empty lines; table rows are one line with their cells separated by tabs.
   */
  lines: string[];
}

/** The format a file name stands for, or undefined when the importer cannot read it. */
export function formatOfFileName(fileName: string): SourceFormat | undefined {
  const extension = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'pdf' || extension === 'docx' || extension === 'txt' || extension === 'md') return extension;
  if (extension === 'markdown') return 'md';
  return undefined;
}
