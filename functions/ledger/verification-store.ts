import { z } from 'zod';
import type { AuditReport } from '../../src/domain/ledger-audit.ts';
import { INSERT_LEDGER_VERIFICATION, ledgerVerificationValues } from '../../src/domain/ledger-rows.ts';

/** One stored ledger verification (migration 0012), newest first in the console. */
export const VerificationRowSchema = z.object({
  id: z.number().int(),
  verifiedAt: z.string(),
  actor: z.string().nullable(),
  ok: z.number().int().transform((value) => value === 1),
  treeSize: z.number().int(),
  recordCount: z.number().int(),
  witnessedSize: z.number().int().nullable(),
  findingCount: z.number().int(),
  reportJson: z.string(),
});
export type VerificationRow = z.output<typeof VerificationRowSchema>;

/** Keeps the result of a verification run, whoever started it (console, token, CLI via the API; a local CLI run writes the same row). */
export async function recordVerification(db: D1Database, report: AuditReport, actor: string | null, at = new Date()): Promise<void> {
  await db.prepare(INSERT_LEDGER_VERIFICATION).bind(...ledgerVerificationValues(report, actor, at)).run();
}

export async function latestVerifications(db: D1Database, limit: number): Promise<VerificationRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, verified_at AS verifiedAt, actor, ok, tree_size AS treeSize, record_count AS recordCount, witnessed_size AS witnessedSize, finding_count AS findingCount, report_json AS reportJson
       FROM ledger_verifications ORDER BY id DESC LIMIT ?`,
    )
    .bind(limit)
    .all();
  return results.map((row) => VerificationRowSchema.parse(row));
}

/** The latest signed head: size, root, checkpoint and when it was written. */
export const HeadSummarySchema = z.object({ treeSize: z.number().int(), rootHash: z.string(), checkpoint: z.string(), createdAt: z.string() });
export type HeadSummary = z.output<typeof HeadSummarySchema>;

export async function latestHeadSummary(db: D1Database): Promise<HeadSummary | null> {
  const row = await db.prepare('SELECT tree_size AS treeSize, root_hash AS rootHash, checkpoint, created_at AS createdAt FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1').first();
  return row === null ? null : HeadSummarySchema.parse(row);
}
