import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startSite } from './setup/browser.ts';
import { axeViolations, formatViolations } from './support/axe.ts';

/*
 * The online acceptance in Chromium against the built Worker (`wrangler dev`, fresh D1 and
 * signing key): the form without JavaScript (plain POST, 303 to the receipt page) and with it
 * (fetch + Idempotency-Key), inline errors from a 400, the receipt page, and the verify page
 * checking a real receipt. axe runs on each page in the state a user sees it.
 */

const site = await startSite();
afterAll(() => site.close());

/** Every test uses its own signer email, so per-email rate limits never couple tests. */
function signer(tag: string) {
  return {
    companyName: `Beispiel ${tag} GmbH`,
    companyAddress: 'Musterweg 1\n20095 Hamburg\nDeutschland',
    signerName: `Erika ${tag}`,
    signerRole: 'Geschäftsführerin',
    signerEmail: `erika.${tag.toLowerCase()}@beispiel.example`,
  };
}

async function withContext<T>(options: { javaScriptEnabled: boolean }, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await site.browser.newContext({ ...options, bypassCSP: true });
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

async function fillForm(page: Page, values: ReturnType<typeof signer> & { accountId?: string }): Promise<void> {
  await page.getByLabel(/Firmenname|Company legal name/).fill(values.companyName);
  await page.getByLabel(/Anschrift des Unternehmens|Company address/).fill(values.companyAddress);
  if (values.accountId) await page.getByLabel(/Kundennummer|Customer account ID/).fill(values.accountId);
  await page.getByLabel(/Vor- und Nachname|Full name/).fill(values.signerName);
  await page.getByLabel(/Funktion oder Position|Role or position/).fill(values.signerRole);
  await page.getByLabel(/E-Mail-Adresse|Email address/).fill(values.signerEmail);
  await page.getByLabel(/berechtigt|authorised/).check();
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, `axe violations on ${page.url()}:\n${formatViolations(violations)}\n`).toBe(0);
}

/** axe is a script: pages seen without JavaScript are checked again in a context with it. */
async function expectAccessibleUrl(url: string): Promise<void> {
  await withContext({ javaScriptEnabled: true }, async (page) => {
    await page.goto(url);
    await expectNoAxeViolations(page);
  });
}

