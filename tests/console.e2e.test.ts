import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { mailSinkVars, startMailSink } from '../src/cli/mail-sink.ts';
import { startSite } from './setup/browser.ts';
import { appendDirectly, validSubmission } from './support/acceptance.ts';
import { axeViolations, formatViolations } from './support/axe.ts';
import { withLocalState } from './support/local-state.ts';
import { DISPATCH_TIME, seedSubscribers } from './support/notices.ts';
import type { Manifest } from '../src/domain/manifest.ts';

/*
 * The privacy team's console as `npm start` serves it, in Chromium without JavaScript: the
 * development sign-in, an acceptance and its record, a change's notice as the Cron Trigger and
 * the queue delivered it, a consent received on another change, a CSV export, and re-acceptance invitations arriving in the mail sink.
 * axe runs on every console page; screenshots at 390 and 1280 px go to tests/.artifacts/.
 */

/** The change under the consent rule (content/changes): consents are recorded on any day. */
const CONSENT_CHANGE = '2026-09-hafenlicht-nachtsupport-indien';
const SCREENSHOTS = path.resolve(import.meta.dirname, '.artifacts/screenshots');
const mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-e2e-console-mail-'));
const sink = await startMailSink({ dir: mailDir, httpPort: null });
let manifest: Manifest | undefined;
const site = await startSite({
  vars: { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development', ADMIN_DEV_SIGN_IN: 'enabled' },
  // Rows no request can make today: an acceptance of the superseded AVV 1.0, a subscriber.
  beforeStart: ({ persistTo, secrets }) =>
    withLocalState(persistTo, secrets, async (state, published) => {
      manifest = published;
      await appendDirectly(state, published, { avvVersion: '1.0', companyName: 'Altkunde AG', accountId: 'ACC-ALT', signerName: 'Otto Normal', signerEmail: 'otto@altkunde.example', lang: 'de' });
      await seedSubscribers(state, [{ id: 'sub-console-e2e', email: 'abonnent@kunde.example' }]);
    }),
});
afterAll(async () => {
  await site.close();
  await sink.close();
  await rm(mailDir, { recursive: true, force: true });
});

async function checkAxe(context: BrowserContext, url: string): Promise<void> {
  // axe is a script: the same page, with the same sign-in cookie, in a context that runs scripts.
  const checking = await site.browser.newContext({ bypassCSP: true });
  try {
    await checking.addCookies(await context.cookies());
    const page = await checking.newPage();
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    const violations = await axeViolations(page);
    expect(violations.length, `axe violations on ${url}:\n${formatViolations(violations)}\n`).toBe(0);
  } finally {
    await checking.close();
  }
}

async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}-${width}.png`), fullPage: true });
    // Nothing may stick out sideways on a phone: wide tables reflow into cards.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width}px`).toBeLessThanOrEqual(0);
  }
}

