import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatOfFileName, type SourceDocument } from '../source-document.ts';
import { readDocx } from './read-docx.ts';
import { readPdf } from './read-pdf.ts';
import { readText } from './read-text.ts';

/** Reads an AVV file by its extension (.pdf, .docx, .txt, .md); throws a plain message otherwise. */
export async function readDocument(file: string): Promise<SourceDocument> {
  const format = formatOfFileName(file);
  if (format === undefined) {
    throw new Error(`${path.basename(file)}: cannot read this format; give a .pdf (with a text layer), .docx, .txt or .md file`);
  }
  return readBytes(new Uint8Array(await readFile(file)), format);
}

/** The same from bytes already in memory. */
export async function readBytes(bytes: Uint8Array, format: SourceDocument['format']): Promise<SourceDocument> {
  if (format === 'pdf') return readPdf(bytes);
  if (format === 'docx') return readDocx(bytes);
  return readText(bytes, format);
}
