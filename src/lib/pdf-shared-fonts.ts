/*
 * The fonts of the AVV PDFs, opened once per build thread and shared by every document.
 *
 * pdfkit opens a registered font file anew for every document (a fresh fontkit font), and fontkit
 * decodes a font's tables lazily, per font object: every PDF of a build decoded Inter's GSUB and
 * GPOS lookups again before it could shape its first new word, and its glyph tables again to
 * embed the subset. pdfkit also accepts an opened fontkit font instead of a file
 * (`PDFFontFactory.open`: a source with a `layout` function is used as it is), and a fontkit
 * font is only read, never changed, by laying out and subsetting: each document still builds
 * its own subset (`createSubset()` per embedded font), so its bytes are the same as from a
 * freshly opened file (tests/avv-pdf.node.test.ts compares them).
 */

/** A fontkit font as pdfkit recognises one (its typings only know files and buffers). */
interface OpenedFont {
  layout(text: string): unknown;
}

const opened = new Map<string, OpenedFont>();

/** What to register `file` with: the font a previous document of this thread opened, else the file. */
export function fontSource(file: string): PDFKit.Mixins.PDFFontSource {
  // The cast says what pdfkit's typings do not: it takes an opened fontkit font as well.
  return (opened.get(file) as unknown as PDFKit.Mixins.PDFFontSource | undefined) ?? file;
}

/** Keeps the font pdfkit opened from `file` for the document's current font, for the next documents. */
export function keepOpenedFont(pdf: PDFKit.PDFDocument, file: string): void {
  if (opened.has(file)) return;
  const font = (pdf as unknown as { _font?: { font?: OpenedFont } })._font?.font;
  if (typeof font?.layout === 'function') opened.set(file, font);
}
