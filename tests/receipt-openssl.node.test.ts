import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRecord, logOrigin } from '../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../src/domain/acceptance-record.ts';
import { EMPTY_FRONTIER } from '../src/domain/merkle.ts';
import { generateSigningKeySecret, importSigningKey, publicKeyPem } from '../src/domain/signing-key.ts';

/**
 * The offline check of a receipt as the README documents it (docs-draft-acceptance-backend.md,
 * "Verifying a receipt with openssl"): the same commands, run by bash in a scratch directory.
 */
const DOCUMENTED_STEPS = `
set -euo pipefail
# 1. The receipt's signature over its payload
jq -r .payload receipt.json | base64 -d > payload.json
jq -r .signature receipt.json | base64 -d > signature.bin
openssl pkeyutl -verify -pubin -inkey receipt-key.pem -rawin -in payload.json -sigfile signature.bin
# 2. The leaf hash of the record: SHA-256 over 0x00 and the record's canonical JSON
(printf '\\000'; jq -cj .record payload.json) | openssl dgst -sha256 -r | cut -d' ' -f1
# 3. The checkpoint's signature (C2SP signed note: body, blank line, signature line)
jq -j .checkpoint payload.json | sed '/^$/q' | sed '$d' > checkpoint.txt
jq -j .checkpoint payload.json | tail -n 1 | cut -d' ' -f3 | base64 -d | tail -c 64 > checkpoint.sig
openssl pkeyutl -verify -pubin -inkey receipt-key.pem -rawin -in checkpoint.txt -sigfile checkpoint.sig
`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function issueReceipts(count: number) {
  const key = { ...(await importSigningKey(await generateSigningKeySecret())), name: logOrigin('https://trust.wolkenwerk.example') };
  let frontier = EMPTY_FRONTIER;
  const appends = [];
  for (let i = 0; i < count; i++) {
    const record: AcceptanceRecord = {
      format: RECORD_FORMAT,
      recordId: crypto.randomUUID(),
      acceptedAt: '2026-11-23T09:00:00.000Z',
      avvVersion: '2.0',
      documentSha256: 'a'.repeat(64),
      wordingVersion: '1',
      wordingSha256: 'b'.repeat(64),
      lang: 'de',
      companyName: `Größe & Söhne ${i} GmbH`,
      companyAddress: 'Straße 1\n20095 Hamburg',
      signerName: 'Zoë "Zo" Müller',
      signerRole: 'Geschäftsführerin',
      signerEmail: 'zoe@example.com',
      accountId: i % 2 === 0 ? null : `ACC-${i}`,
      ipAddress: '203.0.113.1',
      userAgent: 'Mozilla/5.0',
      idempotencyKey: crypto.randomUUID(),
    };
    const append = await appendRecord(frontier, record, key);
    frontier = { size: append.head.treeSize, hashes: (JSON.parse(append.head.frontier) as string[]).map((hex) => Uint8Array.from(Buffer.from(hex, 'hex'))) };
    appends.push(append);
  }
  return { key, appends };
}

function run(dir: string): { output: string; status: number } {
  try {
    return { output: execFileSync('bash', ['-c', DOCUMENTED_STEPS], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), status: 0 };
  } catch (error) {
    const failure = error as { status: number; stdout: string; stderr: string };
    return { output: `${failure.stdout}${failure.stderr}`, status: failure.status };
  }
}

describe('verifying a receipt with openssl, as documented', () => {
  it('accepts a genuine receipt and reproduces its leaf hash', async () => {
    const { key, appends } = await issueReceipts(3);
    const dir = await mkdtemp(path.join(tmpdir(), 'receipt-openssl-'));
    dirs.push(dir);
    const append = appends[2]!;
    await writeFile(path.join(dir, 'receipt.json'), JSON.stringify(append.receipt, null, 2));
    await writeFile(path.join(dir, 'receipt-key.pem'), publicKeyPem(key.publicKeyRaw));
    const { output, status } = run(dir);
    expect(status, output).toBe(0);
    const lines = output.trim().split('\n');
    expect(lines).toEqual(['Signature Verified Successfully', append.leafHash, 'Signature Verified Successfully']);
  });

  it('fails on a receipt whose payload was altered', async () => {
    const { key, appends } = await issueReceipts(1);
    const dir = await mkdtemp(path.join(tmpdir(), 'receipt-openssl-'));
    dirs.push(dir);
    const receipt = appends[0]!.receipt;
    const payload = Buffer.from(receipt.payload, 'base64').toString('utf8').replace('Geschäftsführerin', 'Praktikantin');
    await writeFile(path.join(dir, 'receipt.json'), JSON.stringify({ ...receipt, payload: Buffer.from(payload).toString('base64') }));
    await writeFile(path.join(dir, 'receipt-key.pem'), publicKeyPem(key.publicKeyRaw));
    const { output, status } = run(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Signature Verification Failure/);
  });
});
