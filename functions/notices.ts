import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { evidenceCsv, EvidenceQuerySchema, loadEvidence } from './notices/evidence.ts';
import { listTimingAlerts } from './notices/timing.ts';
import { validQuery } from './pipeline/validate.ts';

/**
 * `/api/notices`: `GET /evidence?event=&format=json|csv` (admin) lists who was informed of which
 * event, when, through which channel, with the transport's message id or the HTTP status, the
 * attempts and the objection deadline counted from that recipient's receipt; `GET /timing`
 * (admin) lists changes whose notices reached someone too late for their effective date.
 */
export const notices = new Hono<AppEnv>()
  .get('/evidence', requireAdmin, validQuery(EvidenceQuerySchema, { type: 'invalid-query', title: 'Invalid evidence query' }), async (c) => {
    const query = c.var.query;
    const rows = await loadEvidence(c.env.DB, query.event);
    const headers = { 'cache-control': 'private, no-store' };
    if (query.format === 'csv') {
      return c.body(evidenceCsv(rows), 200, { ...headers, 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': 'attachment; filename="notice-evidence.csv"' });
    }
    return c.json({ event: query.event ?? null, count: rows.length, deliveries: rows }, 200, headers);
  })
  .all('/evidence', methodNotAllowed('GET'))
  // Changes whose notices reached someone too late for the announced effective date.
  .get('/timing', requireAdmin, async (c) => {
    const alerts = (await listTimingAlerts(c.env.DB)).map((row) => ({
      eventId: row.event_id,
      changeId: row.change_id,
      effectiveDate: row.effective_date,
      latestReceivedOn: row.latest_received_on,
      earliestEffectiveDate: row.earliest_effective_date,
      detectedAt: row.detected_at,
      notifiedAt: row.notified_at,
      messageId: row.message_id,
      lastError: row.last_error,
    }));
    return c.json({ count: alerts.length, alerts }, 200, { 'cache-control': 'private, no-store' });
  })
  .all('/timing', methodNotAllowed('GET'));
