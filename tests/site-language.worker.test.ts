import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../src/domain/manifest.ts';
import { useWorker } from './setup/worker-harness.ts';

/*
 * The language of what the built site says: acknowledged findings in the page's language, and
 * English pages that show a convenience translation where the vendor wrote one (marked, in
 * lang="en") and the German text as German where not. The accepted document stays German.
 */
describe('text in the language of the page', () => {
  const worker = useWorker();

  const page = async (path: string) => {
    const response = await worker.fetch(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };

  it.each([
    ['/subprocessors/helpdeskly/', 'das Verarbeitungsland Bangladesch (BD) liegt außerhalb der EU/des EWR, und die AVV nennt keinen Übermittlungsmechanismus'],
    ['/en/subprocessors/helpdeskly/', 'data goes to Bangladesh (BD), outside the EU/EEA, and the AVV names no transfer mechanism'],
  ])('%s words the acknowledged finding in its own language', async (path, message) => {
    const html = await page(path);
    const finding = /<li data-finding="transfer-mechanism-missing">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
    expect(finding).toContain(message);
    expect(finding).not.toContain('lang="en"');
  });

  it('the English TOMs page shows the convenience translation, marked as such, in lang="en"', async () => {
    const html = await page('/en/toms/');
    expect(html).toContain('Convenience translation: the German text is binding.');
    expect(html).toContain('<a href="/toms/" hreflang="de" lang="de">Deutsche Fassung</a>');
    expect(html).toMatch(/<div lang="en"><p>This annex describes the technical and organisational measures/);
    expect(html).toMatch(/<ul lang="en">(?:(?!<\/ul>)[\s\S])*<li>Daily backups kept for 35 days<\/li>/);
    expect(html).not.toContain('Aufbewahrung der täglichen Sicherungen für 35 Tage');
    expect(html).not.toContain('no English translation is published');
  });

  it('German pages and English pages of an untranslated version show the German text as German', async () => {
    const german = await page('/toms/');
    expect(german).toMatch(/<ul lang="de">(?:(?!<\/ul>)[\s\S])*<li>Aufbewahrung der täglichen Sicherungen für 35 Tage<\/li>/);
    expect(german).not.toContain('Daily backups kept');
    const older = await page('/en/toms/2024-06/');
    expect(older).toContain('The text below is in German, and only the German text is binding; no English translation is published.');
    expect(older).toMatch(/<div lang="de"><p>/);
    expect(older).not.toContain('Convenience translation');
  });

  it('the document customers accept carries the German TOMs, never the translation', async () => {
    const manifest = ManifestSchema.parse(await (await worker.fetch('/manifest.json')).json());
    expect(manifest.avvVersions.length).toBeGreaterThan(0);
    for (const version of manifest.avvVersions) {
      const document = await (await worker.fetch(version.documentPath)).text();
      expect(document).not.toContain('Daily backups kept');
    }
    const current = manifest.avvVersions.find((version) => version.status === 'current')!;
    expect(await (await worker.fetch(current.documentPath)).text()).toContain('Aufbewahrung der täglichen Sicherungen für 35 Tage');
  });
});
