import { describe, expect, it } from 'vitest';
import { socialCardSvg } from '../src/lib/social-card.ts';

/*
 * Every line of a card's text lies inside the card, clear of its edges: a link preview that
 * cuts off the title (or drops the subline) shows a vendor's page under half a name.
 */

/** The bounding box of every glyph outline in satori's SVG (its paths use only absolute x,y pairs). */
function textBounds(svg: string): { top: number; bottom: number; left: number; right: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [, d] of svg.matchAll(/<path[^>]* d="([^"]+)"/g)) {
    const numbers = (d!.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    for (let i = 0; i + 1 < numbers.length; i += 2) {
      xs.push(numbers[i]!);
      ys.push(numbers[i + 1]!);
    }
  }
  expect(xs.length).toBeGreaterThan(0);
  return { top: Math.min(...ys), bottom: Math.max(...ys), left: Math.min(...xs), right: Math.max(...xs) };
}

function cardSize(svg: string): { width: number; height: number } {
  const [, width, height] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  return { width: Number(width), height: Number(height) };
}

describe('social cards', () => {
  it.each([
    ['a one-line title', { brand: 'Wolkenwerk Trust Center', title: 'Unterauftragsverarbeiter', subtitle: 'Wer Daten für uns verarbeitet' }],
    [
      'a title of two lines',
      { brand: 'Wolkenwerk Trust Center', title: 'Neuer Unterauftragsverarbeiter für KI-Funktionen (Sprachraum AI, Frankreich)', subtitle: 'Angekündigte Änderung · Widerspruch bis 15. Dezember 2026' },
    ],
  ])('keep %s and its subline inside the card, off its edges', async (_, card) => {
    const svg = await socialCardSvg(card);
    const { width, height } = cardSize(svg);
    expect({ width, height }).toEqual({ width: 1200, height: 630 });
    const bounds = textBounds(svg);
    // The frame's padding is 72 px; glyphs may reach a little into it (descenders), never past half of it.
    expect(bounds.top).toBeGreaterThanOrEqual(36);
    expect(bounds.left).toBeGreaterThanOrEqual(36);
    expect(bounds.bottom).toBeLessThanOrEqual(height - 36);
    expect(bounds.right).toBeLessThanOrEqual(width - 36);
  });

  it('draws arrows and letters beyond basic Latin with their own glyphs, not the missing-glyph box', async () => {
    const card = (subtitle: string) => socialCardSvg({ brand: 'Wolkenwerk Trust Center', title: 'Vergleich', subtitle });
    // U+E000 is a private-use code point no font here has: it is drawn as the missing-glyph box.
    for (const text of ['→', 'ẞ', 'Ł', 'ő', '–']) {
      expect(await card(`1.0 ${text} 2.0`), text).not.toBe(await card('1.0 \u{E000} 2.0'));
    }
  });
});
