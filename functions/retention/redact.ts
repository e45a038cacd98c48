import { canonicalRecord, recordLeafHash } from '../../src/domain/acceptance-record.ts';
import type { LogKey } from '../../src/domain/acceptance-log.ts';
import { addDays } from '../../src/domain/calendar-date.ts';
import { toHex } from '../../src/domain/encoding.ts';
import { keptFields, LEDGER_RECORD_KINDS, personalFields, REDACTION_FORMAT, signRedaction, type LedgerRecordFormat, type RedactionStatement } from '../../src/domain/ledger-redaction.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { berlinMidnight, retentionEnd, retentionOver, type RetentionPeriod } from '../../src/domain/retention.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { currentAvvEnds, redactableRecords, storeRedaction, type AvvEnd, type DueAvvEnd } from './store.ts';

/** Records handled per cron run at most: each is one D1 batch and one signature; the rest follow in 15 minutes. */
const MAX_PER_RUN = 200;

export interface RedactionReport {
  redacted: number;
  /** Records due but not redacted because they no longer hash to their leaf: the audit names them. */
  refused: number;
}

/**
 * The redaction job of the Cron Trigger for one record kind of the log (LEDGER_RECORD_KINDS:
 * acceptances under rule "acceptance-records", declarations under "objection-records"): for
 * every account whose AVV end an admin recorded, once the period the privacy notice states for
 * that kind's rule has passed (counted from that end, e.g. six years after the end of its
 * calendar year), removes the personal fields of the account's records of that kind made up to
 * that end, each with a statement signed by the log key. A record that no longer hashes to its
 * logged leaf is left alone: a signed statement would vouch for tampered fields.
 */
export async function redactExpiredRecords(db: D1Database, manifest: Manifest, key: LogKey, now: Date, format: LedgerRecordFormat): Promise<RedactionReport> {
  const { rule } = LEDGER_RECORD_KINDS[format];
  const period = manifest.retention[rule];
  const report: RedactionReport = { redacted: 0, refused: 0 };
  const ends = new Map<number, AvvEnd>();
  const due: DueAvvEnd[] = [];
  for (const end of await currentAvvEnds(db)) {
    // The AVV's last day decides the calendar year the period counts from.
    if (!retentionOver(berlinMidnight(end.endedOn), period, now)) continue;
    ends.set(end.id, end);
    due.push({ end, acceptedBefore: berlinMidnight(addDays(end.endedOn, 1)) });
  }
  for (const target of await redactableRecords(db, format, due, MAX_PER_RUN)) {
    const intact = toHex(await recordLeafHash(target.record)) === target.leafHash && target.recordJson === canonicalRecord(target.record);
    if (!intact) {
      console.error(JSON.stringify({ message: 'record due for redaction does not hash to its leaf; left for the audit', leafIndex: target.leafIndex, recordId: target.record.recordId }));
      report.refused++;
      continue;
    }
    const end = ends.get(target.avvEndId)!;
    const statement: RedactionStatement = {
      format: REDACTION_FORMAT,
      leafIndex: target.leafIndex,
      recordId: target.record.recordId,
      leafHash: target.leafHash,
      recordFormat: target.record.format,
      kept: keptFields(target.record),
      removed: personalFields(target.record),
      recordJsonSha256: await sha256Hex(target.recordJson),
      receiptSha256: await sha256Hex(target.receiptJson),
      redactedAt: now.toISOString(),
      rule,
      period,
      reason: reasonOf(end, period),
      trigger: { id: end.id, endedOn: end.endedOn, recordedAt: end.recordedAt, recordedBy: end.recordedBy },
    };
    await storeRedaction(db, target, statement, await signRedaction(statement, key));
    report.redacted++;
  }
  return report;
}

function reasonOf(end: AvvEnd, period: RetentionPeriod): string {
  const endedAt = berlinMidnight(end.endedOn);
  const subject = end.accountId !== null ? `account ${end.accountId}` : `record ${end.recordId}`;
  const from = period.countFrom === 'end-of-year' ? `the end of ${end.endedOn.slice(0, 4)}` : end.endedOn;
  return `the AVV of ${subject} ended on ${end.endedOn} (recorded ${end.recordedAt}); ${period.amount} ${period.unit} after ${from} ended at ${retentionEnd(endedAt, period).toISOString()}`;
}
