import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { startSite } from './setup/browser.ts';
import { discoverPaths } from './support/sitemap.ts';

/*
 * Every page of the built site, in Chromium against `wrangler dev`: it loads with 200 and axe
 * finds no accessibility violations. Pages come from the sitemap, so new pages are covered
 * without touching this file; without a sitemap, internal links are crawled from `/`.
 */

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Top-level await: the page list must exist when tests are collected, and it comes from the
// running site (the sitemap may be rendered by the Worker, or absent and crawled).
const site = await startSite();
afterAll(() => site.close());
const paths = await discoverPaths(site.url);

describe('every page', () => {
  it('the site lists at least the home page', () => {
    expect(paths).toContain('/');
  });

  it.each(paths)('%s loads and has no axe violations', async (path) => {
    await expectAccessiblePage(path, 200);
  });

  // „ opens a German quotation only (English opens with “): on an English page it is the AVV's
  // or the content's German words, which screen readers and hyphenation must read as German.
  it.each(paths.filter((path) => path.startsWith('/en/')))('%s marks every German quotation lang="de"', async (path) => {
    const page = await site.browser.newPage({ javaScriptEnabled: false });
    try {
      await page.goto(site.url + path, { waitUntil: 'load' });
      const unmarked = await page.evaluate(() => {
        const found: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if ((node.textContent ?? '').includes('\u201E') && node.parentElement?.closest('[lang]')?.getAttribute('lang') !== 'de') found.push((node.textContent ?? '').trim().slice(0, 80));
        }
        return found;
      });
      expect(unmarked, `German quotations outside lang="de" on ${path}`).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('an unknown URL shows an accessible 404 page', async () => {
    await expectAccessiblePage('/e2e-no-such-page', 404);
  });
});

async function expectAccessiblePage(path: string, status: number): Promise<void> {
  // bypassCSP: the axe script is injected inline, which a strict Content-Security-Policy blocks.
  const context = await site.browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    const response = await page.goto(site.url + path, { waitUntil: 'load' });
    expect(response?.status(), `HTTP status of ${path}`).toBe(status);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
      const results = await axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
        id,
        impact,
        help,
        helpUrl,
        targets: nodes.map((node) => node.target.join(' ')),
      }));
    });
    expect(violations.length, `axe violations on ${path}:\n${formatViolations(violations)}\n`).toBe(0);
  } finally {
    await context.close();
  }
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: string[] }[] }[];
}

function formatViolations(violations: { id: string; impact: string | null; help: string; helpUrl: string; targets: string[] }[]): string {
  return violations
    .map((v) => `  ${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    ${v.helpUrl}\n${v.targets.map((t) => `    - ${t}`).join('\n')}`)
    .join('\n');
}
