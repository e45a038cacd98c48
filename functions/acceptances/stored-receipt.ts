import { z } from 'zod';
import { AcceptanceRecordSchema } from '../../src/domain/acceptance-record.ts';
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
