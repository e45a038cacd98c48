import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { countryName } from '../domain/countries.ts';
import { splitClauses } from '../domain/clauses.ts';
import { formatDate, localized, t, type UiKey } from '../i18n/ui.ts';
import { inlineRuns, markdownBlocks, type MarkdownBlock } from './markdown-blocks.ts';
import type { Lang } from './paths.ts';
import type { DocumentState } from './document-state.ts';
import { transferLabel } from './transfer-label.ts';
import { categoryMentionText, categoryMentions } from './category-mentions.ts';
import type { DataCategory } from '../schemas/data-category.ts';
import { shareWordLayouts } from './pdf-word-layouts.ts';
import { INTER_FONT_FILES } from './inter-fonts.ts';

const require = createRequire(import.meta.url);
type FontName = keyof typeof INTER_FONT_FILES;

const MARGIN = 64;
const FOOTER_SIZE = 7.5;
const BODY_SIZE = 10;
const LIST_INDENT = 16;
const INK = '#1a1a1a';
const MUTED = '#555555';

/** A calendar date as a fixed UTC instant: the PDF's dates come from content, never the clock. */
function dayInstant(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day));
}

/**
 * Renders a document state as an A4 PDF a lawyer can file: the contract, Annex 1 (TOMs) and
 * Annex 2 (subprocessors) in force on the state's day, with version, dates and the SHA-256 on
 * the title page and in every page's footer, bookmarks per clause and annex, and the canonical
 * JSON attached (PDF/A-3 allows that), so the file carries its own proof. Fonts are embedded
 * and text is real text. The document names data categories by id; `dataCategories` (their
 * declarations in content) gives them the labels the web pages show. Creation dates come from
 * the state's day, and pdfkit derives the file id from them, so two builds give identical bytes.
 */
