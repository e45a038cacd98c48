import { toCsv } from '../../src/domain/csv.ts';
import { z } from 'zod';

/** Query of `GET /api/notices/evidence`. */
export const EvidenceQuerySchema = z.strictObject({
  /** Only this event (its permanent id); all events when absent. */
  event: z.string().min(1).max(300).optional(),
  /** `json` (default) or `csv`. */
  format: z.enum(['json', 'csv']).default('json'),
});

/** One line of the export: who was informed of which event, when, how, with what result. */
export interface EvidenceRow {
  eventId: string;
  channel: 'email' | 'webhook';
  recipientId: string;
  /** Email address or URL the notice went to. */
  recipient: string;
  lang: string;
  state: string;
  attempts: number;
  queuedAt: string;
  sentAt: string | null;
  /** Day of receipt (Europe/Berlin) the deadline is counted from. */
  receivedOn: string | null;
  objectionDeadline: string | null;
  messageId: string | null;
  httpStatus: number | null;
  lastError: string | null;
}

const EvidenceRowSchema = z.object({
  eventId: z.string(),
  channel: z.enum(['email', 'webhook']),
  recipientId: z.string(),
  recipient: z.string(),
  lang: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  queuedAt: z.string(),
  sentAt: z.string().nullable(),
  receivedOn: z.string().nullable(),
  objectionDeadline: z.string().nullable(),
  messageId: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
}) satisfies z.ZodType<EvidenceRow>;

export const EVIDENCE_COLUMNS = ['eventId', 'channel', 'recipientId', 'recipient', 'lang', 'state', 'attempts', 'queuedAt', 'sentAt', 'receivedOn', 'objectionDeadline', 'messageId', 'httpStatus', 'lastError'] as const satisfies readonly (keyof EvidenceRow)[];

export async function loadEvidence(db: D1Database, eventId: string | undefined): Promise<EvidenceRow[]> {
  const statement = db.prepare(
    `SELECT event_id AS eventId, channel, recipient_id AS recipientId, recipient_address AS recipient, lang, state, attempts, queued_at AS queuedAt,
            sent_at AS sentAt, received_on AS receivedOn, objection_deadline AS objectionDeadline, message_id AS messageId, http_status AS httpStatus, last_error AS lastError
     FROM notice_deliveries ${eventId === undefined ? '' : 'WHERE event_id = ?'} ORDER BY event_id, channel, recipient_id`,
  );
  const { results } = await (eventId === undefined ? statement : statement.bind(eventId)).all();
  return results.map((row) => EvidenceRowSchema.parse(row));
}

/** The evidence as RFC 4180 CSV, formula-injection safe (src/domain/csv.ts). */
export function evidenceCsv(rows: EvidenceRow[]): string {
  return toCsv(EVIDENCE_COLUMNS, rows);
}
