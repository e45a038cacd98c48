import { describe, expect, it } from 'vitest';
import { logOrigin, type LogKey } from '../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../src/domain/acceptance-record.ts';
import { keptFields, openRedaction, personalFields, REDACTION_FORMAT, redactedRecord, redactionMismatch, signRedaction, type RedactionStatement } from '../src/domain/ledger-redaction.ts';
import { generateSigningKeySecret, importSigningKey } from '../src/domain/signing-key.ts';

const newKey = async (): Promise<LogKey> => ({ ...(await importSigningKey(await generateSigningKeySecret())), name: logOrigin('https://trust.example.com') });

const record: AcceptanceRecord = {
  format: RECORD_FORMAT,
  recordId: '00000000-0000-4000-8000-000000000007',
  acceptedAt: '2026-11-23T09:00:07.000Z',
  avvVersion: '2.0',
  documentSha256: 'a'.repeat(64),
  wordingVersion: '1',
  wordingSha256: 'b'.repeat(64),
  lang: 'de',
  companyName: 'Firma 7 GmbH',
  companyAddress: 'Weg 1\n10115 Berlin',
  signerName: 'Erika Mustermann',
  signerRole: 'Geschäftsführerin',
  signerEmail: 'erika@example.com',
  accountId: 'ACC-7',
  ipAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  idempotencyKey: 'key-7-abcdefgh',
};

const statement: RedactionStatement = {
  format: REDACTION_FORMAT,
  leafIndex: 7,
  recordId: record.recordId,
  leafHash: 'c'.repeat(64),
  recordFormat: RECORD_FORMAT,
  kept: keptFields(record),
  removed: personalFields(record),
  recordJsonSha256: 'd'.repeat(64),
  receiptSha256: 'e'.repeat(64),
  redactedAt: '2033-01-01T00:00:00.000Z',
  rule: 'acceptance-records',
  period: { amount: 6, unit: 'years', countFrom: 'end-of-year' },
  reason: 'the AVV of account ACC-7 ended on 2026-03-31',
  trigger: { id: 1, endedOn: '2026-03-31', recordedAt: '2026-04-01T08:00:00.000Z', recordedBy: 'Legal' },
};

const redactedRow = { leafIndex: 7, leafHash: 'c'.repeat(64), record: redactedRecord(record), recordJson: '', receiptJson: '' };

describe('redaction of a log record', () => {
  it('removes exactly the personal fields and keeps everything else', () => {
    expect(personalFields(record)).toEqual(['companyName', 'companyAddress', 'signerName', 'signerRole', 'signerEmail', 'ipAddress', 'userAgent']);
    expect(keptFields(record)).toEqual({
      format: RECORD_FORMAT, recordId: record.recordId, acceptedAt: record.acceptedAt, avvVersion: '2.0', documentSha256: 'a'.repeat(64),
      wordingVersion: '1', wordingSha256: 'b'.repeat(64), lang: 'de', accountId: 'ACC-7', idempotencyKey: 'key-7-abcdefgh',
    });
    expect(redactedRecord(record)).toMatchObject({ companyName: '', signerEmail: '', ipAddress: null, userAgent: null, accountId: 'ACC-7' });
  });

  it('a statement signed by the log key opens with that key only, and not as anything else', async () => {
    const [key, other] = [await newKey(), await newKey()];
    const note = await signRedaction(statement, key);
    expect(note.startsWith(`${REDACTION_FORMAT}\n{`)).toBe(true);
    expect(await openRedaction(note, key)).toEqual(statement);
    expect(await openRedaction(note, other)).toBeNull();
    // One changed character of the statement breaks the signature.
    expect(await openRedaction(note.replace('ACC-7', 'ACC-8'), key)).toBeNull();
    expect(await openRedaction('not a note', key)).toBeNull();
  });

  it('a redacted row matches its statement; any kept field changed, personal data back, or another record does not', () => {
    expect(redactionMismatch(statement, redactedRow)).toBeNull();
    expect(redactionMismatch(statement, { ...redactedRow, record: { ...redactedRow.record, avvVersion: '3.0' } })).toBe('changed after redaction: avvVersion');
    expect(redactionMismatch(statement, { ...redactedRow, record: { ...redactedRow.record, signerEmail: 'erika@example.com' } })).toBe('personal data back in a redacted record: signerEmail');
    expect(redactionMismatch(statement, { ...redactedRow, receiptJson: '{"record":{}}' })).toBe('personal data back in a redacted record: receipt_json');
    expect(redactionMismatch(statement, { ...redactedRow, leafIndex: 8 })).toBe('the redaction statement is for another record');
    expect(redactionMismatch(statement, { ...redactedRow, leafHash: 'f'.repeat(64) })).toBe('the stored leaf hash differs from the one the redaction statement names');
  });
});
