import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSinkVars, startMailSink } from '../src/cli/mail-sink.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { startSite, type Site } from './setup/browser.ts';
import { appendDirectly, validSubmission } from './support/acceptance.ts';
import { builtRoutes } from './support/built-routes.ts';
import { withLocalState } from './support/local-state.ts';
import { DISPATCH_TIME, seedSubscribers } from './support/notices.ts';
import { discoverPaths } from './support/sitemap.ts';

/*
 * What a person sees on a phone and a desktop, which axe does not check: no page is wider than
 * the screen, no table cell's text runs into its neighbour's, and at 1280 px no table scrolls
 * inside its box. Every sitemap URL at 320,
 * 390 and 1280 px. Screenshots of one page per page type at 390 and 1280 px (both languages)
 * are written to tests/.artifacts/screenshots (gitignored; .ci/run keeps the folder) to be
 * looked at, since a layout can pass both checks and still be wrong. The console's pages, which
 * no sitemap lists, are checked the same way, signed in as the console e2e test signs in.
 */

const WIDTHS = [320, 390, 1280] as const;
const SCREENSHOT_WIDTHS: readonly number[] = [390, 1280];
const DESKTOP_WIDTH = 1280;
const SCREENSHOTS = path.resolve(import.meta.dirname, '.artifacts/screenshots');

const site = await startSite();
afterAll(() => site.close());
const paths = await discoverPaths(site.url);

