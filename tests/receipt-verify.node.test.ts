import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, logOrigin, type LogKey } from '../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../src/domain/acceptance-record.ts';
import { recordLeafHash } from '../src/domain/acceptance-record.ts';
import { signCheckpoint } from '../src/domain/checkpoint.ts';
import { toHex } from '../src/domain/encoding.ts';
import { EMPTY_FRONTIER, inclusionProof, rootOf, type Frontier } from '../src/domain/merkle.ts';
import { RECEIPT_FORMAT, signReceipt, type Receipt, type ReceiptBody } from '../src/domain/receipt.ts';
import { generateSigningKeySecret, importSigningKey, publicKeyPem } from '../src/domain/signing-key.ts';

const root = path.resolve(import.meta.dirname, '..');
const site = 'https://trust.wolkenwerk.example';
const documentBytes = Buffer.from('{"format":"trust-center/acceptance-document@1","asOf":"2026-11-01"}');
const documentSha256 = createHash('sha256').update(documentBytes).digest('hex');

let dir: string;
let key: LogKey;
const receipts: Receipt[] = [];

/** A log of 15 records, each receipt as issued: proofs of every length up to the tree's height. */
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'receipt-verify-'));
  key = { ...(await importSigningKey(await generateSigningKeySecret())), name: logOrigin(site) };
  let frontier: Frontier = EMPTY_FRONTIER;
  for (let i = 0; i < 15; i++) {
    const record: AcceptanceRecord = {
      format: RECORD_FORMAT,
      recordId: crypto.randomUUID(),
      acceptedAt: '2026-11-23T09:00:00.000Z',
      avvVersion: '2.0',
      documentSha256,
      wordingVersion: '1',
      wordingSha256: 'b'.repeat(64),
      lang: 'de',
      companyName: `Kunde ${i} GmbH`,
      companyAddress: 'Straße 1\n20095 Hamburg',
      signerName: 'Erika Mustermann',
      signerRole: 'Geschäftsführerin',
      signerEmail: 'erika@example.com',
      accountId: null,
      ipAddress: '203.0.113.1',
      userAgent: 'Mozilla/5.0',
      idempotencyKey: crypto.randomUUID(),
    };
    const append = await appendRecord(frontier, record, key, `${site}/avv/documents/${documentSha256}.json`);
    frontier = { size: append.head.treeSize, hashes: (JSON.parse(append.head.frontier) as string[]).map((hex) => Uint8Array.from(Buffer.from(hex, 'hex'))) };
    receipts.push(append.receipt);
  }
  await writeFile(path.join(dir, 'receipt-key.pem'), publicKeyPem(key.publicKeyRaw));
  await writeFile(path.join(dir, 'document.json'), documentBytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `npm run receipt:verify`'s script exactly (node src/cli/receipt-verify.ts …). */
function verify(receipt: unknown, args: string[] = ['--document', 'document.json', '--key', 'receipt-key.pem']): Promise<{ code: number; output: string }> {
  const file = `receipt-${crypto.randomUUID()}.json`;
  return writeFile(path.join(dir, file), JSON.stringify(receipt, null, 2)).then(
    () =>
      new Promise((resolve) => {
        execFile(process.execPath, [path.join(root, 'src/cli/receipt-verify.ts'), file, ...args], { cwd: dir }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
        );
      }),
  );
}

describe('npm run receipt:verify', { timeout: 60_000 }, () => {
  it('accepts every genuine receipt, whatever its tree size and proof length', async () => {
    for (const index of [0, 1, 2, 6, 7, 14]) {
      const { code, output } = await verify(receipts[index]);
      expect(code, output).toBe(0);
      expect(output).toContain(`Receipt valid: record ${receipts[index]!.record.recordId}.`);
      expect(output).toContain(`inclusion proof: leaf ${index} leads to root`);
      expect(output).toContain(`document: SHA-256 ${documentSha256}`);
    }
    expect(receipts[14]!.inclusionProof.length).toBe(3);
  });

  it('walks the whole audit path of a proof into a larger tree than the one it was issued in', async () => {
    const leaves = await Promise.all(receipts.map((receipt) => recordLeafHash(receipt.record)));
    const { record } = receipts[3]!;
    const root = await rootOf(leaves);
    const body: ReceiptBody = {
      format: RECEIPT_FORMAT,
      record,
      leafIndex: 3,
      treeSize: 15,
      rootHash: toHex(root),
      inclusionProof: (await inclusionProof(leaves, 3)).map(toHex),
      checkpoint: await signCheckpoint({ origin: key.name, size: 15, rootHash: root }, key),
      keyId: receipts[3]!.keyId,
      documentUrl: receipts[3]!.documentUrl!,
    };
    const receipt = await signReceipt(body, key.privateKey);
    expect(receipt.inclusionProof.length).toBe(4);
    const { code, output } = await verify(receipt);
    expect(code, output).toBe(0);
    expect(output).toContain('inclusion proof: leaf 3 leads to root');
  });

  it('rejects a tampered signature', async () => {
    const receipt = structuredClone(receipts[6]!);
    const signature = Buffer.from(receipt.signature, 'base64');
    signature[10] = signature[10]! ^ 0x01;
    receipt.signature = signature.toString('base64');
    const { code, output } = await verify(receipt);
    expect(code).toBe(1);
    expect(output).toContain('FAIL  receipt: the signature does not match the payload and key');
  });

  it('rejects a tampered inclusion proof', async () => {
    const receipt = structuredClone(receipts[14]!);
    receipt.inclusionProof[1] = 'f'.repeat(64);
    const { code, output } = await verify(receipt);
    expect(code).toBe(1);
    expect(output).toContain('FAIL  receipt: the inclusion proof does not lead from the record to the root hash');
  });

  it('rejects a document that is not the accepted one', async () => {
    await writeFile(path.join(dir, 'other.json'), Buffer.concat([documentBytes, Buffer.from(' ')]));
    const { code, output } = await verify(receipts[2], ['--document', 'other.json', '--key', 'receipt-key.pem']);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL {2}document: its SHA-256 is [0-9a-f]{64}, the receipt accepted [0-9a-f]{64}/);
  });

  it('rejects a receipt naming another key id, and a key that is not the one named', async () => {
    const renamed = { ...receipts[1]!, keyId: `${key.name}+00000000` };
    const first = await verify(renamed);
    expect(first.code).toBe(1);
    expect(first.output).toContain(`FAIL  key id: the receipt names key "${key.name}+00000000"`);

    const other = await importSigningKey(await generateSigningKeySecret());
    await writeFile(path.join(dir, 'other-key.pem'), publicKeyPem(other.publicKeyRaw));
    const second = await verify(receipts[1], ['--document', 'document.json', '--key', 'other-key.pem']);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`FAIL  key id: the receipt names key "${receipts[1]!.keyId}"`);
    expect(second.output).toContain('FAIL  receipt: the signature does not match the payload and key');
  });

  it('fetches the key by its id and the document from the site the receipt names, and checks the key’s validity', async () => {
    const keyId = receipts[0]!.keyId;
    let keys: Array<{ keyId: string; publicKey: string; validFrom: string; validUntil: string | null }> = [{ keyId, publicKey: publicKeyPem(key.publicKeyRaw), validFrom: '2026-01-01', validUntil: null }];
    const server = createServer((request, response) => {
      if (request.url === '/.well-known/trust-center/receipt-keys.json') return void response.end(JSON.stringify({ keys }));
      if (request.url === `/avv/documents/${documentSha256}.json`) return void response.end(documentBytes);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const body: ReceiptBody = { ...receipts[0]!, documentUrl: `${site}/avv/documents/${documentSha256}.json` };
      const receipt = await signReceipt(body, key.privateKey);
      const online = await verify(receipt, []);
      expect(online.code, online.output).toBe(0);
      expect(online.output).toContain('ok    key validity: accepted on 2026-11-23, key valid from 2026-01-01');

      // A receipt dated outside its key's published validity is refused.
      keys = [{ ...keys[0]!, validUntil: '2026-06-30' }];
      const retired = await verify(receipt, []);
      expect(retired.code).toBe(1);
      expect(retired.output).toContain('FAIL  key validity: accepted on 2026-11-23, but the key signed from 2026-01-01 to 2026-06-30');

      keys = [];
      const unknown = await verify(receipt, []);
      expect(unknown.code).toBe(2);
      expect(unknown.output).toContain(`does not list key "${keyId}"`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says it could not check (exit 2) when a file is missing', async () => {
    const { code, output } = await verify(receipts[0], ['--document', 'missing.json', '--key', 'receipt-key.pem']);
    expect(code).toBe(2);
    expect(output).toContain('Cannot check: cannot read missing.json');
  });
});
