import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import satori from 'satori';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[]> | undefined;

/** Inter from @fontsource (WOFF, which satori reads; WOFF2 it does not), loaded once per build. */
function loadFonts() {
  fonts ??= Promise.all(
    ([400, 700] as const).map(async (weight) => ({
      name: 'Inter',
      weight,
      style: 'normal' as const,
      data: await readFile(require.resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff`)),
    })),
  );
  return fonts;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node[] | string } };
const box = (style: Record<string, unknown>, children: Node[] | string): Node => ({ type: 'div', props: { style, children } });

/**
 * A 1200×630 PNG social card: brand line, page title, subline. Rendered at build time only
 * (prerendered endpoint), so neither satori nor resvg is ever in the Worker bundle.
 */
export async function renderSocialCard(card: { brand: string; title: string; subtitle: string }): Promise<Uint8Array<ArrayBuffer>> {
  const svg = await satori(
    box({ width: '100%', height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'space-between', padding: 72, background: '#0b5cad', color: '#ffffff', fontFamily: 'Inter' }, [
      box({ fontSize: 34, fontWeight: 700, opacity: 0.9 }, card.brand),
      box({ display: 'flex', flexDirection: 'column', gap: 24 }, [
        box({ fontSize: card.title.length > 60 ? 52 : 64, fontWeight: 700, lineHeight: 1.15 }, card.title),
        box({ fontSize: 34, opacity: 0.9 }, card.subtitle),
      ]),
    ]) as never,
    { width: 1200, height: 630, fonts: await loadFonts() },
  );
  return new Uint8Array(new Resvg(svg, { fitTo: { mode: 'width', value: 1200 } }).render().asPng());
}
