/*
 * Word layouts for pdfkit, shared by every PDF the build renders and kept across builds.
 *
 * Shaping a word with fontkit (Inter's contextual alternates and kerning) is most of the time
 * an AVV PDF takes, and the archived states repeat nearly all their words (the same
 * subprocessors in each annex). pdfkit caches the layout of each word within one document
 * (`layoutCache` of its embedded font, not in its typings); a word's layout depends only on the
 * font file, pdfkit and fontkit, never on the document, so one cache per font serves every
 * document, and a snapshot of it serves the next build (src/lib/avv-pdf-cache.ts keys the
 * snapshot by exactly those three).
 */

/** A word as pdfkit lays it out: what its line breaking and text output read, nothing else. */
interface WordLayout {
  glyphs: { id: number; advanceWidth: number; codePoints: number[] }[];
  positions: Record<string, number>[];
  advanceWidth: number;
}
type Layouts = Record<string, WordLayout>;

const shared = new Map<string, Layouts>();

/** Points the document's current font at the shared layouts of `font` (a registered font name). */
export function shareWordLayouts(pdf: PDFKit.PDFDocument, font: string): void {
  const current = (pdf as unknown as { _font?: { layoutCache?: Layouts } })._font;
  if (!current?.layoutCache) return;
  const layouts = shared.get(font);
  if (!layouts) shared.set(font, current.layoutCache);
  else if (current.layoutCache !== layouts) current.layoutCache = layouts;
}

/** How many word layouts are known, over all fonts. */
export function wordLayoutCount(): number {
  let count = 0;
  for (const layouts of shared.values()) count += Object.keys(layouts).length;
  return count;
}

/** The known layouts as JSON: plain values only (fontkit's glyph objects reduced to what pdfkit reads). */
export function wordLayoutsSnapshot(): string {
  const fonts: Record<string, Layouts> = {};
  for (const [font, layouts] of shared) {
    const plain: Layouts = {};
    for (const [word, run] of Object.entries(layouts)) {
      plain[word] = {
        glyphs: run.glyphs.map(({ id, advanceWidth, codePoints }) => ({ id, advanceWidth, codePoints: [...codePoints] })),
        positions: run.positions.map((position) => ({ ...position })),
        advanceWidth: run.advanceWidth,
      };
    }
    fonts[font] = plain;
  }
  return JSON.stringify(fonts);
}

/** Adds the layouts of a snapshot that are not known yet (numbers survive JSON exactly). */
export function seedWordLayouts(snapshot: string): void {
  const fonts = JSON.parse(snapshot) as Record<string, Layouts>;
  for (const [font, layouts] of Object.entries(fonts)) {
    let known = shared.get(font);
    if (!known) {
      known = Object.create(null) as Layouts;
      shared.set(font, known);
    }
    for (const [word, layout] of Object.entries(layouts)) known[word] ??= layout;
  }
}
