import { extractTextItems, getDocumentProxy } from 'unpdf';
import type { SourceDocument } from '../source-document.ts';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/**
 * The PDF's text layer, rebuilt into lines from the positions of its text items: items on one
 * baseline form a line, a wide horizontal gap between items is a table column (a tab), and a
 * vertical gap clearly larger than the line spacing is a paragraph break (an empty line).
 * Scanned PDFs without a text layer yield no lines; the importer then says so.
 */
export async function readPdf(bytes: Uint8Array): Promise<SourceDocument> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { items } = await extractTextItems(pdf);
  const lines: string[] = [];
  for (const pageItems of items) {
    const pageLines = linesOfPage(pageItems.filter((item) => item.str !== ''));
    if (lines.length > 0 && pageLines.length > 0 && lines.at(-1) !== '') lines.push('');
    lines.push(...pageLines);
  }
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return { format: 'pdf', lines };
}

function linesOfPage(items: readonly Item[]): string[] {
  const rows: Item[][] = [];
  // PDF y grows upwards: read top to bottom, left to right.
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  for (const item of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs(row[0]!.y - item.y) <= Math.max(1, item.fontSize * 0.3)) row.push(item);
    else rows.push([item]);
  }
  const lines: string[] = [];
  let previous: { y: number; fontSize: number } | undefined;
  let columns: number[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    const fontSize = Math.max(...row.map((item) => item.fontSize));
    if (previous && previous.y - row[0]!.y > Math.max(previous.fontSize, fontSize) * 1.9) lines.push('');
    const line = joinRow(row);
    // A row that starts under a later column of the table row above continues a wrapped cell:
    // keep its column with leading tabs, as a text export of the table would.
    const first = row.find((item) => item.str.trim() !== '');
    const column = first === undefined ? -1 : columns.findIndex((x) => Math.abs(x - first.x) < 2);
    lines.push(column > 0 ? `${'\t'.repeat(column)}${line}` : line);
    if (line.includes('\t')) columns = cellStarts(row);
    else if (column <= 0) columns = [];
    previous = { y: row[0]!.y, fontSize };
  }
  return lines;
}

/** x of each cell's first item in a table row (cells are separated by wide gaps). */
function cellStarts(row: readonly Item[]): number[] {
  const starts: number[] = [];
  let end: number | undefined;
  let gap = true;
  for (const item of row) {
    if (item.str.trim() === '') {
      if (item.width > item.fontSize * 1.5) gap = true;
      end = item.x + item.width;
      continue;
    }
    if (gap || (end !== undefined && item.x - end > item.fontSize * 1.5)) starts.push(item.x);
    gap = false;
    end = item.x + item.width;
  }
  return starts;
}

function joinRow(row: readonly Item[]): string {
  let line = '';
  let end: number | undefined;
  let column = false;
  for (const item of row) {
    // pdf.js reports the space between two table cells as a wide whitespace item.
    if (item.str.trim() === '') {
      if (item.width > item.fontSize * 1.5) column = true;
      else if (line !== '' && !line.endsWith(' ')) line += ' ';
      end = item.x + item.width;
      continue;
    }
    if (end !== undefined && item.x - end > item.fontSize * 1.5) column = true;
    if (column && line !== '') line = `${line.trimEnd()}\t`;
    else if (end !== undefined && item.x - end > item.fontSize * 0.15 && !line.endsWith(' ') && !line.endsWith('\t')) line += ' ';
    column = false;
    line += line.endsWith('\t') || line.endsWith(' ') ? item.str.trimStart() : item.str;
    end = item.x + item.width;
  }
  return line.replace(/ +$/, '').replace(/ {2,}/g, ' ');
}