describe('accepting the AVV', () => {
  it('works without JavaScript: plain POST, then the receipt page shows the record', async () => {
    await withContext({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      const version = await page.getByTestId('accept-version').textContent();
      const documentHash = await page.getByTestId('accept-document-hash').textContent();
      const values = { ...signer('Nojs'), accountId: 'KD-4711' };
      await fillForm(page, values);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/avv/accept/receipt/')), page.getByRole('button', { name: /annehmen/ }).click()]);

      expect(response.status()).toBe(200);
      expect(response.headers()['cache-control']).toBe('no-store');
      expect(new URL(page.url()).pathname).toBe('/avv/accept/receipt/');
      await expect.poll(() => page.getByTestId('receipt-company').textContent()).toBe(values.companyName);
      expect(await page.getByTestId('receipt-signer').textContent()).toBe(values.signerName);
      expect(await page.getByTestId('receipt-avv-version').textContent()).toBe(version);
      expect(await page.getByTestId('receipt-document-hash').textContent()).toBe(documentHash);
      expect(await page.getByText('KD-4711').count()).toBe(1);
      expect(await page.locator('meta[name=robots]').getAttribute('content')).toContain('noindex');
      await expectAccessibleUrl(page.url());
    });
  });

  it('without JavaScript, a refused form comes back filled in as typed, with the error next to the field', async () => {
    await withContext({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      const values = { ...signer('Nojsinvalid'), signerEmail: 'erika@localhost' };
      await fillForm(page, values);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/acceptances')), page.getByRole('button', { name: /annehmen/ }).click()]);
      expect(response.status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await page.locator('#accept-error-invalid').isVisible()).toBe(true);
      expect(await page.locator('#accept-error-stale-version').isVisible()).toBe(false);
      expect(await page.locator('#error-signerEmail').isVisible()).toBe(true);
      expect(await page.locator('#error-companyName').isVisible()).toBe(false);
      expect(await page.getByLabel(/E-Mail-Adresse/).inputValue()).toBe(values.signerEmail);
      expect(await page.getByLabel(/Firmenname/).inputValue()).toBe(values.companyName);
      expect(await page.getByLabel(/Anschrift des Unternehmens/).inputValue()).toBe(values.companyAddress);
      expect(await page.getByLabel(/berechtigt/).isChecked()).toBe(true);
      // axe needs scripts: the refilled page as the visitor got it, in a context that runs them.
      const html = await page.content();
      await withContext({ javaScriptEnabled: true }, async (checked) => {
        await checked.goto(`${site.url}/avv/accept/`);
        await checked.setContent(html);
        await expectNoAxeViolations(checked);
      });
    });
  });

  it('with JavaScript sends JSON with an Idempotency-Key and navigates to the receipt', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      await page.goto(`${site.url}/en/avv/accept/`);
      const values = signer('Js');
      await fillForm(page, values);
      const requestPromise = page.waitForRequest((r) => r.url().endsWith('/api/acceptances') && r.method() === 'POST');
      await page.getByRole('button', { name: /Accept the AVV/ }).click();
      const request = await requestPromise;
      expect(request.headers()['content-type']).toBe('application/json');
      expect(request.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      expect(request.postDataJSON()).toMatchObject({ ...values, authorised: true, lang: 'en' });

      await page.waitForURL(/\/en\/avv\/accept\/receipt\/\?id=/);
      await expect.poll(() => page.getByTestId('receipt-company').textContent()).toBe(values.companyName);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Receipt: acceptance of the AVV');
    });
  });

  it('shows the fields a 400 names next to the fields and in an error summary', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      // The browser accepts an address without a dot in the domain; the Worker does not.
      await fillForm(page, { ...signer('Invalid'), signerEmail: 'erika@localhost' });
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/acceptances')), page.getByRole('button', { name: /annehmen/ }).click()]);
      expect(response.status()).toBe(400);

      const summary = page.locator('#accept-errors');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.getByRole('link').allTextContents()).toEqual(['Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@firma.de.']);
      expect(await page.locator('#error-signerEmail').isVisible()).toBe(true);
      expect(await page.locator('#field-signerEmail').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#field-companyName').getAttribute('aria-invalid')).toBeNull();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('accept-errors');
      expect(new URL(page.url()).pathname).toBe('/avv/accept/');
      await expectNoAxeViolations(page);

      // Corrected, the same page view submits successfully.
      await page.getByLabel('E-Mail-Adresse').fill('erika.invalid@beispiel.example');
      await page.getByRole('button', { name: /annehmen/ }).click();
      await page.waitForURL(/\/avv\/accept\/receipt\/\?id=/);
      expect(await page.getByTestId('receipt-company').textContent()).toBe('Beispiel Invalid GmbH');
    });
  });

  it('tells a stale tab (409) to reload the new version', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      await fillForm(page, signer('Stale'));
      // As if a new version was published after this tab was opened.
      await page.locator('input[name=avvVersion]').evaluate((input: HTMLInputElement) => (input.value = '0.9'));
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/acceptances')), page.getByRole('button', { name: /annehmen/ }).click()]);
      expect(response.status()).toBe(409);
      const message = page.locator('#accept-message');
      await expect.poll(() => message.isVisible()).toBe(true);
      expect(await message.textContent()).toContain('neue Fassung des AVV');
      expect(await message.getByRole('link', { name: 'Seite neu laden' }).getAttribute('href')).toBe('/avv/accept/');
      expect(new URL(page.url()).pathname).toBe('/avv/accept/');
    });
  });

  it('after a 503 asks to retry, and the retry reuses the Idempotency-Key', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      await fillForm(page, signer('Retry'));
      const keys: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/api/acceptances')) keys.push(request.headers()['idempotency-key'] ?? '');
      });
      // The first attempt fails like an unavailable D1 would (the Worker's own 503 is tested in workerd).
      await page.route('**/api/acceptances', (route) =>
        route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'retry-after': '1' }, body: JSON.stringify({ type: 'urn:trust-center:problem:storage-unavailable', title: 'Storage unavailable', status: 503 }) }),
      );
      await page.getByRole('button', { name: /annehmen/ }).click();
      const message = page.locator('#accept-message');
      await expect.poll(() => message.isVisible()).toBe(true);
      expect(await message.textContent()).toContain('versuchen Sie es in einigen Sekunden erneut');
      expect(await page.getByRole('button', { name: /annehmen/ }).isEnabled()).toBe(true);

      await page.unroute('**/api/acceptances');
      await page.getByRole('button', { name: /annehmen/ }).click();
      await page.waitForURL(/\/avv\/accept\/receipt\/\?id=/);
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
    });
  });

  it('answers an unknown receipt link with an accessible 404', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      const response = await page.goto(`${site.url}/avv/accept/receipt/?id=00000000-0000-4000-8000-000000000000&key=wrong`);
      expect(response?.status()).toBe(404);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Quittung nicht gefunden');
      await expectNoAxeViolations(page);
    });
  });
});

