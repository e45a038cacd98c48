import { z } from 'zod';
import { berlinDateOf } from '../../src/domain/calendar-date.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { publishedNoticeEvents } from '../../src/domain/notice-events.ts';
import { lateNotice, type LateNotice } from '../../src/domain/notice-timing.ts';
import { formatDate } from '../../src/i18n/ui.ts';
import { paths } from '../../src/lib/paths.ts';
import { mailFrom, mailTransport } from '../mail/transport.ts';

/** One row of `notice_timing_alerts` (migration 0009), as the admin endpoint lists it. */
export const TimingAlertRowSchema = z.object({
  event_id: z.string(),
  change_id: z.string(),
  effective_date: z.string(),
  latest_received_on: z.string(),
  earliest_effective_date: z.string(),
  detected_at: z.string(),
  notified_at: z.string().nullable(),
  message_id: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type TimingAlertRow = z.output<typeof TimingAlertRowSchema>;

const ReceiptSpreadSchema = z.object({ latest_received_on: z.string().nullable(), pending: z.number().nullable() });

/**
 * Cron: for every change whose notices were fanned out and that has not taken effect yet, the
 * latest day a recipient received (or, still pending, will at the earliest receive) the notice;
 * if the notice period counted from that day ends after the effective date, record it and tell
 * the privacy team (the objection contact) once, before the change takes effect.
 */
export async function checkNoticeTiming(env: Env, manifest: Manifest, now: Date): Promise<LateNotice[]> {
  const today = berlinDateOf(now);
  const found: LateNotice[] = [];
  for (const event of publishedNoticeEvents(manifest, today)) {
    if (event.topic !== 'subprocessor-changes' || event.change.effectiveDate <= today) continue;
    const spread = ReceiptSpreadSchema.parse(
      await env.DB.prepare(
        `SELECT MAX(received_on) AS latest_received_on, SUM(state IN ('queued', 'sending', 'retry')) AS pending
         FROM notice_deliveries WHERE event_id = ? AND channel = 'email'`,
      )
        .bind(event.id)
        .first(),
    );
    const latest = [spread.latest_received_on, (spread.pending ?? 0) > 0 ? today : null].filter((day): day is string => day !== null).sort().at(-1);
    if (latest === undefined) continue;
    const late = lateNotice(manifest, event.change, latest);
    if (!late) continue;
    found.push(late);
    await env.DB.prepare(
      `INSERT INTO notice_timing_alerts (event_id, change_id, effective_date, latest_received_on, earliest_effective_date, detected_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (event_id) DO UPDATE SET latest_received_on = MAX(latest_received_on, ?4), earliest_effective_date = MAX(earliest_effective_date, ?5)`,
    )
      .bind(event.id, late.changeId, late.effectiveDate, late.latestReceivedOn, late.earliestEffectiveDate, now.toISOString())
      .run();
    const row = TimingAlertRowSchema.parse(await env.DB.prepare('SELECT * FROM notice_timing_alerts WHERE event_id = ?').bind(event.id).first());
    if (row.notified_at === null) await notifyPrivacyTeam(env, manifest, row);
  }
  return found;
}

async function notifyPrivacyTeam(env: Env, manifest: Manifest, alert: TimingAlertRow): Promise<void> {
  const contact = manifest.declarationContact;
  const changeUrl = new URL(paths.change('de', alert.change_id), manifest.siteUrl).href;
  const date = (day: string) => formatDate(day, 'de');
  const text = [
    `Die Mitteilung über die Änderung „${alert.change_id}“ ist später zugegangen als angekündigt: zuletzt am ${date(alert.latest_received_on)}.`,
    `Gerechnet ab diesem Zugang endet die Ankündigungsfrist erst so, dass die Änderung frühestens am ${date(alert.earliest_effective_date)} wirksam werden darf. Angekündigt ist der ${date(alert.effective_date)}.`,
    'Bitte das Wirksamkeitsdatum verschieben (content/changes, neu bauen und ausliefern) oder die Kunden, die spät informiert wurden, gesondert ansprechen, bevor die Änderung wirksam wird.',
    `Änderung: ${changeUrl}`,
    `Nachweis je Empfänger: GET /api/notices/evidence?event=${encodeURIComponent(alert.event_id)}`,
  ].join('\n\n');
  try {
    const { messageId } = await mailTransport(env).send({
      from: mailFrom(env),
      to: `${contact.name} <${contact.email}>`,
      subject: `${manifest.vendor}: Ankündigungsfrist nicht gewahrt – ${alert.change_id} (wirksam ${date(alert.effective_date)})`,
      text,
      headers: { 'Content-Language': 'de', 'Auto-Submitted': 'auto-generated' },
    });
    await env.DB.prepare('UPDATE notice_timing_alerts SET notified_at = ?, message_id = ?, last_error = NULL WHERE event_id = ?').bind(new Date().toISOString(), messageId, alert.event_id).run();
  } catch (error) {
    // The next Cron run tries again; the admin endpoint shows the alert meanwhile.
    await env.DB.prepare('UPDATE notice_timing_alerts SET last_error = ? WHERE event_id = ?').bind((error instanceof Error ? error.message : String(error)).slice(0, 500), alert.event_id).run();
  }
}

export async function listTimingAlerts(db: D1Database): Promise<TimingAlertRow[]> {
  const { results } = await db.prepare('SELECT * FROM notice_timing_alerts ORDER BY effective_date, event_id').all();
  return results.map((row) => TimingAlertRowSchema.parse(row));
}
