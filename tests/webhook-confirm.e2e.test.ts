import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mailSinkVars, startMailSink } from '../src/cli/mail-sink.ts';
import { startSite } from './setup/browser.ts';
import { axeViolations, formatViolations } from './support/axe.ts';

/*
 * The owner's side of a webhook registration in Chromium without JavaScript: the link from the
 * delivered confirmation mail shows a page with a button, the button shows the secret once, the
 * used link then says it is invalid. axe runs on each of these Worker-rendered pages.
 */

const mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-e2e-webhook-mail-'));
const sink = await startMailSink({ dir: mailDir });
// ENVIRONMENT=development lets a localhost receiver be registered, as with `npm start`.
const site = await startSite({ vars: { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development' } });
afterAll(async () => {
  await site.close();
  await sink.close();
  await rm(mailDir, { recursive: true, force: true });
});

async function expectAccessible(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, `axe violations on ${page.url()}:\n${formatViolations(violations)}\n`).toBe(0);
}

describe.each([
  { lang: 'de', confirm: /Bestätigen und Geheimnis anzeigen/, confirmed: /Webhook-Endpunkt bestätigt/, invalid: /Link ungültig oder abgelaufen/ },
  { lang: 'en', confirm: /Confirm and show secret/, confirmed: /Webhook endpoint confirmed/, invalid: /Link invalid or expired/ },
])('webhook confirmation ($lang)', ({ lang, confirm, confirmed, invalid }) => {
  it('confirms from the mailed link, shows the secret once, then refuses the used link', async () => {
    const ownerEmail = `owner-${lang}-${crypto.randomUUID().slice(0, 8)}@kunde.example`;
    const registered = await fetch(`${site.url}/api/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: site.url },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hooks/trust-center', topics: ['subprocessor-changes'], ownerEmail, lang }),
    });
    expect(registered.status, await registered.clone().text()).toBe(202);

    const mail = await sink.waitFor((message) => message.envelope.to.includes(ownerEmail));
    const link = (mail.parsed.text ?? '').match(/https?:\/\/\S+\/api\/webhooks\/confirm\?token=[A-Za-z0-9_-]+&lang=(de|en)/)?.[0];
    expect(link, mail.parsed.text).toBeDefined();

    // axe is a script, so the pages are checked in a context with scripts on; the flow itself
    // runs without JavaScript.
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const axeContext = await site.browser.newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(link!);
      const asked = await axeContext.newPage();
      await asked.goto(link!);
      await expectAccessible(asked);
      await asked.close();

      await page.getByRole('button', { name: confirm }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(confirmed);
      expect(await page.locator('#secret').textContent()).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      await expectAccessible(await axeContextPageWith(await page.content()));

      const reused = await axeContext.newPage();
      await reused.goto(link!);
      expect(await reused.getByRole('heading', { level: 1 }).textContent()).toMatch(invalid);
      expect(await reused.locator('#secret').count()).toBe(0);
      await expectAccessible(reused);
    } finally {
      await context.close();
      await axeContext.close();
    }

    /** The confirmed page came from a POST; axe checks its HTML as served. */
    async function axeContextPageWith(html: string): Promise<Page> {
      const checked = await axeContext.newPage();
      await checked.goto(`${site.url}/`);
      await checked.setContent(html);
      return checked;
    }
  });
});