export async function renderAvvPdf(state: DocumentState, dataCategories: readonly DataCategory[]): Promise<Uint8Array<ArrayBuffer>> {
  const { document } = state;
  const lang: Lang = document.avv.language === 'en' ? 'en' : 'de';
  const label = (key: UiKey) => t(lang, key);
  const created = dayInstant(document.asOf > document.avv.effectiveDate ? document.asOf : document.avv.effectiveDate);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 12, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: lang === 'de' ? 'de-DE' : 'en-GB',
    displayTitle: true,
    info: {
      Title: `${document.avv.title} – ${label('version')} ${document.avv.version}`,
      Subject: `SHA-256 ${state.sha256}`,
      Keywords: `AVV ${document.avv.version}, ${state.sha256}`,
      Producer: 'trust-center',
      Creator: 'trust-center',
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  for (const [name, file] of Object.entries(INTER_FONT_FILES)) pdf.registerFont(name, require.resolve(file));
  const width = pdf.page.width - 2 * MARGIN;

  const font = (name: FontName, size: number, color = INK) => {
    pdf.font(name);
    // Each word is shaped once per build, not once per document (src/lib/pdf-word-layouts.ts).
    shareWordLayouts(pdf, name);
    return pdf.fontSize(size).fillColor(color);
  };
  /** Keeps a heading together with the first lines of what follows it. */
  const keepWithNext = (height: number) => {
    if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
  };
  const inline = (text: string, options: { x?: number; width?: number; size?: number } = {}) => {
    const runs = inlineRuns(text);
    const size = options.size ?? BODY_SIZE;
    runs.forEach((run, index) => {
      font(run.bold ? (run.italic ? 'boldItalic' : 'bold') : run.italic ? 'italic' : 'regular', size);
      const layout = { width: options.width ?? width, continued: index < runs.length - 1, lineGap: 2, align: 'left' as const };
      // The first run places the paragraph; the others continue where it left off.
      if (index === 0 && options.x !== undefined) pdf.text(run.text, options.x, pdf.y, layout);
      else pdf.text(run.text, layout);
    });
  };
  const blocks = (items: MarkdownBlock[]) => {
    for (const block of items) {
      if (block.kind === 'heading') {
        keepWithNext(48);
        font('bold', BODY_SIZE + 1).text(block.text, MARGIN, pdf.y, { width });
        pdf.moveDown(0.3);
      } else if (block.kind === 'paragraph') {
        inline(block.text, { x: MARGIN });
        pdf.moveDown(0.6);
      } else {
        block.items.forEach((item, index) => {
          keepWithNext(BODY_SIZE * 1.6);
          const top = pdf.y;
          font('regular', BODY_SIZE).text(block.ordered ? `${index + 1}.` : '•', MARGIN, top, { width: LIST_INDENT, lineBreak: false });
          pdf.y = top;
          inline(item, { x: MARGIN + LIST_INDENT, width: width - LIST_INDENT });
          pdf.moveDown(0.25);
        });
        pdf.moveDown(0.4);
      }
    }
  };
  /** A list of facts, or what the AVV does not state said as such (never left blank). */
  const listed = <T,>(items: readonly T[] | 'not-stated', format: (item: T) => string) =>
    items === 'not-stated' ? label('notStated') : items.map(format).join('; ');
  const sectionHeading = (text: string, size: number) => {
    keepWithNext(size * 4);
    pdf.moveDown(0.4);
    font('bold', size).text(text, MARGIN, pdf.y, { width });
    pdf.moveDown(0.4);
  };
  const facts = (rows: Array<[string, string]>) => {
    for (const [name, value] of rows) {
      font('bold', BODY_SIZE - 1, MUTED).text(`${name}: `, MARGIN, pdf.y, { width, continued: true });
      font('regular', BODY_SIZE - 1, INK).text(value);
    }
    pdf.moveDown(0.6);
  };

  // ── Title block: what this is, which version, which day, which hash ──────────────────────
  font('bold', 18).text(document.avv.title, { width });
  pdf.moveDown(0.5);
  facts([
    [label('version'), document.avv.version],
    [label('effectiveDate'), formatDate(document.avv.effectiveDate, lang)],
    [label('pdfAnnexesAsOf'), formatDate(document.asOf, lang)],
  ]);
  font('bold', BODY_SIZE - 1, MUTED).text(label('documentHash'), { width });
  font('regular', BODY_SIZE - 1, INK).text(state.sha256, { width });
  font('regular', BODY_SIZE - 2, MUTED).text(label('pdfHashNote'), { width });
  pdf.moveDown(1.2);

  // ── The contract ─────────────────────────────────────────────────────────────────────────
  const contract = pdf.outline.addItem(`${document.avv.title} ${document.avv.version}`);
  const { preamble, clauses } = splitClauses(document.avv.text);
  blocks(markdownBlocks(preamble));
  for (const clause of clauses) {
    sectionHeading(clause.heading, 12.5);
    contract.addItem(clause.heading);
    blocks(markdownBlocks(clause.body));
  }

  // ── Annex 1: TOMs ────────────────────────────────────────────────────────────────────────
  pdf.addPage();
  pdf.outline.addItem(label('pdfAnnexToms'));
  font('bold', 15).text(label('pdfAnnexToms'), { width });
  pdf.moveDown(0.4);
  const { toms } = document;
  font('regular', BODY_SIZE + 1).text(toms.title, { width });
  pdf.moveDown(0.3);
  facts([
    [label('version'), toms.version],
    [label('effectiveDate'), formatDate(toms.effectiveDate, lang)],
    [label('reviewedDate'), toms.reviewedDate === 'not-stated' ? label('notStated') : formatDate(toms.reviewedDate, lang)],
  ]);
  blocks(markdownBlocks(toms.preamble));
  for (const section of toms.sections) {
    sectionHeading(localized(section.title, lang), 11.5);
    if (section.description) blocks(markdownBlocks(section.description));
    blocks([{ kind: 'list', ordered: false, items: section.measures }]);
  }

  // ── Annex 2: subprocessors ───────────────────────────────────────────────────────────────
  pdf.addPage();
  pdf.outline.addItem(label('pdfAnnexSubprocessors'));
  font('bold', 15).text(label('pdfAnnexSubprocessors'), { width });
  pdf.moveDown(0.6);
  if (document.subprocessors.length === 0) font('regular', BODY_SIZE).text(label('pdfNoSubprocessors'), { width });
  for (const subprocessor of document.subprocessors) {
    sectionHeading(subprocessor.name, 11.5);
    const { address } = subprocessor;
    facts([
      [label('legalEntity'), subprocessor.legalEntity],
      [label('address'), `${address.street}, ${address.postalCode} ${address.city}, ${countryName(address.country, lang)}`],
      [label('purpose'), localized(subprocessor.purpose, lang)],
      ...(subprocessor.responsibilities ? [[label('responsibilities'), localized(subprocessor.responsibilities, lang)] as [string, string]] : []),
      [label('dataCategories'), listed(categoryMentions(dataCategories, subprocessor.dataCategories), (mention) => categoryMentionText(mention, lang))],
      [label('dataSubjects'), listed(categoryMentions(dataCategories, subprocessor.dataSubjects), (mention) => categoryMentionText(mention, lang))],
      [label('locations'), listed(subprocessor.locations, (l) => [countryName(l.country, lang), l.city].filter(Boolean).join(', '))],
      [
        label('transfer'),
        subprocessor.transfers === undefined
          ? label('transferNotRequired')
          : listed(subprocessor.transfers, (m) => `${transferLabel(lang, m)}${m.country ? ` (${countryName(m.country, lang)})` : ''}`),
      ],
      // No end date: the state holds none (src/domain/acceptance-document.ts), it is decided later.
      [label('since'), subprocessor.since === 'not-stated' ? label('notStated') : formatDate(subprocessor.since, lang)],
    ]);
  }

  // ── Footer on every page: the hash travels with each sheet ───────────────────────────────
  const { start, count } = pdf.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    pdf.switchToPage(index);
    const bottom = pdf.page.margins.bottom;
    // Writing into the bottom margin would otherwise make pdfkit start a new page.
    pdf.page.margins.bottom = 0;
    const page = t(lang, 'pdfPage').replace('{page}', String(index + 1)).replace('{pages}', String(count));
    const top = pdf.page.height - MARGIN + 6;
    font('regular', FOOTER_SIZE, MUTED).text(`${document.avv.title} ${document.avv.version} · ${page}`, MARGIN, top, { width, align: 'center', lineBreak: false });
    font('regular', FOOTER_SIZE, MUTED).text(`SHA-256 ${state.sha256}`, MARGIN, top + FOOTER_SIZE * 1.5, { width, align: 'center', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }

  // `relationship` (the PDF/A-3 AFRelationship) is read by pdfkit but missing from its typings.
  const attachment: PDFKit.Mixins.PDFAttachmentOptions & { relationship: 'Source' } = {
    name: 'document.json',
    type: 'application/json',
    description: `SHA-256 ${state.sha256}`,
    relationship: 'Source',
    creationDate: created,
    modifiedDate: created,
  };
  pdf.file(Buffer.from(state.canonical, 'utf8'), attachment);
  pdf.end();
  await finished;
  return new Uint8Array(Buffer.concat(chunks));
}
