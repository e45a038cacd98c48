import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startSite, type Site } from './setup/browser.ts';
import { axeViolations, formatViolations } from './support/axe.ts';
import { buildDeclarationSite, DECLARATION_CHANGES as C, type DeclarationSite } from './support/declaration-site.ts';
import { tempMailSink } from './support/notices.ts';

/*
 * A customer declares on a change page in Chromium, with JavaScript on and off (the form needs
 * none): objection within the window → receipt page → receipt mail in the sink; a refused post
 * comes back filled in with the error at the field; a consent-regime change offers consent and
 * refusal; a Schriftform rule says the online declaration does not replace the letter. axe on
 * every state; screenshots at 390 and 1280 px under tests/.artifacts/ (git-ignored) to look at.
 */
const artifacts = path.resolve(import.meta.dirname, '.artifacts/declarations');
let build: DeclarationSite;
let site: Site;
let sink: Awaited<ReturnType<typeof tempMailSink>>;
beforeAll(async () => {
  build = await buildDeclarationSite();
  sink = await tempMailSink();
  site = await startSite({ distDir: path.dirname(build.serverDir), vars: sink.vars });
  await mkdir(artifacts, { recursive: true });
}, 600_000);
afterAll(async () => {
  await site?.close();
  await sink?.close();
  await build?.remove();
});

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, `axe violations on ${page.url()}:\n${formatViolations(violations)}\n`).toBe(0);
}

/** JS on: a context that may inject axe (bypassCSP); JS off: axe runs on a copy of the page's HTML. */
async function contextFor(javaScript: boolean): Promise<BrowserContext> {
  return site.browser.newContext({ javaScriptEnabled: javaScript, bypassCSP: true });
}

/** axe needs script; for a no-JS page it checks the same HTML in a scripted page. */
async function axeOf(page: Page, javaScript: boolean): Promise<void> {
  if (javaScript) return expectNoAxeViolations(page);
  const html = await page.content();
  const context = await contextFor(true);
  try {
    const copy = await context.newPage();
    await copy.route('**/*', (route) => (route.request().url() === page.url() ? route.fulfill({ body: html, contentType: 'text/html' }) : route.continue()));
    await copy.goto(page.url());
    await expectNoAxeViolations(copy);
  } finally {
    await context.close();
  }
}

async function fillPeople(page: Page, lang: 'de' | 'en', email: string, account: string): Promise<void> {
  const de = lang === 'de';
  await page.getByLabel(de ? 'Firmenname mit Rechtsform' : /Company legal name/).fill('Beispiel Handels GmbH');
  await page.getByLabel(de ? /^Kundennummer/ : /^Customer account id/).fill(account);
  await page.getByLabel(de ? /Vor- und Nachname/ : /Full name/).fill('Erika Mustermann');
  await page.getByLabel(de ? /Funktion oder Position/ : /Role or position/).fill('Datenschutzbeauftragte');
  await page.getByLabel(de ? /E-Mail-Adresse/ : /Email address/).fill(email);
}

