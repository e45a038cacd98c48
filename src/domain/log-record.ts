import type { AcceptanceRecord } from './acceptance-record.ts';
import type { DeclarationRecord } from './declaration-record.ts';
import { DECLARATION_RECORD_FORMAT } from './record-formats.ts';

/**
 * The record types of the one tamper-evident log: acceptances of the AVV and declarations on
 * changes. Every record carries its `format`, so the leaf data itself says which type it is;
 * leaf hashing, receipts, proofs and the audit treat both alike.
 */
export type LogRecord = AcceptanceRecord | DeclarationRecord;

export function isDeclarationRecord(record: LogRecord): record is DeclarationRecord {
  return record.format === DECLARATION_RECORD_FORMAT;
}
