import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';

/**
 * DOCX and PDF versions of a plain-text test AVV, so the importer's tests and bench read every
 * input format from the same hand-written text. A line with tabs is a table row (consecutive
 * rows form one table); every other non-empty line is a paragraph; empty lines separate them.
 */
type Block = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: string[][] };

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') continue;
    if (line.includes('\t')) {
      const cells = line.split('\t').map((cell) => cell.trim());
      const last = blocks.at(-1);
      if (last?.kind === 'table') last.rows.push(cells);
      else blocks.push({ kind: 'table', rows: [cells] });
    } else {
      blocks.push({ kind: 'paragraph', text: line });
    }
  }
  return blocks;
}

/** A DOCX with one Word paragraph per text paragraph and real Word tables for tab rows. */
export async function docxOfText(text: string): Promise<Uint8Array> {
  const children = blocksOf(text).map((block) => {
    if (block.kind === 'paragraph') return new Paragraph({ children: [new TextRun(block.text)] });
    const columns = Math.max(...block.rows.map((row) => row.length));
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: block.rows.map((row) => new TableRow({
        children: Array.from({ length: columns }, (_, index) => new TableCell({ children: [new Paragraph({ children: [new TextRun(row[index] ?? '')] })] })),
      })),
    });
  });
  const document = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(document));
}

const MARGIN = 50;

/**
 * An A4 PDF with a real text layer (standard Helvetica): paragraphs wrap at the page width as a
 * word processor would; table rows are laid out in aligned columns, one line per row, in a font
 * small enough to fit the page.
 */
export async function pdfOfText(text: string): Promise<Uint8Array> {
  const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, info: { CreationDate: new Date(Date.UTC(2026, 0, 1)) } });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => pdf.on('end', () => resolve()));
  const width = pdf.page.width - 2 * MARGIN;
  pdf.font('Helvetica').fontSize(10);
  for (const block of blocksOf(text)) {
    if (block.kind === 'paragraph') {
      pdf.font('Helvetica').fontSize(10).text(block.text, MARGIN, undefined, { width });
      pdf.moveDown(1);
      continue;
    }
    const columns = Math.max(...block.rows.map((row) => row.length));
    const gap = 14;
    let size = 8;
    const widths = (fontSize: number): number[] => {
      pdf.fontSize(fontSize);
      return Array.from({ length: columns }, (_, index) => Math.max(...block.rows.map((row) => pdf.widthOfString(row[index] ?? ''))));
    };
    while (size > 4 && widths(size).reduce((sum, value) => sum + value + gap, -gap) > width) size -= 0.5;
    const columnWidths = widths(size);
    for (const row of block.rows) {
      if (pdf.y + size * 2 > pdf.page.height - MARGIN) pdf.addPage();
      const y = pdf.y;
      let x = MARGIN;
      row.forEach((cell, index) => {
        if (cell !== '') pdf.text(cell, x, y, { lineBreak: false });
        x += columnWidths[index]! + gap;
      });
      pdf.x = MARGIN;
      pdf.y = y + size * 1.4;
    }
    pdf.moveDown(1);
  }
  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
