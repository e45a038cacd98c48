import { describe, expect, it } from 'vitest';
import { useWorker } from './setup/worker-harness.ts';

/*
 * Every page has one route file for both languages (src/pages/[...lang]/). What that must not
 * change: unknown URLs answer 404 in the language of their prefix, and the rest parameter of a
 * per-request page accepts only the languages of the site.
 */
describe('one route per page for both languages', () => {
  const worker = useWorker();

  it.each([
    ['/no-such-page/', 'de', 'Seite nicht gefunden'],
    ['/avv/no-such-version/', 'de', 'Seite nicht gefunden'],
    ['/en/no-such-page/', 'en', 'Page not found'],
    ['/en/avv/no-such-version/', 'en', 'Page not found'],
  ])('%s answers 404 with the %s not-found page', async (path, lang, heading) => {
    const response = await worker.fetch(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain(`<h1>${heading}</h1>`);
  });

  it.each(['/fr/avv/accept/receipt/?id=a&key=b', '/en/en/subscribe/confirm/?token=x', '/de/subscribe/unsubscribe/?s=a&t=b'])(
    '%s (no such language) answers 404, not the per-request page',
    async (path) => {
      const response = await worker.fetch(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toMatch(/<h1>(Seite nicht gefunden|Page not found)<\/h1>/);
    },
  );

  it.each([
    ['/avv/accept/receipt/?id=a&key=b', 'de'],
    ['/en/avv/accept/receipt/?id=a&key=b', 'en'],
  ])('%s is the per-request page in %s', async (path, lang) => {
    const response = await worker.fetch(path);
    // An unknown receipt: the receipt page's own 404, in the page's language.
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(`<html lang="${lang}">`);
  });
});
