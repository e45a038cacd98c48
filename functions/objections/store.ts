import { z } from 'zod';
import { DECLARATION_KINDS, type DeclarationKind } from '../../src/domain/declaration-window.ts';

/**
 * Reads of the `declarations` table (migration 0011) and of the delivery evidence the window
 * check needs. Declarations are written only by the log's sequencer (functions/acceptances/
 * log-store.ts), in the same transaction as the head that logs them.
 */

/** One stored declaration as the console and the endpoint read it. */
export interface DeclarationSummary {
  kind: DeclarationKind;
  changeId: string;
  accountId: string;
  companyName: string;
  signerName: string;
  signerRole: string;
  signerEmail: string;
  /** When the Worker received it (UTC ISO 8601). */
  receivedAt: string;
  /** Position in the tamper-evident log. */
  leafIndex: number;
  recordId: string;
  /** True when made within the customer's period; null where no period applies (AVV states none, or a withdrawal). */
  withinWindow: boolean | null;
  /** This customer's deadline, or null without a fixed period. */
  deadline: string | null;
  /** What the deadline was counted from (see src/domain/declaration-window.ts), or null. */
  countedFrom: 'notice-receipt' | 'announcement' | 'announcement-without-receipt-evidence' | null;
  countedFromDay: string | null;
  /** The form the rule demands (`schriftform`: the online record does not replace the letter). */
  requiredForm: 'schriftform' | 'textform' | 'any' | 'not-stated';
  /** For a withdrawal: the record id it takes back. */
  withdraws: string | null;
  reason: string | null;
}

const SummaryRow = z
  .object({
    kind: z.enum(DECLARATION_KINDS),
    change_id: z.string(),
    account_id: z.string(),
    company_name: z.string(),
    signer_name: z.string(),
    signer_role: z.string(),
    signer_email: z.string(),
    declared_at: z.string(),
    leaf_index: z.number().int(),
    record_id: z.string(),
    within_window: z.literal(1).nullable(),
    deadline: z.string().nullable(),
    counted_from: z.enum(['notice-receipt', 'announcement', 'announcement-without-receipt-evidence']).nullable(),
    counted_from_day: z.string().nullable(),
    required_form: z.enum(['schriftform', 'textform', 'any', 'not-stated']),
    withdraws: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .transform(
    (row): DeclarationSummary => ({
      kind: row.kind,
      changeId: row.change_id,
      accountId: row.account_id,
      companyName: row.company_name,
      signerName: row.signer_name,
      signerRole: row.signer_role,
      signerEmail: row.signer_email,
      receivedAt: row.declared_at,
      leafIndex: row.leaf_index,
      recordId: row.record_id,
      withinWindow: row.within_window === null ? null : true,
      deadline: row.deadline,
      countedFrom: row.counted_from,
      countedFromDay: row.counted_from_day,
      requiredForm: row.required_form,
      withdraws: row.withdraws,
      reason: row.reason,
    }),
  );

const SUMMARY_COLUMNS =
  'kind, change_id, account_id, company_name, signer_name, signer_role, signer_email, declared_at, leaf_index, record_id, within_window, deadline, counted_from, counted_from_day, required_form, withdraws, reason';

/** Every declaration in log order, or only those on one change. */
export async function listDeclarations(db: D1Database, filter: { changeId?: string } = {}): Promise<DeclarationSummary[]> {
  const statement =
    filter.changeId === undefined
      ? db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM declarations ORDER BY leaf_index`)
      : db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM declarations WHERE change_id = ?1 ORDER BY leaf_index`).bind(filter.changeId);
  const { results } = await statement.all();
  return results.map((row) => SummaryRow.parse(row));
}

/**
 * The account's declarations on one change that are still in force, newest first: objections
 * and consents no later withdrawal took back. A withdrawal takes back the newest of them.
 */
export async function withdrawableDeclarations(db: D1Database, accountId: string, changeId: string): Promise<DeclarationSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM declarations AS d WHERE account_id = ?1 AND change_id = ?2 AND kind IN ('objection', 'consent')
       AND NOT EXISTS (SELECT 1 FROM declarations AS w WHERE w.kind = 'withdrawal' AND w.withdraws = d.record_id) ORDER BY leaf_index DESC`,
    )
    .bind(accountId, changeId)
    .all();
  return results.map((row) => SummaryRow.parse(row));
}

const ReceivedRow = z.object({ received_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable() });

/**
 * The earliest day the delivery evidence shows the change's notice reached this customer: a
 * sent email notice (notices/consumer.ts records its Europe/Berlin day of receipt) to the signer's
 * address, or to the address of anyone who accepted the AVV for the same account — a company
 * has received a notice when the first of its people has. Null when the evidence shows none.
 */
export async function earliestNoticeReceipt(db: D1Database, eventId: string, accountId: string, signerEmail: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT MIN(received_on) AS received_on FROM notice_deliveries
       WHERE event_id = ?1 AND channel = 'email' AND state = 'sent' AND received_on IS NOT NULL
         AND lower(recipient_address) IN (SELECT lower(?3) UNION SELECT lower(signer_email) FROM acceptances WHERE account_id = ?2)`,
    )
    .bind(eventId, accountId, signerEmail)
    .first();
  return row === null ? null : ReceivedRow.parse(row).received_on;
}
