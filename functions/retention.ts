import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { readBody } from './pipeline/body.ts';
import { validBody, validQuery } from './pipeline/validate.ts';
import { avvEndsOf, NewAvvEndSchema, recordAvvEnd } from './retention/store.ts';

const AvvEndQuerySchema = z
  .object({
    /** Account id whose recorded AVV ends to list. */
    account: z.string().trim().min(1, { error: 'required' }).max(100, { error: 'at most 100 characters' }).optional(),
    /** Or the record id of an acceptance given without an account id. */
    record: z.uuid({ error: 'expected a record id (UUID)' }).optional(),
  })
  .refine((query) => (query.account === undefined) !== (query.record === undefined), { error: 'give either account or record', path: ['account'] });

/**
 * `/api/retention` (admin): `POST /avv-ends` records that an account's AVV ended (JSON
 * `{ accountId | recordId, endedOn, recordedBy, note? }`, append-only; a correction is a new
 * entry and the latest counts), `GET /avv-ends?account=…|record=…` lists what was recorded. The
 * Cron Trigger redacts the account's acceptance records once the privacy notice's period,
 * counted from that end, has passed (functions/retention/redact.ts).
 */
export const retention = new Hono<AppEnv>()
  .post('/avv-ends', requireAdmin, readBody({ maxBytes: 4096, kinds: ['json'] }), validBody(NewAvvEndSchema, { type: 'invalid-submission', title: 'Invalid AVV end' }), async (c) => {
    const end = await recordAvvEnd(c.env.DB, c.var.body, new Date());
    return c.json(end, 201, { 'cache-control': 'no-store' });
  })
  .get('/avv-ends', requireAdmin, validQuery(AvvEndQuerySchema, { type: 'invalid-query', title: 'Invalid AVV end query' }), async (c) => {
    const { account, record } = c.var.query;
    const ends = await avvEndsOf(c.env.DB, account !== undefined ? { accountId: account } : { recordId: record! });
    return c.json({ count: ends.length, current: ends.at(-1) ?? null, ends }, 200, { 'cache-control': 'no-store' });
  })
  .all('/avv-ends', methodNotAllowed('GET', 'POST'));