describe.each([
  { javaScript: false, lang: 'de' as const, prefix: '' },
  { javaScript: true, lang: 'en' as const, prefix: '/en' },
])('objection on a change page (JavaScript $javaScript, $lang)', ({ javaScript, lang, prefix }) => {
  it('is refused with the error at the field, then recorded with a receipt page and a receipt mail', async () => {
    const context = await contextFor(javaScript);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}${prefix}/changes/${C.open}/`);
      const form = page.getByTestId('declare-form');
      await expect(form.isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('declare-form-note').innerText()).resolves.toContain(lang === 'de' ? 'Die Online-Erklärung erfüllt sie' : 'The online declaration satisfies it');
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: path.join(artifacts, `change-form-${lang}-${width}.png`), fullPage: true });
      }
      await axeOf(page, javaScript);

      const email = `e2e-${lang}-${crypto.randomUUID().slice(0, 8)}@kunde.example`;
      await fillPeople(page, lang, email, `E2E-${lang}-${javaScript}`);
      // A wrong address the browser would refuse itself: type="email" is lifted so the server answers.
      await page.locator('#field-signerEmail').evaluate((input) => input.setAttribute('type', 'text'));
      await page.locator('#field-signerEmail').fill('kein-at-zeichen');
      await page.getByRole('button', { name: lang === 'de' ? 'Erklärung absenden' : 'Send declaration' }).click();
      await page.waitForLoadState('domcontentloaded');
      await expect(page.locator('#error-signerEmail').isVisible()).resolves.toBe(true);
      await expect(page.locator('#field-companyName').inputValue()).resolves.toBe('Beispiel Handels GmbH');
      await expect(page.locator('#declare-error-invalid').isVisible()).resolves.toBe(true);
      await page.screenshot({ path: path.join(artifacts, `change-form-refused-${lang}.png`), fullPage: true });
      await axeOf(page, javaScript);

      await page.locator('#field-signerEmail').fill(email);
      await page.getByRole('button', { name: lang === 'de' ? 'Erklärung absenden' : 'Send declaration' }).click();
      await page.waitForURL(/\/declarations\/receipt\/\?id=/);
      expect(new URL(page.url()).pathname).toBe(`${prefix}/declarations/receipt/`);
      await expect(page.getByTestId('receipt-kind').innerText()).resolves.toBe(lang === 'de' ? 'Widerspruch' : 'Objection');
      await expect(page.getByTestId('receipt-company').innerText()).resolves.toBe('Beispiel Handels GmbH');
      await page.screenshot({ path: path.join(artifacts, `declaration-receipt-${lang}.png`), fullPage: true });
      await axeOf(page, javaScript);

      if (javaScript) {
        // The verify page checks a declaration's receipt like an acceptance's, without a document to hash.
        const receiptJson = await (await fetch(site.url + (await page.getByTestId('receipt-download').getAttribute('href'))!)).text();
        await page.goto(`${site.url}/verify/`);
        await page.getByLabel('Quittung (JSON) einfügen').fill(receiptJson);
        await page.getByRole('button', { name: 'Prüfen' }).click();
        await expect.poll(() => page.getByTestId('verify-verdict').textContent()).toBe('Die Quittung ist echt: Signatur und Protokolleintrag sind gültig.');
        expect(await page.locator('.check-list .check-passed').count()).toBe(4);
        expect(await page.locator('[data-check=document]').count()).toBe(0);
        expect(await page.locator('#verify-result').getByText(C.open).count()).toBe(1);
        // The kind in words, as the receipt page and the mails name it, not its code ("objection").
        const facts = page.locator('#verify-result dl.facts');
        expect(await facts.locator('dt').first().innerText()).toBe('Erklärung');
        expect(await facts.locator('dd').first().innerText()).toBe('Widerspruch');
        // Worded as a declaration, never as an acceptance.
        expect(await page.locator('#verify-result h3').innerText()).toBe('Geprüfte Erklärung');
        expect(await facts.locator('dt').allInnerTexts()).toContain('Erklärt von');
        expect(await facts.locator('dt').allInnerTexts()).not.toContain('Angenommen von');
        await expectNoAxeViolations(page);
      }

      const mail = await sink.waitFor((message) => message.envelope.to.includes(email), 20_000);
      expect(mail.parsed.attachments).toHaveLength(1);
      expect(mail.parsed.attachments[0]!.filename).toMatch(/^declaration-receipt-[0-9a-f-]{36}\.json$/);
    } finally {
      await context.close();
    }
  });
});

describe('other regimes', () => {
  it('offers consent and refusal on a consent-regime change, and records a consent', async () => {
    const context = await contextFor(false);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/changes/${C.consent}/`);
      await expect(page.getByLabel('Ich stimme dieser Änderung zu.').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Ich stimme dieser Änderung nicht zu.').isVisible()).resolves.toBe(true);
      await expect(page.getByLabel('Ich widerspreche dieser Änderung.').count()).resolves.toBe(0);
      await page.screenshot({ path: path.join(artifacts, 'consent-form-de-1280.png'), fullPage: true });
      await axeOf(page, false);
      const email = `e2e-consent-${crypto.randomUUID().slice(0, 8)}@kunde.example`;
      await fillPeople(page, 'de', email, 'E2E-CONSENT');
      await page.getByRole('button', { name: 'Erklärung absenden' }).click();
      await page.waitForURL(/\/declarations\/receipt\/\?id=/);
      await expect(page.getByTestId('receipt-kind').innerText()).resolves.toBe('Zustimmung');
      await expect(page.getByTestId('receipt-deadline').innerText()).resolves.toBe('keine Frist');
      // Whoever consented reads on the receipt whether and how the consent is taken back.
      await expect(page.getByTestId('receipt-withdrawal').innerText()).resolves.toContain('ja, jederzeit, mit Wirkung für die Zukunft.');
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: path.join(artifacts, `consent-receipt-de-${width}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  });

  it('says under Schriftform that the online declaration does not replace the letter, and where to send it', async () => {
    const context = await contextFor(false);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/changes/${C.schriftform}/`);
      const note = await page.getByTestId('declare-form-note').innerText();
      expect(note).toContain('Die Online-Erklärung ersetzt sie nicht');
      expect(note).toContain('Teststraße 1');
      await expect(page.getByTestId('declare-reason-hint').innerText()).resolves.toContain('„aus wichtigem datenschutzrechtlichem Grund“');
      await page.setViewportSize({ width: 390, height: 900 });
      await page.screenshot({ path: path.join(artifacts, 'schriftform-form-de-390.png'), fullPage: true });
      await axeOf(page, false);
    } finally {
      await context.close();
    }
  });

  it('offers no form where the change calls for no declaration or the window closed for everyone', async () => {
    const context = await contextFor(false);
    try {
      const page = await context.newPage();
      for (const id of [C.removal, C.closed]) {
        await page.goto(`${site.url}/changes/${id}/`);
        await expect(page.getByTestId('declare-form').count()).resolves.toBe(0);
      }
    } finally {
      await context.close();
    }
  });
});
