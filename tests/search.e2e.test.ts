import { afterAll, describe, expect, it } from 'vitest';
import { startSite } from './setup/browser.ts';
import { discoverPaths } from './support/sitemap.ts';

/*
 * Site search with Pagefind's static index, in Chromium against `wrangler dev`: it finds a
 * TOMs measure and a subprocessor by name, loads the index only once someone searches, works
 * from a `?q=` link, explains itself without JavaScript, and no other page loads any script
 * for it.
 */

const site = await startSite();
// The first search fetches Pagefind's loader, WebAssembly and index: slow on a busy machine.
const SEARCHED = { timeout: 20_000 };
afterAll(() => site.close());

/** Requests the page made to the search index or its loader. */
function pagefindRequests(urls: string[]): string[] {
  return urls.filter((url) => new URL(url).pathname.startsWith('/pagefind/'));
}

describe.each([
  { lang: 'de', prefix: '', label: 'Suchbegriff', results: /Treffer für/ },
  { lang: 'en', prefix: '/en', label: 'Search term', results: /results for/ },
])('search ($lang)', ({ prefix, label, results }) => {
  it('finds "Verschlüsselung" in the TOMs and a subprocessor by name, loading the index only on use', async () => {
    const context = await site.browser.newContext();
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${site.url}${prefix}/search/`, { waitUntil: 'networkidle' });
      expect(pagefindRequests(requested)).toEqual([]);

      await page.getByLabel(label).fill('Verschlüsselung');
      await page.getByLabel(label).press('Enter');
      await expect.poll(() => page.locator('[data-search-status]').textContent(), SEARCHED).toMatch(results);
      const hrefs = await page.locator('[data-search-results] > li h2 a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
      expect(hrefs.some((href) => href.startsWith(`${prefix}/toms/`)), hrefs.join(', ')).toBe(true);
      expect(pagefindRequests(requested).length).toBeGreaterThan(0);

      await page.getByLabel(label).fill('Konferenzwerk');
      await expect.poll(() => page.locator('[data-search-results] > li h2 a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname)), SEARCHED).toContain(`${prefix}/subprocessors/konferenzwerk/`);
    } finally {
      await context.close();
    }
  });

  it('runs the search of a ?q= link', async () => {
    const context = await site.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}${prefix}/search/?q=Nordlicht`);
      await expect.poll(() => page.locator('[data-search-results] > li h2 a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname)), SEARCHED).toContain(`${prefix}/subprocessors/nordlicht-cloud/`);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript says search needs it and lists every page instead', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}${prefix}/search/?q=Nordlicht`);
      await expect(page.locator('[data-search-status]').textContent()).resolves.toMatch(/JavaScript/);
      const links = await page.locator('#site-map ~ .grid a').evaluateAll((anchors) => anchors.map((anchor) => new URL((anchor as HTMLAnchorElement).href).pathname));
      expect(links).toContain(`${prefix}/subprocessors/nordlicht-cloud/`);
      expect(links).toContain(`${prefix}/toms/`);
    } finally {
      await context.close();
    }
  });
});

describe('no search code elsewhere', () => {
  it('no other page requests the search index or its loader', async () => {
    const paths = (await discoverPaths(site.url)).filter((path) => !path.endsWith('/search/'));
    const context = await site.browser.newContext();
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      for (const path of paths.filter((path) => /^\/(en\/)?(|avv\/|toms\/|subprocessors\/|changes\/)$/.test(path))) {
        await page.goto(site.url + path, { waitUntil: 'networkidle' });
      }
      expect(pagefindRequests(requested)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
