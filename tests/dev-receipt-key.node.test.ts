import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReceipt } from '../src/cli/receipt-verify.ts';
import { DEV_RECEIPT_SIGNING_KEY } from '../src/cli/lib/dev-receipt-key.ts';
import { ensureDevVars, parseDevVars } from '../src/cli/lib/dev-secrets.ts';
import { importSigningKey, publicKeyFromPem, publicKeyPem } from '../src/domain/signing-key.ts';
import { signingKeyRefusal } from '../src/domain/signing-key-validity.ts';

const published = path.resolve(import.meta.dirname, '../content/receipt-keys/2026-12-01-local-development.yaml');

describe('the local-development receipt key', () => {
  it('is published by the example content as what it is, and matches the key npm start signs with', async () => {
    // The build reads the file through its schema (build tests); here its two facts that matter.
    const text = await readFile(published, 'utf8');
    expect(text).toMatch(/^localDevelopment: true$/m);
    const key = await importSigningKey(DEV_RECEIPT_SIGNING_KEY);
    expect(publicKeyFromPem(text.replace(/^ {2}/gm, ''))).toEqual(key.publicKeyRaw);
  });

  it('is what npm start writes to a new .dev.vars', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dev-vars-'));
    try {
      const file = path.join(dir, '.dev.vars');
      await ensureDevVars(file);
      expect(parseDevVars(await readFile(file, 'utf8')).RECEIPT_SIGNING_KEY).toBe(DEV_RECEIPT_SIGNING_KEY);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('signs only where ENVIRONMENT=development', () => {
    const keys = [{ keyId: 'log+dev', validFrom: '2026-12-01', localDevelopment: true }];
    expect(signingKeyRefusal(keys, 'log+dev', new Date('2026-12-02T00:00:00Z'), true)).toBeNull();
    expect(signingKeyRefusal(keys, 'log+dev', new Date('2026-12-02T00:00:00Z'), false)).toMatch(/local-development key, whose private key is in the repository/);
  });

  it('receipt:verify rejects a receipt that names it', async () => {
    const key = await importSigningKey(DEV_RECEIPT_SIGNING_KEY);
    const check = await checkReceipt({
      receipt: { record: { acceptedAt: '2026-12-02T10:00:00.000Z' } },
      key: { published: { keyId: 'x', publicKey: publicKeyPem(key.publicKeyRaw), validFrom: '2026-12-01', validUntil: null, localDevelopment: true } },
      document: null,
    });
    expect(check.ok).toBe(false);
    expect(check.problems).toContain('key: the receipt is signed with the published local-development key, whose private key is public; it is no evidence');
  });

  it('receipt:verify rejects it also when handed over as a --key file, with no published list to say so', async () => {
    const key = await importSigningKey(DEV_RECEIPT_SIGNING_KEY);
    const check = await checkReceipt({ receipt: { record: { acceptedAt: '2026-12-02T10:00:00.000Z' } }, key: { pem: publicKeyPem(key.publicKeyRaw) }, document: null });
    expect(check.ok).toBe(false);
    expect(check.problems).toContain('key: the receipt is signed with the published local-development key, whose private key is public; it is no evidence');
  });
});
