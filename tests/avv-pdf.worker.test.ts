import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/domain/manifest.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { manifestOf, postForm, validSubmission } from './support/acceptance.ts';

/** The `href` of the element marked `data-testid`, as a page links it. */
function linkOf(html: string, testId: string): string | undefined {
  const tag = new RegExp(`<a\\b[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0];
  return tag && /href="([^"]+)"/.exec(tag)?.[1];
}

/*
 * The PDF of each document state is a prerendered file the Worker serves from its assets; what
 * matters here is that every surface links the state the reader is looking at, and that the
 * link serves a PDF (the PDF's content is checked in avv-pdf.node.test.ts).
 */
describe('PDF of the accepted document, as linked by the built site', () => {
  let worker: WorkerHandle;
  let manifest: Manifest;
  beforeAll(async () => {
    worker = await startWorker();
    manifest = await manifestOf(worker);
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  const expectPdf = async (path: string) => {
    const response = await worker.fetch(path);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await response.arrayBuffer()).slice(0, 8))).toBe('%PDF-1.7');
  };

  it('links each AVV version page, in both languages, to the PDF of its own document hash', async () => {
    expect(manifest.avvVersions.length).toBeGreaterThanOrEqual(2);
    for (const version of manifest.avvVersions) {
      for (const prefix of ['', '/en']) {
        const html = await (await worker.fetch(`${prefix}/avv/${version.version}/`)).text();
        const href = linkOf(html, 'document-pdf');
        expect(href, `${prefix}/avv/${version.version}/`).toBe(`/avv/documents/${version.documentSha256}.pdf`);
        await expectPdf(href!);
      }
    }
  });

  it('links the receipt to the PDF of exactly the state that was accepted', async () => {
    const response = await postForm(worker, validSubmission(manifest, { signerEmail: 'pdf@beispiel.example', idempotencyKey: '' }));
    expect(response.status).toBe(303);
    const receipt = await (await worker.fetch(response.headers.get('location')!)).text();
    const accepted = /data-testid="receipt-document-hash">([0-9a-f]{64})</.exec(receipt)?.[1];
    const current = manifest.avvVersions.find((version) => version.status === 'current')!;
    expect(accepted).toBe(current.documentSha256);
    expect(linkOf(receipt, 'receipt-document-pdf')).toBe(`/avv/documents/${accepted}.pdf`);
    await expectPdf(`/avv/documents/${accepted}.pdf`);
  });

  it('answers 404 for a hash that is no published document state', async () => {
    expect((await worker.fetch(`/avv/documents/${'0'.repeat(64)}.pdf`)).status).toBe(404);
  });
});
