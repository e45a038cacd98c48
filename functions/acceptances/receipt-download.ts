import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { methodNotAllowed } from '../lib/method-not-allowed.ts';
import { limitFailedAttempts, SECRET_ATTEMPTS } from '../pipeline/attempt-limit.ts';
import { validQuery } from '../pipeline/validate.ts';
import { problem } from '../problem.ts';
import { loadReceiptJson } from './receipt-store.ts';
import { receiptFileName } from '../../src/lib/paths.ts';

/** A receipt is named by its record id (a UUID) and opened by its key. */
const ReceiptQuerySchema = z.object({ key: z.string().min(1).max(100).regex(/^[A-Za-z0-9._~-]+$/) });
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `GET /:recordId/receipt?key=`: the signed receipt of one log record as issued, as a download
 * named as the receipt pages and mails name it (`receiptFileName`). Mounted by the acceptances
 * and by the declarations API: both record types share the log, the receipt format and the
 * capability check.
 */
export function receiptDownload(kind: 'acceptance' | 'declaration') {
  return new Hono<AppEnv>()
    .get(
      '/:recordId/receipt',
      validQuery(ReceiptQuerySchema, { type: 'invalid-query', title: 'Invalid receipt link' }),
      limitFailedAttempts({ scope: 'receipt', ...SECRET_ATTEMPTS, wellFormed: (c) => RECORD_ID.test(c.req.param('recordId') ?? '') }),
      async (c) => {
        const recordId = c.req.param('recordId');
        const json = await loadReceiptJson(c.env, recordId, c.var.query.key);
        if (json === null) return problem(c, 404, 'No such receipt', { detail: 'No receipt for this id and key. Use the link from your receipt page.' });
        return c.body(json, 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${receiptFileName(kind, recordId)}"`,
          'cache-control': 'private, no-store',
        });
      },
    )
    .all('/:recordId/receipt', methodNotAllowed('GET'));
}
