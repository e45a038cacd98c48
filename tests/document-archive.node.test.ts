import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../src/domain/manifest.ts';
import type { Receipt } from '../src/domain/receipt.ts';
import { startWorker } from './setup/worker-harness.ts';
import { acceptJson, validSubmission } from './support/acceptance.ts';
import { astroBuild, scratchDir } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');
const fixture = join(import.meta.dirname, 'fixtures/minimal-content');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// Two real builds of the fixture: D1 before and D2 after `support-neu` (since 2026-12-28) took
// effect. The receipt from D1 must still find its exact text on the D2 site.
describe('accepted documents survive rebuilds', { timeout: 240_000 }, () => {
  it('serves the document accepted on D1 byte-identical from the D2 site, by its hash', async () => {
    const [d1, d2] = [await scratchDir('archive-d1'), await scratchDir('archive-d2')];
    for (const [outDir, buildDate] of [[d1, '2026-11-23'], [d2, '2027-01-04']] as const) {
      const result = await astroBuild({ outDir, buildDate, contentDir: fixture });
      expect(result.exitCode, result.output).toBe(0);
    }

    const first = await startWorker({ serverDir: join(d1, 'server') });
    let receipt: Receipt;
    let acceptedBytes: Uint8Array;
    let keyPem: string;
    try {
      const manifest = ManifestSchema.parse(await (await first.fetch('/manifest.json')).json());
      receipt = await acceptJson(first, validSubmission(manifest));
      expect(receipt.documentUrl).toBe(new URL(`/avv/documents/${receipt.record.documentSha256}.json`, manifest.siteUrl).href);
      acceptedBytes = new Uint8Array(await (await first.fetch(new URL(receipt.documentUrl!).pathname)).arrayBuffer());
      expect(sha256(acceptedBytes)).toBe(receipt.record.documentSha256);
      keyPem = await (await first.fetch('/.well-known/trust-center/receipt-key.pem')).text();
      // The retired key from content/receipt-keys/ stays listed; the key in use (a fresh secret,
      // not committed to the fixture) is listed with the key id the receipt names.
      const keys = (await (await first.fetch('/.well-known/trust-center/receipt-keys.json')).json()) as { activeKeyId: string; archived: boolean; keys: unknown[] };
      expect(keys).toMatchObject({
        activeKeyId: receipt.keyId,
        archived: false,
        keys: [
          { keyId: expect.stringMatching(/^trust\.[^+]+\/avv-acceptances\+[0-9a-f]{8}$/), validFrom: '2025-01-01', validUntil: '2026-06-30', active: false },
          { keyId: receipt.keyId, validFrom: null, active: true },
        ],
      });
    } finally {
      await first.dispose();
    }

    const second = await startWorker({ serverDir: join(d2, 'server') });
    try {
      const manifest = ManifestSchema.parse(await (await second.fetch('/manifest.json')).json());
      // The version's own document moved on: it now holds the new subprocessor.
      const current = manifest.avvVersions.find((version) => version.status === 'current')!;
      expect(current.documentSha256).not.toBe(receipt.record.documentSha256);
      expect(current.subprocessors).toContain('support-neu');

      const archived = await second.fetch(new URL(receipt.documentUrl!).pathname);
      expect(archived.status).toBe(200);
      const bytes = new Uint8Array(await archived.arrayBuffer());
      expect(Buffer.from(bytes).equals(Buffer.from(acceptedBytes))).toBe(true);
      expect(sha256(bytes)).toBe(receipt.record.documentSha256);

      // The offline check passes on the real receipt with the document fetched from D2.
      const files = await scratchDir('archive-verify');
      await writeFile(join(files, 'receipt.json'), JSON.stringify(receipt));
      await writeFile(join(files, 'document.json'), bytes);
      await writeFile(join(files, 'receipt-key.pem'), keyPem);
      const check = spawnSync(process.execPath, ['src/cli/receipt-verify.ts', join(files, 'receipt.json'), '--document', join(files, 'document.json'), '--key', join(files, 'receipt-key.pem')], { cwd: root, encoding: 'utf8' });
      expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
      expect(check.stdout).toContain(`Receipt valid: record ${receipt.record.recordId}.`);

      // The manifest lists both states with the periods they were offered, the first one closed.
      const states = manifest.documentStates.filter((state) => state.avvVersion === current.version);
      expect(states.map(({ sha256: hash, offeredFrom, offeredUntil }) => ({ hash, offeredFrom, offeredUntil }))).toEqual([
        { hash: receipt.record.documentSha256, offeredFrom: '2026-01-01', offeredUntil: '2026-12-27' },
        { hash: current.documentSha256, offeredFrom: '2026-12-28', offeredUntil: undefined },
      ]);
      for (const state of manifest.documentStates) {
        const file = await readFile(join(d2, 'client', state.path));
        expect(sha256(file), state.path).toBe(state.sha256);
      }
      // A human-readable page per state, in both languages, naming what it contained.
      for (const prefix of ['', '/en']) {
        const page = await second.fetch(`${prefix}/avv/documents/${receipt.record.documentSha256}/`);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain(receipt.record.documentSha256);
        expect(html).not.toContain('/subprocessors/support-neu/');
      }
    } finally {
      await second.dispose();
    }
  });
});
