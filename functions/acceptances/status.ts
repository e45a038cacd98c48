import { z } from 'zod';
import type { Manifest } from '../../src/domain/manifest.ts';
import { currentTerms } from './current-terms.ts';

export const StatusQuerySchema = z.object({
  /** The customer account id given on acceptance. */
  account: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'at most 100 characters' }),
});

export interface AcceptanceSummary {
  recordId: string;
  avvVersion: string;
  acceptedAt: string;
  signerName: string;
  signerEmail: string;
  /** A newer AVV version is current: this acceptance no longer covers it. */
  outdated: boolean;
}

export interface AccountStatus {
  account: string;
  /** The AVV version in force today. */
  currentVersion: string | null;
  /** "current": accepted the version in force; "outdated": only earlier ones; "none": never. */
  status: 'current' | 'outdated' | 'none';
  /** The latest acceptance of the current version, if any. */
  currentAcceptance: AcceptanceSummary | null;
  /** The latest acceptance of any version. */
  lastAcceptance: AcceptanceSummary | null;
  /** Every acceptance of the account, newest first (at most 50). */
  acceptances: AcceptanceSummary[];
}

const SummaryRow = z.object({ record_id: z.string(), avv_version: z.string(), accepted_at: z.string(), signer_name: z.string(), signer_email: z.string() });

/** Re-acceptance status of one customer account, for admins. */
export async function accountStatus(db: D1Database, manifest: Manifest, account: string, now = new Date()): Promise<AccountStatus> {
  const current = currentTerms(manifest, now)?.avv.version ?? null;
  const { results } = await db
    .prepare('SELECT record_id, avv_version, accepted_at, signer_name, signer_email FROM acceptances WHERE account_id = ? ORDER BY leaf_index DESC LIMIT 50')
    .bind(account)
    .all();
  const acceptances = results.map((raw) => SummaryRow.parse(raw)).map((row) => ({
    recordId: row.record_id,
    avvVersion: row.avv_version,
    acceptedAt: row.accepted_at,
    signerName: row.signer_name,
    signerEmail: row.signer_email,
    outdated: row.avv_version !== current,
  }));
  const currentAcceptance = acceptances.find((acceptance) => !acceptance.outdated) ?? null;
  return {
    account,
    currentVersion: current,
    status: currentAcceptance ? 'current' : acceptances.length > 0 ? 'outdated' : 'none',
    currentAcceptance,
    lastAcceptance: acceptances[0] ?? null,
    acceptances,
  };
}
