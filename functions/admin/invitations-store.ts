import { z } from 'zod';

/** A re-acceptance invitation as stored (migration 0012): the evidence of who was invited when. */
export const InvitationRowSchema = z.object({
  id: z.string(),
  accountKey: z.string(),
  avvVersion: z.string(),
  acceptanceRecordId: z.string(),
  acceptedVersion: z.string(),
  recipient: z.string(),
  lang: z.enum(['de', 'en']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  state: z.enum(['sending', 'sent', 'failed']),
  sentAt: z.string().nullable(),
  messageId: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type InvitationRow = z.output<typeof InvitationRowSchema>;

const COLUMNS = `id, account_key AS accountKey, avv_version AS avvVersion, acceptance_record_id AS acceptanceRecordId, accepted_version AS acceptedVersion, recipient, lang,
  requested_by AS requestedBy, requested_at AS requestedAt, state, sent_at AS sentAt, message_id AS messageId, last_error AS lastError`;

export interface NewInvitation {
  accountKey: string;
  avvVersion: string;
  acceptanceRecordId: string;
  acceptedVersion: string;
  recipient: string;
  lang: 'de' | 'en';
  requestedBy: string;
}

/**
 * Claims the one invitation of an account for a version: inserts it as `sending`, or takes
 * over a `failed` one for another attempt. Null when it was already sent or is being sent, so
 * a second click (or two people clicking at once) sends nothing new.
 */
export async function claimInvitation(db: D1Database, invitation: NewInvitation, now: Date): Promise<InvitationRow | null> {
  const row = await db
    .prepare(
      `INSERT INTO reacceptance_invitations (id, account_key, avv_version, acceptance_record_id, accepted_version, recipient, lang, requested_by, requested_at, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending')
       ON CONFLICT (account_key, avv_version) DO UPDATE SET state = 'sending', last_error = NULL WHERE reacceptance_invitations.state = 'failed'
       RETURNING ${COLUMNS}`,
    )
    .bind(crypto.randomUUID(), invitation.accountKey, invitation.avvVersion, invitation.acceptanceRecordId, invitation.acceptedVersion, invitation.recipient, invitation.lang, invitation.requestedBy, now.toISOString())
    .first();
  return row === null ? null : InvitationRowSchema.parse(row);
}

export async function markInvitationSent(db: D1Database, id: string, messageId: string, at: Date): Promise<void> {
  await db.prepare("UPDATE reacceptance_invitations SET state = 'sent', sent_at = ?, message_id = ? WHERE id = ? AND state = 'sending'").bind(at.toISOString(), messageId, id).run();
}

export async function markInvitationFailed(db: D1Database, id: string, reason: string): Promise<void> {
  await db.prepare("UPDATE reacceptance_invitations SET state = 'failed', last_error = ? WHERE id = ? AND state = 'sending'").bind(reason.slice(0, 1000), id).run();
}

/** Invitations, newest first; of one version when given. */
export async function listInvitations(db: D1Database, options: { avvVersion?: string; limit: number }): Promise<InvitationRow[]> {
  const statement =
    options.avvVersion === undefined
      ? db.prepare(`SELECT ${COLUMNS} FROM reacceptance_invitations ORDER BY requested_at DESC, id LIMIT ?`).bind(options.limit)
      : db.prepare(`SELECT ${COLUMNS} FROM reacceptance_invitations WHERE avv_version = ? ORDER BY requested_at DESC, id LIMIT ?`).bind(options.avvVersion, options.limit);
  const { results } = await statement.all();
  return results.map((row) => InvitationRowSchema.parse(row));
}
