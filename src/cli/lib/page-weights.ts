import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** What one page costs a visitor: its HTML, the CSS it links and the JS it runs. */
export interface PageWeight {
  /** URL path, e.g. `/en/subprocessors/nordlicht-cloud/`. */
  path: string;
  type: string;
  htmlGzip: number;
  /** Linked stylesheets, each gzipped. Inline <style> is part of the HTML. */
  cssGzip: number;
  /** External scripts plus inline (non-JSON) scripts, raw bytes. */
  jsBytes: number;
  /** The same scripts, each gzipped (what the ≤ 5 kB budget of form scripts counts). */
  jsGzip: number;
}

export interface PageTypeWeight {
  type: string;
  pages: number;
  /** The heaviest page of the type (by total gzip), which the numbers below describe. */
  example: string;
  htmlGzip: number;
  cssGzip: number;
  jsBytes: number;
  jsGzip: number;
  /** Mean HTML gzip over all pages of the type: shows growth where pages differ (AVV diffs). */
  meanHtmlGzip: number;
}

/**
 * Route pattern → page type, matched on the path without the `/en` prefix. Order matters:
 * first match wins. Pages matching nothing are grouped by their first path segment.
 */
const PAGE_TYPES: [string, RegExp][] = [
  ['home', /^\/$/],
  ['404', /^\/404(\.html|\/)?$/],
  ['avv', /^\/avv\/$/],
  ['avv-versions', /^\/avv\/versions\/$/],
  ['avv-diff', /^\/avv\/compare\/[^/]+\/[^/]+\/$/],
  ['avv-accept', /^\/avv\/accept\/$/],
  ['avv-version', /^\/avv\/[^/]+\/$/],
  ['toms', /^\/toms\/$/],
  ['toms-version', /^\/toms\/[^/]+\/$/],
  ['subprocessors', /^\/subprocessors\/$/],
  ['matrix', /^\/subprocessors\/matrix\/$/],
  ['subprocessor', /^\/subprocessors\/[^/]+\/$/],
  ['changes', /^\/changes\/$/],
  ['change', /^\/changes\/[^/]+\/$/],
  ['verify', /^\/verify\/$/],
  ['search', /^\/search\/$/],
];

export function pageType(urlPath: string): string {
  const bare = urlPath === '/en/' ? '/' : urlPath.replace(/^\/en(?=\/)/, '');
  for (const [type, pattern] of PAGE_TYPES) if (pattern.test(bare)) return type;
  return `other ${bare.split('/').slice(0, 2).join('/')}/…`;
}

/** Weighs every prerendered HTML page in `clientDir` (e.g. dist/client). */
export async function measurePages(clientDir: string): Promise<PageWeight[]> {
  const gzipCache = new Map<string, number>();
  const sizeOf = async (href: string, gzip: boolean) => {
    const file = path.join(clientDir, decodeURIComponent(href.split(/[?#]/)[0] ?? ''));
    const key = `${gzip}:${file}`;
    if (!gzipCache.has(key)) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      gzipCache.set(key, gzip ? gzipSync(bytes, { level: 9 }).length : bytes.length);
    }
    return gzipCache.get(key) ?? 0;
  };

  const weights: PageWeight[] = [];
  const files = (await readdir(clientDir, { recursive: true })).filter((file) => file.endsWith('.html')).sort();
  for (const file of files) {
    const html = await readFile(path.join(clientDir, file), 'utf8');
    const urlPath = `/${file.split(path.sep).join('/')}`.replace(/index\.html$/, '');
    let cssGzip = 0;
    for (const href of localRefs(html, /<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>/gi, 'href')) cssGzip += await sizeOf(href, true);
    let jsBytes = 0;
    let jsGzip = 0;
    for (const src of localRefs(html, /<script\b[^>]*\bsrc=[^>]*>/gi, 'src')) {
      jsBytes += await sizeOf(src, false);
      jsGzip += await sizeOf(src, true);
    }
    for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      const [, attributes = '', body = ''] = match;
      if (!/\bsrc=/.test(attributes) && !/type=["']?application\/(ld\+)?json/.test(attributes) && body.trim() !== '') {
        jsBytes += Buffer.byteLength(body);
        jsGzip += gzipSync(body, { level: 9 }).length;
      }
    }
    weights.push({ path: urlPath, type: pageType(urlPath), htmlGzip: gzipSync(html, { level: 9 }).length, cssGzip, jsBytes, jsGzip });
  }
  return weights;
}

/** Site-relative URLs in the `attribute` of tags matching `tagPattern`; external ones are skipped. */
function localRefs(html: string, tagPattern: RegExp, attribute: string): string[] {
  const refs: string[] = [];
  for (const [tag] of html.matchAll(tagPattern)) {
    const value = new RegExp(`\\b${attribute}=["']?([^"'\\s>]+)`, 'i').exec(tag)?.[1];
    if (value && value.startsWith('/') && !value.startsWith('//')) refs.push(value);
  }
  return refs;
}

/** One row per page type, heaviest page as the example, in PAGE_TYPES order. */
export function byPageType(weights: PageWeight[]): PageTypeWeight[] {
  const order = PAGE_TYPES.map(([type]) => type);
  const groups = Map.groupBy(weights, (weight) => weight.type);
  return [...groups.entries()]
    .map(([type, pages]) => {
      const total = (page: PageWeight) => page.htmlGzip + page.cssGzip + page.jsBytes;
      const heaviest = pages.reduce((a, b) => (total(b) > total(a) ? b : a));
      return {
        type,
        pages: pages.length,
        example: heaviest.path,
        htmlGzip: heaviest.htmlGzip,
        cssGzip: heaviest.cssGzip,
        jsBytes: heaviest.jsBytes,
        jsGzip: heaviest.jsGzip,
        meanHtmlGzip: Math.round(pages.reduce((sum, page) => sum + page.htmlGzip, 0) / pages.length),
      };
    })
    .sort((a, b) => rank(order, a.type) - rank(order, b.type) || a.type.localeCompare(b.type));
}

function rank(order: string[], type: string): number {
  const index = order.indexOf(type);
  return index === -1 ? order.length : index;
}

/** Budget of issue #11: what a visitor downloads before reading, HTML plus CSS, gzipped. */
export const PAGE_BUDGET_BYTES = 30_000;

/**
 * Page types whose pages may run JavaScript: a form or search that needs it. Every other page
 * works, and is measured, without any.
 */
export const JS_PAGE_TYPES: readonly string[] = ['avv-accept', 'verify', 'search'];

/** Pages that break the budget: over PAGE_BUDGET_BYTES, or running JS outside JS_PAGE_TYPES. */
export function budgetViolations(weights: PageWeight[]): string[] {
  return weights.flatMap((page) => [
    ...(page.htmlGzip + page.cssGzip > PAGE_BUDGET_BYTES ? [`${page.path}: ${page.htmlGzip + page.cssGzip} B HTML+CSS gzip, over ${PAGE_BUDGET_BYTES}`] : []),
    ...(page.jsBytes > 0 && !JS_PAGE_TYPES.includes(page.type) ? [`${page.path}: runs ${page.jsBytes} B of JS but has no form or search that needs it`] : []),
  ]);
}
