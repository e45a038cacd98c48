import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSite } from './setup/browser.ts';

/*
 * The content model as a reader sees it, in Chromium at a phone and a desktop width: a change
 * under a consent rule says "prior consent", with the rule's form and the period the AVV leaves
 * open; the subprocessor list shows an onward transfer whose basis the AVV does not state.
 * Screenshots go to tests/.tmp/screenshots for review (not compared pixel by pixel: the layout
 * is someone else's to change).
 */

const site = await startSite();
afterAll(() => site.close());
const shots = resolve(import.meta.dirname, '.tmp/screenshots');
await mkdir(shots, { recursive: true });

const WIDTHS = [390, 1280] as const;

async function open(path: string, width: number) {
  const context = await site.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const response = await page.goto(site.url + path, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, close: () => context.close() };
}

describe.each(WIDTHS)('at %i px', (width) => {
  it('a consent-regime change page states the right, the form and what the AVV leaves open', async () => {
    const { page, close } = await open('/changes/2026-09-hafenlicht-nachtsupport-indien/', width);
    try {
      const terms = page.getByTestId('change-terms');
      await expect.poll(() => terms.innerText()).toContain('Vorherige Zustimmung: die Änderung gilt für Sie nur, wenn Sie zustimmen');
      const text = await terms.innerText();
      expect(text).toMatch(/Maßgebliche Regelung\s+§ 8 Abs\. 7 der AVV 2\.0/);
      expect(text).not.toContain('drittland-zustimmung');
      expect(text).toMatch(/Frist für die Zustimmung\s+in der AVV nicht angegeben/);
      expect(text).toMatch(/Zustimmung bis\s+Zustimmung erforderlich, bevor die Änderung für Sie gilt/);
      expect(text).toContain('Textform (§ 126b BGB), z. B. E-Mail');
      expect(text).toContain('15.10.2026 (gerechnet ab dem Tag der Ankündigung, 14.09.2026)');
      // No objection window is offered for a change that needs consent.
      expect(text).not.toContain('Widerspruchsfrist');
      await expect.poll(() => page.getByRole('heading', { name: 'So stimmen Sie zu' }).count()).toBe(1);
      // The page fits the viewport: nothing forces sideways scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(shots, `consent-change-${width}.png`), fullPage: true });
    } finally {
      await close();
    }
  });

  it('the subprocessor list shows an onward transfer whose basis is not stated, and the flagged Privacy Shield', async () => {
    const { page, close } = await open('/subprocessors/', width);
    try {
      const helpdeskly = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Helpdeskly/ }) });
      const row = await helpdeskly.first().innerText();
      expect(row).toContain('Ticketwerkstatt Dhaka Ltd., Bangladesch');
      expect(row).toContain('in der AVV nicht angegeben');
      const lupe = await page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Lupe/ }) }).first().innerText();
      expect(lupe).toContain('EU-US Privacy Shield');
      expect(lupe).toContain('ungültig seit dem Urteil des EuGH C-311/18 vom 16.07.2020');
      // Nordlicht is listed under both of its groups, from one file.
      expect(await page.getByRole('rowheader', { name: /Nordlicht Cloud/ }).count()).toBe(2);
      await page.screenshot({ path: join(shots, `subprocessor-list-${width}.png`), fullPage: true });
      // On a phone the table scrolls sideways: bring the transfer cell into view, as a reader would.
      const transferCell = helpdeskly.first().getByRole('cell').filter({ hasText: 'Ticketwerkstatt Dhaka' });
      await transferCell.scrollIntoViewIfNeeded();
      expect(await transferCell.isVisible()).toBe(true);
      await page.screenshot({ path: join(shots, `subprocessor-list-not-stated-${width}.png`) });
    } finally {
      await close();
    }
  });
});
