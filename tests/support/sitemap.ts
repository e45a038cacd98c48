import { expect } from 'vitest';

/*
 * The pages of a running site as the e2e tests visit them: the sitemap's URLs, so new pages are
 * covered without touching a test; without a sitemap, internal links are crawled from `/`.
 */

/** Paths (with query) from /sitemap-index.xml or /sitemap.xml; else crawled from `/`. */
export async function discoverPaths(origin: string): Promise<string[]> {
  for (const sitemap of ['/sitemap-index.xml', '/sitemap.xml']) {
    const locs = await sitemapLocs(origin, sitemap, new Set());
    if (locs !== null) return [...new Set(locs.map((loc) => toPath(loc)))].sort();
  }
  return crawl(origin);
}

/** The page URLs of a sitemap, following a sitemap index; null when it does not exist. */
async function sitemapLocs(origin: string, sitemapPath: string, seen: Set<string>): Promise<string[] | null> {
  if (seen.has(sitemapPath)) return [];
  seen.add(sitemapPath);
  const response = await fetch(origin + sitemapPath);
  if (response.status === 404) return null;
  expect(response.status, `HTTP status of ${sitemapPath}`).toBe(200);
  const xml = await response.text();
  const locs = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((match) => decodeXml(match[1] ?? ''));
  if (!/<sitemapindex[\s>]/.test(xml)) return locs;
  const pages: string[] = [];
  for (const child of locs) pages.push(...((await sitemapLocs(origin, toPath(child), seen)) ?? []));
  return pages;
}

/** Breadth-first over same-origin <a href> links from `/`, keeping HTML pages outside /api/. */
async function crawl(origin: string, limit = 500): Promise<string[]> {
  const seen = new Set<string>(['/']);
  const queue = ['/'];
  const pages: string[] = [];
  while (queue.length > 0 && pages.length < limit) {
    const path = queue.shift() as string;
    const response = await fetch(origin + path);
    if (!response.headers.get('content-type')?.startsWith('text/html')) continue;
    pages.push(path);
    for (const match of (await response.text()).matchAll(/<a\s[^>]*?href\s*=\s*["']([^"'#]+)/gi)) {
      const url = new URL(decodeXml(match[1] ?? ''), origin + path);
      const next = url.pathname + url.search;
      if (url.origin !== origin || url.pathname.startsWith('/api/') || seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return pages.sort();
}

/** The sitemap has absolute production URLs; the test wants the same path on the local site. */
function toPath(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  return parsed.pathname + parsed.search;
}

function decodeXml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
}
