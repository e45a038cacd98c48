import { afterAll, describe, expect, it } from 'vitest';
import { DEV_RECEIPT_SIGNING_KEY } from '../src/cli/lib/dev-receipt-key.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { startSite } from './setup/browser.ts';
import { validSubmission } from './support/acceptance.ts';

/*
 * `npm start` signs with the published local-development key: the verify page finds that key,
 * shows every check, and says plainly that such a receipt is no evidence.
 */
const site = await startSite({ vars: { ENVIRONMENT: 'development' }, secrets: { RECEIPT_SIGNING_KEY: DEV_RECEIPT_SIGNING_KEY } });
afterAll(() => site.close());

describe('the verify page and the local-development key', () => {
  it('checks a receipt it signed and says it is no evidence', async () => {
    const manifest = (await (await fetch(`${site.url}/manifest.json`)).json()) as Manifest;
    const response = await fetch(`${site.url}/api/acceptances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(validSubmission(manifest, { companyName: 'Entwicklung GmbH', signerEmail: 'dev@beispiel.example', idempotencyKey: crypto.randomUUID() })),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const receiptJson = await response.text();

    const context = await site.browser.newContext({ javaScriptEnabled: true });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/verify/`);
      await page.getByLabel('Quittung (JSON) einfügen').fill(receiptJson);
      await page.getByRole('button', { name: 'Prüfen' }).click();
      const verdict = page.getByTestId('verify-verdict');
      await expect.poll(() => verdict.textContent()).toBe('Diese Quittung ist mit dem Entwicklungsschlüssel für lokale Tests signiert. Dessen privater Schlüssel ist öffentlich – die Quittung ist kein Nachweis.');
      expect(await page.locator('.check-list .check-passed').count()).toBe(5);
      expect(await page.locator('.verdict-bad').count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
