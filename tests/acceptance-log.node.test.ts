import { describe, expect, it } from 'vitest';
import { appendRecord, headFrontier, logOrigin, type Append, type LogKey } from '../src/domain/acceptance-log.ts';
import { AcceptanceSubmissionSchema, canonicalRecord, fieldErrors, RECORD_FORMAT, submissionFingerprint, type AcceptanceRecord } from '../src/domain/acceptance-record.ts';
import { canonicalWordingText, hashWordingText } from '../src/domain/acceptance-wording.ts';
import { auditLedger, type LedgerHeadRow, type LedgerRecordRow } from '../src/domain/ledger-audit.ts';
import { verifyReceipt } from '../src/domain/receipt.ts';
import { generateSigningKeySecret, importSigningKey, publicKeyJwk } from '../src/domain/signing-key.ts';

const newKey = async (): Promise<LogKey> => ({ ...(await importSigningKey(await generateSigningKeySecret())), name: logOrigin('https://trust.example.com') });

function record(i: number): AcceptanceRecord {
  return {
    format: RECORD_FORMAT,
    recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    acceptedAt: `2026-11-23T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
    avvVersion: '2.0',
    documentSha256: 'a'.repeat(64),
    wordingVersion: '1',
    wordingSha256: 'b'.repeat(64),
    lang: 'de',
    companyName: `Firma ${i}`,
    companyAddress: 'Weg 1\n10115 Berlin',
    signerName: 'Erika Mustermann',
    signerRole: 'Geschäftsführerin',
    signerEmail: `e${i}@example.com`,
    accountId: null,
    ipAddress: null,
    userAgent: null,
    idempotencyKey: `key-${i}-abcdefgh`,
  };
}

/** A log of n appends as the Worker would store it. */
async function log(n: number, key: LogKey): Promise<{ appends: Append[]; records: LedgerRecordRow[]; heads: LedgerHeadRow[] }> {
  const appends: Append[] = [];
  let head: LedgerHeadRow | null = null;
  for (let i = 0; i < n; i++) {
    const append: Append = await appendRecord(headFrontier(head), record(i), key);
    appends.push(append);
    head = append.head;
  }
  return {
    appends,
    records: appends.map((append, i) => ({ leafIndex: i, record: record(i), recordJson: append.recordJson, leafHash: append.leafHash })),
    heads: appends.map((append) => append.head),
  };
}

describe('submission schema', () => {
  const valid = {
    avvVersion: '2.0',
    documentSha256: 'A'.repeat(64),
    wordingVersion: '1',
    companyName: ' Beispiel GmbH ',
    companyAddress: 'Weg 1\r\n10115 Berlin',
    signerName: 'Erika',
    signerRole: 'GF',
    signerEmail: ' erika@example.com ',
    accountId: '',
    authorised: 'on',
    lang: '',
    idempotencyKey: '',
  };

  it('normalises a no-JS form submission', () => {
    expect(AcceptanceSubmissionSchema.parse(valid)).toEqual({
      avvVersion: '2.0',
      documentSha256: 'a'.repeat(64),
      wordingVersion: '1',
      companyName: 'Beispiel GmbH',
      companyAddress: 'Weg 1\n10115 Berlin',
      signerName: 'Erika',
      signerRole: 'GF',
      signerEmail: 'erika@example.com',
      authorised: 'on',
      lang: 'de',
    });
  });

  it.each([
    [{ authorised: 'off' }, 'authorised'],
    [{ authorised: 'true', signerEmail: 'x@' }, 'signerEmail'],
    [{ companyAddress: 'Weg 1\u0000\n10115' }, 'companyAddress'],
    [{ companyName: 'A' }, 'companyName'],
    [{ idempotencyKey: 'has space 123' }, 'idempotencyKey'],
  ])('%j fails on %s only', (overrides, field) => {
    const result = AcceptanceSubmissionSchema.safeParse({ ...valid, ...overrides });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!).map((error) => error.field)).toEqual([field]);
  });

  it('fingerprints what was submitted, ignoring the key and the case of the email', async () => {
    const a = AcceptanceSubmissionSchema.parse(valid);
    const b = AcceptanceSubmissionSchema.parse({ ...valid, signerEmail: 'ERIKA@example.com', idempotencyKey: 'some-other-key', authorised: true });
    const c = AcceptanceSubmissionSchema.parse({ ...valid, signerRole: 'Prokuristin' });
    expect(await submissionFingerprint(a)).toBe(await submissionFingerprint(b));
    expect(await submissionFingerprint(a)).not.toBe(await submissionFingerprint(c));
  });
});

describe('record and wording hashing', () => {
  it('the leaf data is RFC 8785 canonical JSON: sorted members, no whitespace', () => {
    const json = canonicalRecord(record(1));
    expect(json.startsWith('{"acceptedAt":"2026-11-23T09:00:01.000Z","accountId":null,"avvVersion":"2.0",')).toBe(true);
    expect(json).not.toMatch(/[\n ]"/);
  });

  it('hashes the wording over normalised text, so line endings and NFC do not matter', async () => {
    const text = { de: 'Ich bin berechtigt,\r\ndas Unternehmen zu vertreten. ', en: 'I am authorised.' };
    expect(canonicalWordingText(text)).toBe('{"de":"Ich bin berechtigt,\\ndas Unternehmen zu vertreten.","en":"I am authorised."}');
    expect(await hashWordingText(text)).toBe(await hashWordingText({ de: 'Ich bin berechtigt,\ndas Unternehmen zu vertreten.', en: 'I am authorised.' }));
    expect(await hashWordingText(text)).not.toBe(await hashWordingText({ de: text.de }));
  });
});

describe('receipts', () => {
  it('every receipt of a growing log verifies; any change breaks it', async () => {
    const key = await newKey();
    const { appends } = await log(6, key);
    const jwk = publicKeyJwk(key.publicKeyRaw);
    for (const { receipt } of appends) expect(await verifyReceipt(receipt, jwk), `leaf ${receipt.leafIndex}`).toMatchObject({ valid: true, problems: [] });

    const receipt = appends[5]!.receipt;
    const otherKey = publicKeyJwk((await newKey()).publicKeyRaw);
    expect((await verifyReceipt(receipt, otherKey)).checks).toEqual({ signature: false, payload: true, inclusion: true, checkpoint: false });
    expect((await verifyReceipt({ ...receipt, leafIndex: 4 }, jwk)).checks).toMatchObject({ payload: false, inclusion: false });
    expect((await verifyReceipt({ ...receipt, checkpoint: appends[4]!.receipt.checkpoint }, jwk)).checks).toMatchObject({ payload: false, checkpoint: false });
  });

  it.each([
    [null, /expected a JSON object/],
    [{ format: 'other' }, /format/],
    [{ format: 'trust-center/acceptance-receipt@1' }, /"rootHash" is missing/],
  ])('explains why %j is no receipt', async (value, message) => {
    const result = await verifyReceipt(value, publicKeyJwk((await newKey()).publicKeyRaw));
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toMatch(message);
  });
});

describe('ledger audit', () => {
  type Tamper = (state: { records: LedgerRecordRow[]; heads: LedgerHeadRow[] }) => void;
  const swap = (rows: LedgerRecordRow[], a: number, b: number) => {
    const [x, y] = [rows[a]!, rows[b]!];
    rows[a] = { ...y, leafIndex: a };
    rows[b] = { ...x, leafIndex: b };
  };
  const cases: Array<[string, Tamper, Array<[string, number]>]> = [
    ['nothing', () => {}, []],
    ['a changed email', ({ records }) => void (records[3] = { ...records[3]!, record: { ...records[3]!.record, signerEmail: 'evil@example.com' } }), [['changed', 3]]],
    ['a changed timestamp of the first record', ({ records }) => void (records[0] = { ...records[0]!, record: { ...(records[0]!.record as AcceptanceRecord), acceptedAt: '2020-01-01T00:00:00.000Z' } }), [['changed', 0]]],
    ['a removed record', ({ records }) => void records.splice(5, 1), [['removed', 5]]],
    ['the last record removed', ({ records }) => void records.pop(), [['removed', 9]]],
    ['two swapped records', ({ records }) => swap(records, 1, 7), [['reordered', 1], ['reordered', 7]]],
    ['a stored leaf hash changed', ({ records }) => void (records[2] = { ...records[2]!, leafHash: '0'.repeat(64) }), [['changed', 2]]],
    ['an extra record', ({ records }) => void records.push({ ...records[0]!, leafIndex: 10 }), [['unlogged', 10]]],
    ['a head with a forged root', ({ heads }) => void (heads[6] = { ...heads[6]!, rootHash: '0'.repeat(64) }), [['head-invalid', 7]]],
    ['a head with a foreign leaf hash', ({ heads }) => void (heads[6] = { ...heads[6]!, leafHash: heads[5]!.leafHash }), [['head-invalid', 7]]],
  ];

  it.each(cases)('reports %s', async (_name, tamper, expected) => {
    const key = await newKey();
    const state = await log(10, key);
    tamper(state);
    const report = await auditLedger(state.records, state.heads, key);
    expect(report.findings.map((finding) => [finding.kind, finding.leafIndex ?? finding.treeSize])).toEqual(expected);
    expect(report.ok).toBe(expected.length === 0);
    expect(report.treeSize).toBe(10);
  });

  it('rejects heads signed by another key', async () => {
    const key = await newKey();
    const state = await log(3, key);
    const report = await auditLedger(state.records, state.heads, await newKey());
    expect(report.findings.filter((finding) => finding.kind === 'head-invalid').map((finding) => finding.treeSize)).toEqual([1, 2, 3]);
    expect(report.treeSize).toBe(0);
  });

  it('an empty log is intact', async () => {
    expect(await auditLedger([], [], await newKey())).toEqual({ ok: true, treeSize: 0, rootHash: null, recordCount: 0, headCount: 0, witnessedSize: null, findings: [], redacted: [] });
  });
});
