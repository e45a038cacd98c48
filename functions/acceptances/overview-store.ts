import { z } from 'zod';

/**
 * The acceptances as the privacy team's console reads them: one row per customer account with
 * its latest acceptance. An account is its account id; acceptances given without one are
 * grouped by company name (`company:<name>`), so they still appear, never merged into an id.
 */
const ACCOUNT_KEY = "COALESCE(account_id, 'company:' || company_name)";

export const AccountRowSchema = z.object({
  accountKey: z.string(),
  accountId: z.string().nullable(),
  companyName: z.string(),
  recordId: z.string(),
  avvVersion: z.string(),
  acceptedAt: z.string(),
  signerName: z.string(),
  signerRole: z.string(),
  signerEmail: z.string(),
  lang: z.enum(['de', 'en']),
  acceptanceCount: z.number().int(),
});
export type AccountRow = z.output<typeof AccountRowSchema>;

export interface AccountFilter {
  /** Substring of company, account id, signer name or e-mail (case-insensitive); '' for all. */
  search: string;
  /** Only accounts whose latest acceptance is (not) of `versionInForce`. */
  status: 'all' | 'current' | 'outdated';
  versionInForce: string | null;
  limit: number;
}

/** Accounts with their latest acceptance, by company name. */
export async function listAccounts(db: D1Database, filter: AccountFilter): Promise<AccountRow[]> {
  const like = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { results } = await db
    .prepare(
      `WITH latest AS (SELECT ${ACCOUNT_KEY} AS account_key, MAX(leaf_index) AS leaf_index, COUNT(*) AS acceptance_count FROM acceptances GROUP BY account_key)
       SELECT l.account_key AS accountKey, a.account_id AS accountId, a.company_name AS companyName, a.record_id AS recordId, a.avv_version AS avvVersion,
              a.accepted_at AS acceptedAt, a.signer_name AS signerName, a.signer_role AS signerRole, a.signer_email AS signerEmail, a.lang, l.acceptance_count AS acceptanceCount
       FROM latest AS l JOIN acceptances AS a ON a.leaf_index = l.leaf_index
       WHERE (?1 = '%%' OR lower(a.company_name) LIKE ?1 ESCAPE '\\' OR lower(COALESCE(a.account_id, '')) LIKE ?1 ESCAPE '\\' OR lower(a.signer_name) LIKE ?1 ESCAPE '\\' OR lower(a.signer_email) LIKE ?1 ESCAPE '\\')
         AND (?2 = 'all' OR (?2 = 'current' AND a.avv_version = ?3) OR (?2 = 'outdated' AND a.avv_version IS NOT ?3))
       ORDER BY lower(a.company_name), l.account_key
       LIMIT ?4`,
    )
    .bind(like, filter.status, filter.versionInForce, filter.limit)
    .all();
  return results.map((row) => AccountRowSchema.parse(row));
}

export const AcceptanceDetailRowSchema = z.object({
  leaf_index: z.number().int(),
  record_id: z.string(),
  accepted_at: z.string(),
  avv_version: z.string(),
  document_sha256: z.string(),
  wording_version: z.string(),
  wording_sha256: z.string(),
  lang: z.enum(['de', 'en']),
  company_name: z.string(),
  company_address: z.string(),
  signer_name: z.string(),
  signer_role: z.string(),
  signer_email: z.string(),
  account_id: z.string().nullable(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  leaf_hash: z.string(),
  record_json: z.string(),
  receipt_json: z.string(),
  /** SHA-256 of the receipt capability (migration 0013); null for an old record not yet rehashed. */
  receipt_key_sha256: z.string().nullable(),
  account_key: z.string(),
  mail_state: z.string().nullable(),
  mail_sent_at: z.string().nullable(),
  mail_message_id: z.string().nullable(),
});
export type AcceptanceDetailRow = z.output<typeof AcceptanceDetailRowSchema>;

/** One acceptance with everything stored about it, and its receipt mail's evidence. */
export async function findAcceptance(db: D1Database, recordId: string): Promise<AcceptanceDetailRow | null> {
  const row = await db
    .prepare(
      `SELECT a.leaf_index, a.record_id, a.accepted_at, a.avv_version, a.document_sha256, a.wording_version, a.wording_sha256, a.lang, a.company_name, a.company_address,
              a.signer_name, a.signer_role, a.signer_email, a.account_id, a.ip_address, a.user_agent, a.leaf_hash, a.record_json, a.receipt_json, a.receipt_key_sha256,
              COALESCE(a.account_id, 'company:' || a.company_name) AS account_key,
              m.state AS mail_state, m.sent_at AS mail_sent_at, m.message_id AS mail_message_id
       FROM acceptances AS a LEFT JOIN receipt_mails AS m ON m.record_id = a.record_id WHERE a.record_id = ?`,
    )
    .bind(recordId)
    .first();
  return row === null ? null : AcceptanceDetailRowSchema.parse(row);
}

/** Every acceptance of one account, newest first (the detail page's history). */
export async function acceptancesOfAccount(db: D1Database, accountKey: string, limit: number): Promise<Array<{ recordId: string; avvVersion: string; acceptedAt: string; signerName: string }>> {
  const { results } = await db
    .prepare(`SELECT record_id AS recordId, avv_version AS avvVersion, accepted_at AS acceptedAt, signer_name AS signerName FROM acceptances WHERE ${ACCOUNT_KEY} = ? ORDER BY leaf_index DESC LIMIT ?`)
    .bind(accountKey, limit)
    .all();
  return results.map((row) => z.object({ recordId: z.string(), avvVersion: z.string(), acceptedAt: z.string(), signerName: z.string() }).parse(row));
}
