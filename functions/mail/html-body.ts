import { escapeHtml } from '../../src/lib/escape-html.ts';
import type { Lang } from '../../src/lib/paths.ts';

/**
 * The HTML alternative of a plain mail: the same paragraphs (line breaks kept), escaped, and
 * optionally one link as its own paragraph. The text part stays what clients without HTML show.
 */
export function paragraphsHtml(subject: string, lang: Lang, paragraphs: readonly string[], link?: { href: string; text: string }): string {
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
}