describe('double-submits without JavaScript', () => {
  it('give the same browser its first receipt again, and another browser its own', async () => {
    const values = signer('Twice');
    const submit = async (page: Page) => {
      await page.goto(`${site.url}/avv/accept/`);
      await fillForm(page, values);
      await Promise.all([page.waitForURL(/\/avv\/accept\/receipt\/\?id=/), page.getByRole('button', { name: /annehmen/ }).click()]);
      return new URL(page.url()).searchParams.get('id');
    };
    await withContext({ javaScriptEnabled: false }, async (page, context) => {
      const first = await submit(page);
      // The cookie the accept page handed out is HttpOnly and kept across page views.
      const [cookie] = await context.cookies(`${site.url}/api/acceptances`);
      expect(cookie).toMatchObject({ name: 'tc_accept_browser', httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(await submit(page)).toBe(first);
      await withContext({ javaScriptEnabled: false }, async (stranger) => {
        const theirs = await submit(stranger);
        expect(theirs).not.toBe(first);
        expect(await stranger.getByText('Erika Twice').count()).toBe(1);
      });
    });
  });
});

describe('verifying a receipt', () => {
  it('confirms a real receipt and rejects a tampered one', async () => {
    await withContext({ javaScriptEnabled: true }, async (page) => {
      await page.goto(`${site.url}/avv/accept/`);
      await fillForm(page, signer('Verify'));
      await page.getByRole('button', { name: /annehmen/ }).click();
      await page.waitForURL(/\/avv\/accept\/receipt\/\?id=/);
      const download = await page.getByTestId('receipt-download').getAttribute('href');
      const receiptResponse = await fetch(site.url + download);
      expect(receiptResponse.status).toBe(200);
      const receiptJson = await receiptResponse.text();

      await page.goto(`${site.url}/verify/`);
      await expectNoAxeViolations(page);
      await page.getByLabel('Quittung (JSON) einfügen').fill(receiptJson);
      await page.getByRole('button', { name: 'Prüfen' }).click();
      const verdict = page.getByTestId('verify-verdict');
      await expect.poll(() => verdict.textContent()).toBe('Die Quittung ist echt: Signatur und Protokolleintrag sind gültig.');
      expect(await page.locator('.check-list .check-passed').count()).toBe(5);
      // The archived document, fetched by its hash, hashes to what was accepted.
      expect(await page.locator('[data-check=document] .check-passed').count()).toBe(1);
      expect(await page.locator('#verify-result').getByText('Beispiel Verify GmbH').count()).toBe(1);
      expect(await page.locator('#verify-result h3').innerText()).toBe('Geprüfte Annahme');
      expect(await page.locator('#verify-result dl.facts dt').allInnerTexts()).toContain('Angenommen von');
      await expectNoAxeViolations(page);

      const tampered = JSON.parse(receiptJson) as { record: { companyName: string } };
      tampered.record.companyName = 'Someone Else Ltd';
      await page.getByLabel('Quittung (JSON) einfügen').fill(JSON.stringify(tampered));
      await page.getByRole('button', { name: 'Prüfen' }).click();
      await expect.poll(() => verdict.textContent()).toBe('Die Quittung ist NICHT gültig. Mindestens eine Prüfung ist fehlgeschlagen.');
      expect(await page.locator('[data-check=payload] .check-failed').count()).toBe(1);
      expect(await page.locator('[data-check=signature] .check-passed').count()).toBe(1);

      const otherDocument = JSON.parse(receiptJson) as { record: { documentSha256: string } };
      otherDocument.record.documentSha256 = '0'.repeat(64);
      await page.getByLabel('Quittung (JSON) einfügen').fill(JSON.stringify(otherDocument));
      await page.getByRole('button', { name: 'Prüfen' }).click();
      await expect.poll(() => page.locator('[data-check=document] .check-failed').count()).toBe(1);
    });
  });
});
