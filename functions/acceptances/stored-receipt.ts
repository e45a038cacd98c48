import { z } from 'zod';
import { AcceptanceRecordSchema } from '../../src/domain/acceptance-record.ts';
import { DECLARATION_RECORD_FORMAT, DeclarationRecordSchema, type DeclarationRecord } from '../../src/domain/declaration-record.ts';
import { RECEIPT_FORMAT, type Receipt } from '../../src/domain/receipt.ts';

/**
 * A receipt as stored in `acceptances.receipt_json`, parsed on every read like any other
 * column (src/domain/receipt.ts stays free of zod: the verify page bundles it).
 */
export const StoredReceiptSchema = z.object({
  format: z.literal(RECEIPT_FORMAT),
  record: AcceptanceRecordSchema,
  leafIndex: z.number().int().min(0),
  treeSize: z.number().int().min(1),
  rootHash: z.string(),
  inclusionProof: z.array(z.string()),
  checkpoint: z.string(),
  keyId: z.string(),
  documentUrl: z.string().optional(),
  payload: z.string(),
  signature: z.string(),
}) satisfies z.ZodType<Receipt>;

export function parseStoredReceipt(json: string): Receipt {
  return StoredReceiptSchema.parse(JSON.parse(json));
}

/** The same for a declaration on a change: same receipt, the other record type of the log. */
export const StoredDeclarationReceiptSchema = StoredReceiptSchema.extend({ record: DeclarationRecordSchema }) satisfies z.ZodType<Receipt<DeclarationRecord>>;

export function parseStoredDeclarationReceipt(json: string): Receipt<DeclarationRecord> {
  return StoredDeclarationReceiptSchema.parse(JSON.parse(json));
}

const RecordFormatSchema = z.object({ record: z.object({ format: z.string() }) });

/** Whether a stored receipt is a declaration's (its record's format says so). */
export function storedReceiptIsDeclaration(json: string): boolean {
  const parsed = RecordFormatSchema.safeParse(JSON.parse(json));
  return parsed.success && parsed.data.record.format === DECLARATION_RECORD_FORMAT;
}