describe('privacy team console (no JavaScript)', () => {
  it('signs in locally, shows an acceptance and a notice, exports CSV and sends re-acceptance invitations', async () => {
    // A customer accepts the current version; the Cron Trigger sends the change's notices.
    const accepted = await fetch(`${site.url}/api/acceptances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(validSubmission(manifest!, { companyName: 'Neukunde GmbH', accountId: 'ACC-NEU', signerEmail: 'neu@kunde.example' })),
    });
    expect(accepted.status).toBe(201);
    // A customer consents to the consent-regime change (its rule states no period: any day).
    const consented = await fetch(`${site.url}/api/objections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ kind: 'consent', changeId: CONSENT_CHANGE, companyName: 'Zustimmend GmbH', accountId: 'ACC-NEU', signerName: 'Zora Zustimmung', signerRole: 'Geschäftsführerin', signerEmail: 'zora@kunde.example', lang: 'de' }),
    });
    expect(consented.status).toBe(201);
    const trigger = await fetch(`${site.url}/cdn-cgi/local/scheduled?time=${DISPATCH_TIME.getTime()}`);
    expect(trigger.ok).toBe(true);
    await sink.waitFor((message) => message.envelope.to[0] === 'abonnent@kunde.example', 30_000);

    const context = await site.browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/admin/`);
      expect(new URL(page.url()).pathname).toBe('/admin/sign-in/');
      await checkAxe(context, page.url());
      await page.getByLabel('Ihr Name').fill('Dana Datenschutz');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      expect(new URL(page.url()).pathname).toBe('/admin/');
      await expect(page.getByTestId('console-actor').textContent()).resolves.toContain('Dana Datenschutz');
      await expect(page.getByTestId('overview-accounts').textContent()).resolves.toContain('1 Konten auf der geltenden Fassung, 1 auf einer älteren');
      await checkAxe(context, page.url());
      await screenshots(page, 'overview');

      // The acceptances, filtered, and one record with its receipt.
      await page.getByRole('navigation', { name: 'Konsole' }).getByRole('link', { name: 'Annahmen' }).click();
      const table = page.getByTestId('accounts');
      await expect(table.textContent()).resolves.toContain('Neukunde GmbH');
      await expect(table.textContent()).resolves.toContain('Altkunde AG');
      await page.getByLabel('Status').selectOption('outdated');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await expect(page.getByTestId('accounts').textContent()).resolves.not.toContain('Neukunde GmbH');
      await checkAxe(context, page.url());
      await screenshots(page, 'acceptances');
      await page.getByLabel('Suche (Firma, Kundenkonto, Name, E-Mail)').fill('ACC-UNBEKANNT');
      await page.getByLabel('Status').selectOption('all');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await expect(page.getByTestId('account-none').textContent()).resolves.toContain('ACC-UNBEKANNT');
      await page.goto(`${site.url}/admin/acceptances/`);
      await page.getByRole('link', { name: 'Neukunde GmbH' }).click();
      await expect(page.getByTestId('acceptance-record').textContent()).resolves.toContain('neu@kunde.example');
      await checkAxe(context, page.url());
      await screenshots(page, 'acceptance');

      // CSV export of the list.
      await page.goto(`${site.url}/admin/acceptances/`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV exportieren' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^accounts-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path())!);
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.toString('utf8')).toContain('ACC-NEU,ACC-NEU,Neukunde GmbH,current,2.0');

      // The change's notice: one e-mail sent, its recipient with the deadline from the evidence.
      await page.getByRole('navigation', { name: 'Konsole' }).getByRole('link', { name: 'Änderungen' }).click();
      const changeRow = page.locator('tr[data-change="2026-11-ki-funktionen-sprachraum"]');
      await expect(changeRow.getByTestId('email-counts').textContent()).resolves.toBe('1 / 0 / 0');
      await checkAxe(context, page.url());
      await screenshots(page, 'changes');
      await expect(page.locator(`tr[data-change="${CONSENT_CHANGE}"]`).getByTestId('declaration-counts').textContent()).resolves.toBe('Zustimmung: 1');
      await changeRow.getByRole('link').click();
      await expect(page.getByTestId('recipients').textContent()).resolves.toContain('abonnent@kunde.example');
      await checkAxe(context, page.url());
      await page.goto(`${site.url}/admin/changes/`);
      await page.locator(`tr[data-change="${CONSENT_CHANGE}"]`).getByRole('link').click();
      await expect(page.getByTestId('declarations').textContent()).resolves.toContain('Zustimmend GmbH');
      await checkAxe(context, page.url());
      await screenshots(page, 'change-declarations');

      // Re-acceptance: the signer of the outdated acceptance is invited, once.
      await page.getByRole('navigation', { name: 'Konsole' }).getByRole('link', { name: 'Erneute Annahme' }).click();
      await expect(page.getByTestId('outdated-accounts').textContent()).resolves.toContain('Altkunde AG');
      await checkAxe(context, page.url());
      await page.getByTestId('invite-all').click();
      await expect(page.getByTestId('invitations-outcome').textContent()).resolves.toBe('Gesendet: 1, fehlgeschlagen: 0, schon zuvor eingeladen: 0.');
      await expect(page.getByTestId('invitations').textContent()).resolves.toContain('otto@altkunde.example');
      await expect(page.getByTestId('invite-all').count()).resolves.toBe(0);
      await checkAxe(context, page.url());
      await screenshots(page, 'invitations');
      const invitation = await sink.waitFor((message) => message.envelope.to[0] === 'otto@altkunde.example', 30_000);
      expect(invitation.parsed.subject).toContain('Bitte nehmen Sie die AVV-Fassung 2.0 an');
      expect(invitation.parsed.text).toContain(`${site.url}/avv/accept/`);

      for (const [name, url] of [['subscribers', '/admin/subscribers/'], ['ledger', '/en/admin/ledger/'], ['audit', '/admin/audit/']] as const) {
        await page.goto(`${site.url}${url}`);
        await checkAxe(context, page.url());
        await screenshots(page, name);
      }
      await expect(page.getByTestId('audit').textContent()).resolves.toContain('send-invitations');
    } finally {
      await context.close();
    }
  });
});