/** The page type of a path: dynamic segments (versions, slugs, ids) collapsed, language kept. */
function pageType(urlPath: string): string {
  return urlPath
    .replace(/\/avv\/compare\/[^/]+\/[^/]+\//, '/avv/compare/*/*/')
    .replace(/\/avv\/(?!versions\/|accept\/|compare\/)[^/]+\//, '/avv/*/')
    .replace(/\/toms\/[^/]+\//, '/toms/*/')
    .replace(/\/subprocessors\/(?!matrix\/)[^/]+\//, '/subprocessors/*/')
    .replace(/\/changes\/[^/]+\//, '/changes/*/');
}
const screenshotPaths = new Set([...new Map(paths.map((p) => [pageType(p), p])).values()]);

interface LayoutReport {
  pageWidth: number;
  viewportWidth: number;
  /** Elements sticking out to the right of the viewport: what makes the page scroll sideways. */
  wideElements: string[];
  /** Table cells whose text runs outside the cell or into the next cell of the row. */
  overlaps: string[];
  /** Tables wider than their scroll box: readable only by scrolling sideways inside the page. */
  innerScrolls: string[];
}

/** Measured in the page: the document's width and every table cell's text boxes. */
async function measure(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : '';
      const classes = element.classList.length > 0 ? `.${[...element.classList].join('.')}` : '';
      return `${element.tagName.toLowerCase()}${id}${classes} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const viewportWidth = document.documentElement.clientWidth;
    const wideElements = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > viewportWidth + 1 && !element.closest('.visually-hidden, .skip-link'))
      .slice(0, 5)
      .map(describe);
    // The visible text of a cell: text for screen readers only (clipped to 1 px) is left out.
    const textBox = (cell: Element) => {
      const rects: DOMRect[] = [];
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('.visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(...[...range.getClientRects()].filter((rect) => rect.width > 0 && rect.height > 0));
      }
      if (rects.length === 0) return undefined;
      return {
        left: Math.min(...rects.map((r) => r.left)),
        right: Math.max(...rects.map((r) => r.right)),
        top: Math.min(...rects.map((r) => r.top)),
        bottom: Math.max(...rects.map((r) => r.bottom)),
      };
    };
    const overlaps: string[] = [];
    for (const row of document.querySelectorAll('tr')) {
      const cells = [...row.children].filter((cell) => cell.matches('td, th') && getComputedStyle(cell).display !== 'none');
      const boxes = cells.map((cell) => ({ cell, text: textBox(cell), box: cell.getBoundingClientRect() }));
      for (const { cell, text, box } of boxes) {
        if (text && (text.left < box.left - 1 || text.right > box.right + 1)) overlaps.push(`${describe(cell)} runs outside its cell`);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!.text, boxes[j]!.text];
          if (!a || !b) continue;
          const apart = a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
          if (!apart) overlaps.push(`${describe(boxes[i]!.cell)} overlaps ${describe(boxes[j]!.cell)}`);
        }
      }
    }
    // The matrix too: it splits its columns into tables that fit (src/lib/matrix-columns.ts).
    const innerScrolls = [...document.querySelectorAll('.table-scroll')]
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${describe(box.querySelector('table') ?? box)} is ${box.scrollWidth} px wide in a ${box.clientWidth} px box`);
    return { pageWidth: document.documentElement.scrollWidth, viewportWidth, wideElements, overlaps, innerScrolls };
  });
}

/** Writes the screenshot of `urlPath` at `width` (before the checks, so a failing page has its picture too). */
async function screenshot(page: Page, width: number, urlPath: string): Promise<void> {
  const file = path.join(SCREENSHOTS, String(width), `${urlPath.replace(/^\/|\/$/g, '').replace(/[/?=&]+/g, '_') || 'home'}.png`);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (error) {
    // Headless Chromium's compositor now and then gives up on a full-page capture of a tall page
    // (14,000 px at 1280) while the machine is busy ("Unable to capture screenshot", seen once in
    // CI alongside a benchmark): one more try, and a second failure fails the test.
    if (!String(error).includes('Unable to capture screenshot')) throw error;
    await page.screenshot({ path: file, fullPage: true });
  }
}

/** What every page is checked for: nothing sideways, no overlapping table text, on a desktop no inner scrolling. */
async function layoutProblems(page: Page, width: number, urlPath: string): Promise<string[]> {
  const report = await measure(page);
  const at = `${urlPath} at ${width} px`;
  return [
    ...(report.pageWidth > report.viewportWidth ? [`${at} is ${report.pageWidth} px wide; sticking out: ${report.wideElements.join('; ')}`] : []),
    ...report.overlaps.map((overlap) => `${at}: ${overlap}`),
    // On a desktop screen every table fits; scrolling inside a box is for phones and tablets only.
    ...(width >= DESKTOP_WIDTH ? report.innerScrolls.map((scroll) => `${at}: ${scroll}`) : []),
  ];
}

describe('layout at phone and desktop widths', () => {
  it('the site lists pages of every type', () => {
    expect(screenshotPaths.size).toBeGreaterThan(10);
  });

  describe.each(WIDTHS)('%i px', (width) => {
    // One browser context per width (a fresh one per page costs more than the check itself).
    let context: BrowserContext;
    beforeAll(async () => {
      context = await site.browser.newContext({ viewport: { width, height: 900 } });
    });
    afterAll(() => context.close());

    it.each(paths)('%s fits the screen and no table text overlaps', async (urlPath) => {
      const page = await context.newPage();
      try {
        const response = await page.goto(site.url + urlPath, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        if (SCREENSHOT_WIDTHS.includes(width) && screenshotPaths.has(urlPath)) await screenshot(page, width, urlPath);
        expect(await layoutProblems(page, width, urlPath)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});

/*
 * The privacy team's console (/admin/, /en/admin/): rendered per request behind a sign-in, so no
 * sitemap lists it. Every console route of the build, in both languages, with rows in every
 * list: an acceptance of the current and of a superseded AVV (a long company name and address,
 * as customers type them), a subscriber and a sent notice. Screenshots of every console page.
 */
describe('console layout at phone and desktop widths', () => {
  const CONSENT_CHANGE = '2026-09-hafenlicht-nachtsupport-indien';
  const NOTICE_CHANGE = '2026-11-ki-funktionen-sprachraum';
  let consoleSite: Site;
  let mailDir: string;
  let sink: Awaited<ReturnType<typeof startMailSink>>;
  let consolePaths: string[] = [];

  beforeAll(async () => {
    mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-e2e-layout-mail-'));
    sink = await startMailSink({ dir: mailDir, httpPort: null });
    let manifest: Manifest | undefined;
    let recordId = '';
    consoleSite = await startSite({
      vars: { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development', ADMIN_DEV_SIGN_IN: 'enabled' },
      beforeStart: ({ persistTo, secrets }) =>
        withLocalState(persistTo, secrets, async (state, published) => {
          manifest = published;
          await appendDirectly(state, published, {
            avvVersion: '1.0',
            companyName: 'Altkunde Datenverarbeitungs- und Rechenzentrumsbetriebsgesellschaft mbH & Co. KG',
            accountId: 'ACC-ALTKUNDE-RECHENZENTRUM-2019-0001',
            signerName: 'Maximiliane Mustermann-Schönberger',
            signerEmail: 'maximiliane.mustermann-schoenberger@altkunde-rechenzentrum.example',
            lang: 'de',
          });
          await seedSubscribers(state, [{ id: 'sub-layout-e2e', email: 'abonnentin.mit.langer.adresse@kunde-mit-langem-namen.example' }]);
        }),
    });
    const accepted = await fetch(`${consoleSite.url}/api/acceptances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(validSubmission(manifest!, { companyName: 'Neukunde GmbH', accountId: 'ACC-NEU', signerEmail: 'neu@kunde.example' })),
    });
    expect(accepted.status).toBe(201);
    recordId = ((await accepted.json()) as { record: { recordId: string } }).record.recordId;
    const trigger = await fetch(`${consoleSite.url}/cdn-cgi/local/scheduled?time=${DISPATCH_TIME.getTime()}`);
    expect(trigger.ok).toBe(true);
    await sink.waitFor((message) => message.envelope.to[0] === 'abonnentin.mit.langer.adresse@kunde-mit-langem-namen.example', 30_000);
    // Every console route the build has (so a new one is covered without touching this test),
    // with the query its content needs; the changes page also with one change opened.
    const query: Record<string, string> = { '/admin/acceptances/record/': `?id=${recordId}` };
    const routes = (await builtRoutes()).map((route) => route.route).filter((route) => route.startsWith('/[...lang]/admin'));
    expect(routes.length).toBeGreaterThan(5);
    const unprefixed = routes.flatMap((route) => {
      const urlPath = `${route.slice('/[...lang]'.length)}/`;
      return urlPath === '/admin/changes/' ? [urlPath, `${urlPath}?change=${NOTICE_CHANGE}`, `${urlPath}?change=${CONSENT_CHANGE}`] : [`${urlPath}${query[urlPath] ?? ''}`];
    });
    consolePaths = unprefixed.flatMap((urlPath) => [urlPath, `/en${urlPath}`]);
  }, 240_000);
  afterAll(async () => {
    await consoleSite?.close();
    await sink?.close();
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });

  it.each(WIDTHS)('every console page fits %i px and no table text overlaps', async (width) => {
    // The console has no scripts; signed in through its own form, as a person does.
    const context = await consoleSite.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${consoleSite.url}/admin/sign-in/`);
      await page.getByLabel('Ihr Name').fill('Dana Datenschutz');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      expect(new URL(page.url()).pathname).toBe('/admin/');
      // Every page is checked before the test fails, so one run names every page that does not fit.
      const problems: string[] = [];
      for (const urlPath of consolePaths) {
        const response = await page.goto(consoleSite.url + urlPath, { waitUntil: 'load' });
        expect(response?.status(), urlPath).toBe(200);
        // Named without the record id, which is new on every run.
        if (SCREENSHOT_WIDTHS.includes(width)) await screenshot(page, width, `console${urlPath.replace(/\?id=.*$/, '')}`);
        problems.push(...(await layoutProblems(page, width, urlPath)));
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/*
 * Paper (A4, Chromium's default margins leave about 680 CSS px): tables wrap to the page
 * instead of losing columns, the AVV prints with its annexes and without the web navigation.
 * The PDFs go to tests/.artifacts/print to be looked at.
 */
describe('print on A4', () => {
  const A4_CONTENT_WIDTH = 680;
  const PRINTS = path.resolve(import.meta.dirname, '.artifacts/print');

  it.each(['/avv/', '/en/avv/', '/subprocessors/', '/changes/', '/toms/'])('%s fits the page width', async (urlPath) => {
    const context = await site.browser.newContext({ viewport: { width: A4_CONTENT_WIDTH, height: 960 } });
    try {
      const page = await context.newPage();
      await page.goto(site.url + urlPath, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const report = await measure(page);
      expect(report.pageWidth, `${urlPath} in print is ${report.pageWidth} px wide; sticking out: ${report.wideElements.join('; ')}`).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
      expect(report.overlaps).toEqual([]);
      expect(await page.locator('.site-header nav').isVisible()).toBe(false);
      await mkdir(PRINTS, { recursive: true });
      await page.pdf({ path: path.join(PRINTS, `${urlPath.replace(/^\/|\/$/g, '').replace(/\//g, '_')}.pdf`), format: 'A4' });
    } finally {
      await context.close();
    }
  });

  it('the AVV prints with both annexes, each from a new page', async () => {
    const context = await site.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/avv/`, { waitUntil: 'load' });
      expect(await page.locator('.annex').first().isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      const annexes = page.locator('section.annex');
      expect(await annexes.count()).toBe(2);
      for (const annex of await annexes.all()) {
        expect(await annex.isVisible()).toBe(true);
        expect(await annex.evaluate((element) => getComputedStyle(element).breakBefore)).toBe('page');
      }
      expect(await page.locator('#annex-subprocessors + p + table tbody tr').count()).toBeGreaterThan(3);
    } finally {
      await context.close();
    }
  });
});
