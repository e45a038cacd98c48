import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { buildCacheDir } from './build-cache-dir.ts';
import { cachedRender, limiter, packageVersion } from './build-cache.ts';
import { INTER_FONT_FILES } from './inter-fonts.ts';

const require = createRequire(import.meta.url);

/** Where the build keeps the rendered cards: beneath Astro's cache folder of this content folder. */
export function socialCardCacheDir(): string {
  return path.resolve(buildCacheDir(), 'social-cards');
}

/** The text on one card. */
export interface SocialCardText {
  brand: string;
  title: string;
  subtitle: string;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node[] | string } };
const box = (style: Record<string, unknown>, children: Node[] | string): Node => ({ type: 'div', props: { style, children } });

const WIDTH = 1200;
const HEIGHT = 630;

/**
 * The card's layout tree; it is also what the cache key hashes, so a layout change misses the cache.
 * The frame is border-box: satori sizes boxes content-box by default, and `height: 100%` plus
 * the padding put the title's last line and the subline below the card's edge.
 */
function cardTree(card: SocialCardText): Node {
  return box({ width: WIDTH, height: HEIGHT, boxSizing: 'border-box', display: 'flex', flexDirection: 'column', justifyContent: 'space-between', padding: 72, background: '#0b5cad', color: '#ffffff', fontFamily: 'Inter' }, [
    box({ fontSize: 34, fontWeight: 700, opacity: 0.9 }, card.brand),
    box({ display: 'flex', flexDirection: 'column', gap: 24 }, [
      box({ fontSize: card.title.length > 60 ? 52 : 64, fontWeight: 700, lineHeight: 1.15 }, card.title),
      box({ fontSize: 34, opacity: 0.9 }, card.subtitle),
    ]),
  ]);
}

interface Renderer {
  fonts: { name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[];
  /** Hash of everything besides the tree that decides the PNG's bytes: fonts and renderer versions. */
  fingerprint: string;
}
let renderer: Promise<Renderer> | undefined;

/** Inter, the same full TTFs as the AVV PDFs (TTF, which satori reads; WOFF2 it does not), loaded once per build. */
function loadRenderer(): Promise<Renderer> {
  renderer ??= (async () => {
    const fonts = await Promise.all(
      ([[400, INTER_FONT_FILES.regular], [700, INTER_FONT_FILES.bold]] as const).map(async ([weight, file]) => ({
        name: 'Inter',
        weight,
        style: 'normal' as const,
        data: await readFile(require.resolve(file)),
      })),
    );
    const hash = createHash('sha256');
    for (const pkg of ['satori', '@resvg/resvg-js']) hash.update(`${packageVersion(pkg)}\0`);
    for (const font of fonts) hash.update(`${font.weight}\0`).update(font.data);
    return { fonts, fingerprint: hash.digest('hex') };
  })();
  return renderer;
}

/** Renders in flight at once: satori shares the build's thread, resvg runs on libuv's pool. */
const limit = limiter(Math.max(2, availableParallelism()));
const rendered = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * A 1200×630 PNG social card: brand line, page title, subline. Rendered at build time only
 * (prerendered endpoint), so neither satori nor resvg is ever in the Worker bundle.
 *
 * Cards are kept in `cacheDir` under the SHA-256 of their layout tree, fonts and renderer
 * versions: the same inputs always give the same bytes, so a later build copies the file
 * instead of spending ~40 ms of satori + resvg on it, and its output is byte-identical to a
 * cold build's. Calls for the same card within one build share one render.
 */
export function renderSocialCard(card: SocialCardText, cacheDir: string): Promise<Uint8Array<ArrayBuffer>> {
  const tree = cardTree(card);
  const treeJson = JSON.stringify(tree);
  let png = rendered.get(treeJson);
  if (!png) {
    png = limit(() => renderCard(tree, treeJson, cacheDir));
    rendered.set(treeJson, png);
  }
  return png;
}

/**
 * Starts rendering every card at once (bounded by `limit`), so resvg renders on several
 * threads while Astro works through the routes one by one; each route then awaits its own.
 * Failures surface in the route that asks for the card.
 */
export function prerenderSocialCards(cards: SocialCardText[], cacheDir: string): void {
  for (const card of cards) renderSocialCard(card, cacheDir).catch(() => {});
}

async function renderCard(tree: Node, treeJson: string, cacheDir: string): Promise<Uint8Array<ArrayBuffer>> {
  const { fonts, fingerprint } = await loadRenderer();
  const key = createHash('sha256').update(fingerprint).update('\0').update(`${WIDTH}x${HEIGHT}\0`).update(treeJson).digest('hex');
  return cachedRender(cacheDir, key, 'png', async () => {
    // Loaded on a cache miss only: a build whose cards are all cached never loads satori (its
    // layout engine is WebAssembly) nor resvg's native binding.
    const [svg, { renderAsync }] = await Promise.all([svgOf(tree, fonts), import('@resvg/resvg-js')]);
    return new Uint8Array((await renderAsync(svg, { fitTo: { mode: 'width', value: WIDTH } })).asPng());
  });
}

/** The card as satori lays it out (text as glyph outlines), before resvg rasterises it. */
export async function socialCardSvg(card: SocialCardText): Promise<string> {
  return svgOf(cardTree(card), (await loadRenderer()).fonts);
}

async function svgOf(tree: Node, fonts: Renderer['fonts']): Promise<string> {
  const { default: satori } = await import('satori');
  return satori(tree as never, { width: WIDTH, height: HEIGHT, fonts });
}
