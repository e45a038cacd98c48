import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mailSinkVars, startMailSink, type SinkMessage } from '../src/cli/mail-sink.ts';
import { startSite } from './setup/browser.ts';
import { axeViolations, formatViolations } from './support/axe.ts';

/*
 * Subscribe → open the link from the delivered mail → confirm → unsubscribe, in Chromium with
 * JavaScript off (the pages must not need it) against `wrangler dev`, whose Worker sends the
 * mails over SMTP to a real sink. axe runs on every page in the state a user sees it.
 */

const mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-e2e-mail-'));
const sink = await startMailSink({ dir: mailDir });
const site = await startSite({ vars: mailSinkVars(sink.smtpPort) });
afterAll(async () => {
  await site.close();
  await sink.close();
  await rm(mailDir, { recursive: true, force: true });
});

async function expectNoAxeViolations(page: Page): Promise<void> {
  // axe is a script: check the page as the no-JS visitor saw it, in a context that runs scripts.
  const context = await site.browser.newContext({ bypassCSP: true });
  try {
    const checked = await context.newPage();
    const response = await checked.goto(page.url());
    expect(response?.status()).toBeLessThan(500);
    const violations = await axeViolations(checked);
    expect(violations.length, `axe violations on ${page.url()}:\n${formatViolations(violations)}\n`).toBe(0);
  } finally {
    await context.close();
  }
}

function linkIn(message: SinkMessage, pattern: RegExp): string {
  const match = (message.parsed.text ?? '').match(pattern);
  if (!match) throw new Error(`no link ${pattern} in:\n${message.parsed.text}`);
  return match[0];
}

describe.each([
  { lang: 'de', prefix: '', submit: /Bestätigungslink anfordern/, confirm: /Abonnement bestätigen/, unsubscribe: /Jetzt abmelden/, confirmed: /Abonnement bestätigt/, gone: /Abgemeldet/ },
  { lang: 'en', prefix: '/en', submit: /Send confirmation link/, confirm: /Confirm subscription/, unsubscribe: /Unsubscribe now/, confirmed: /Subscription confirmed/, gone: /Unsubscribed/ },
])('email subscription ($lang)', ({ lang, prefix, submit, confirm, unsubscribe, confirmed, gone }) => {
  it('subscribes without JavaScript, confirms from the mail, and unsubscribes from the next mail', async () => {
    const email = `e2e-${lang}-${crypto.randomUUID().slice(0, 8)}@kunde.example`;
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}${prefix}/changes/`);
      await page.getByRole('link', { name: lang === 'de' ? 'Änderungen per E-Mail erhalten' : 'Get changes by email' }).click();
      expect(new URL(page.url()).pathname).toBe(`${prefix}/subscribe/`);
      await expectNoAxeViolations(page);

      await page.getByLabel(lang === 'de' ? 'E-Mail-Adresse' : 'Email address').fill(email);
      await page.getByLabel(lang === 'de' ? 'Aktualisierte TOMs' : 'Updated TOMs').uncheck();
      await page.getByRole('button', { name: submit }).click();
      await page.waitForURL(`${site.url}${prefix}/subscribe/sent/`);
      await expectNoAxeViolations(page);

      const confirmation = await sink.waitFor((message) => message.envelope.to.includes(email));
      expect(confirmation.parsed.headerLines.map((header) => header.line)).toContain(`Content-Language: ${lang}`);
      const confirmLink = linkIn(confirmation, new RegExp(`${site.url}${prefix}/subscribe/confirm/\\?token=[A-Za-z0-9_-]+`));

      // Opening the link (what a mail scanner does too) only asks.
      await page.goto(confirmLink);
      await expectNoAxeViolations(page);
      expect(await page.getByTestId('subscription-outcome').getAttribute('data-outcome')).toBe('ask');
      await page.getByRole('button', { name: confirm }).click();
      await expect.poll(() => page.getByTestId('subscription-outcome').getAttribute('data-outcome')).toBe('confirmed');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(confirmed);
      expect(await page.getByRole('listitem').filter({ hasText: lang === 'de' ? 'Aktualisierte TOMs' : 'Updated TOMs' }).count()).toBe(0);

      const welcome = await sink.waitFor((message) => message.envelope.to.includes(email) && message !== confirmation);
      expect(welcome.parsed.headerLines.map((header) => header.line)).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      const unsubscribeLink = linkIn(welcome, new RegExp(`${site.url}${prefix}/subscribe/unsubscribe/\\?s=[A-Za-z0-9_-]+&t=[A-Za-z0-9_-]+`));

      await page.goto(unsubscribeLink);
      await expectNoAxeViolations(page);
      expect(await page.getByText(email).count()).toBe(1);
      await page.getByRole('button', { name: unsubscribe }).click();
      await expect.poll(() => page.getByTestId('subscription-outcome').getAttribute('data-outcome')).toBe('done');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(gone);

      // The confirmation link is spent.
      await page.goto(confirmLink);
      expect(await page.getByTestId('subscription-outcome').getAttribute('data-outcome')).toBe('used');
    } finally {
      await context.close();
    }
  });
});
