import { canonicalRecord, recordLeafHash } from './acceptance-record.ts';
import type { LogRecord } from './log-record.ts';
import { verifyCheckpoint, type NoteKey } from './checkpoint.ts';
import { compareOutside, type OutsideCopies } from './ledger-outside.ts';
import { openRedaction, redactionMismatch, type RedactionStatement } from './ledger-redaction.ts';
import { fromHex, toHex } from './encoding.ts';
import { appendLeaf, EMPTY_FRONTIER, frontierLength, frontierRoot, rootOf, type Frontier } from './merkle.ts';

/**
 * The audit behind `npm run ledger:verify` and `GET /api/ledger/verify`: recomputes the log
 * from the stored rows and names every record that was changed, removed, reordered or added
 * outside the log. Trust comes only from the signed heads: an attacker with database access
 * but without the signing key can edit rows, not forge signatures.
 *
 * Each head (one per group commit, written in the same transaction as its records) holds the
 * signed checkpoint, the frontier and the leaf hashes it added to the previous head. Head s is
 * sound when its signature verifies and its frontier hashes to the signed root; its leaf hashes
 * are committed when appending them to the sound frontier of the previous head yields head s's
 * frontier. Record i is intact when the leaf hash recomputed from its columns is committed
 * leaf i — so each tampered record is named on its own.
 *
 * What the database alone cannot show (its newest records deleted with their heads, both
 * tables wiped, an older state restored and extended anew, receipts swapped between rows) is
 * found against the copies outside it: the witness in R2 and any checkpoint handed in.
 */

/** A record row as stored: the columns (as a record), the JSON copy and the stored leaf hash. */
export interface LedgerRecordRow {
  leafIndex: number;
  record: LogRecord;
  recordJson: string;
  leafHash: string;
  /** The receipt as stored; compared with the witness (swaps). */
  receiptJson?: string;
  /**
   * SHA-256 (hex) of the receipt capability as stored (the key itself is not); compared with the
   * witness (swaps). Null: a record from before migration 0013 whose key is not hashed yet.
   */
  receiptKeySha256?: string | null;
  /** The signed redaction statement, when the record's personal fields were removed (migration 0014). */
  redaction?: string;
}

/** A record whose personal fields were removed under a retention rule, as its signed statement says. */
export interface RedactedRecord {
  leafIndex: number;
  recordId: string;
  redactedAt: string;
  rule: RedactionStatement['rule'];
  reason: string;
}

export interface LedgerHeadRow {
  treeSize: number;
  rootHash: string;
  /** The last leaf this head added. */
  leafHash: string;
  /** Every leaf this head added to the previous head, in leaf order. */
  leafHashes: string[];
  /** JSON array of hex hashes. */
  frontier: string;
  checkpoint: string;
}

export type FindingKind =
  /** The record's columns no longer hash to the logged leaf. */
  | 'changed'
  /** No record at a logged position. */
  | 'removed'
  /** The record at this position is one logged at another position. */
  | 'reordered'
  /** A record at a position no signed head covers. */
  | 'unlogged'
  /** A record whose head chain is broken, so it cannot be checked on its own. */
  | 'unverifiable'
  /** A head whose signature, root or frontier is wrong. */
  | 'head-invalid'
  /** A tree size some head continues from, without a head of its own. */
  | 'head-missing'
  /** D1 ends before a checkpoint the witness or a customer holds: its newest records are gone. */
  | 'truncated'
  /** D1 holds no log at all, yet checkpoints of it exist outside. */
  | 'wiped'
  /** Two different signed trees of one size, or a checkpoint D1's tree does not extend. */
  | 'forked'
  /** A record's receipt or receipt key is not the one issued with it. */
  | 'swapped'
  /** A signed head D1 has that the witness never received. */
  | 'unwitnessed'
  /** A witness object or handed-in checkpoint that is not validly signed by the log key. */
  | 'outside-invalid'
  /** A redaction entry not signed by the log key for this record: an edit passed off as a redaction. */
  | 'redaction-invalid';

export interface Finding {
  kind: FindingKind;
  /** Log position of the record concerned. */
  leafIndex?: number;
  /** Tree size of the head concerned. */
  treeSize?: number;
  recordId?: string;
  detail: string;
}

export interface AuditReport {
  /** No findings. */
  ok: boolean;
  /** Size of the latest soundly signed head (what the public checkpoint says). */
  treeSize: number;
  /** Its root (hex), or null for an empty log. */
  rootHash: string | null;
  /** Record rows found. */
  recordCount: number;
  /** Head rows found: one per group commit. */
  headCount: number;
  /** Largest tree size the witness holds a checkpoint of (0: none; null: no witness checked). */
  witnessedSize: number | null;
  findings: Finding[];
  /** Records lawfully redacted (not findings): their signed statements and rows agree. */
  redacted: RedactedRecord[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseFrontier(head: LedgerHeadRow): Frontier | null {
  try {
    const hashes = JSON.parse(head.frontier) as unknown;
    if (!Array.isArray(hashes) || hashes.length !== frontierLength(head.treeSize)) return null;
    if (!hashes.every((hash) => typeof hash === 'string' && HEX64.test(hash))) return null;
    return { size: head.treeSize, hashes: hashes.map((hash: string) => fromHex(hash)) };
  } catch {
    return null;
  }
}

export async function auditLedger(records: readonly LedgerRecordRow[], heads: readonly LedgerHeadRow[], key: NoteKey & { publicKey: CryptoKey }, outside: OutsideCopies = {}): Promise<AuditReport> {
  const findings: Finding[] = [];
  const sorted = [...heads].sort((a, b) => a.treeSize - b.treeSize);
  const maxSize = sorted.at(-1)?.treeSize ?? 0;

  // Sound heads: signature, checkpoint content and frontier all agree.
  const sound = new Map<number, { head: LedgerHeadRow; frontier: Frontier }>();
  for (const head of sorted) {
    const checkpoint = await verifyCheckpoint(head.checkpoint, key);
    const frontier = parseFrontier(head);
    let problem: string | null = null;
    if (!checkpoint) problem = 'checkpoint signature does not verify with the log key';
    else if (checkpoint.size !== head.treeSize || toHex(checkpoint.rootHash) !== head.rootHash) problem = 'stored size or root differs from the signed checkpoint';
    else if (!frontier) problem = 'frontier is malformed';
    else if (toHex(await frontierRoot(frontier)) !== head.rootHash) problem = 'frontier does not hash to the signed root';
    if (problem) findings.push({ kind: 'head-invalid', treeSize: head.treeSize, detail: problem });
    else sound.set(head.treeSize, { head, frontier: frontier! });
  }
  const present = new Set(sorted.map((head) => head.treeSize));
  for (const head of sorted) {
    const previousSize = head.treeSize - head.leafHashes.length;
    if (previousSize > 0 && !present.has(previousSize)) findings.push({ kind: 'head-missing', treeSize: previousSize, detail: `no head for tree size ${previousSize}, which the head of size ${head.treeSize} continues` });
  }

  // Committed leaf hashes: those that chain one sound head to the one before it.
  const committed = new Map<number, string>();
  for (const [size, { head, frontier }] of sound) {
    const previousSize = size - head.leafHashes.length;
    const previous = previousSize === 0 ? { frontier: EMPTY_FRONTIER } : sound.get(previousSize);
    if (head.leafHashes.length === 0 || !head.leafHashes.every((hash) => HEX64.test(hash)) || head.leafHashes.at(-1) !== head.leafHash) {
      findings.push({ kind: 'head-invalid', treeSize: size, detail: 'its list of added leaves is malformed' });
      continue;
    }
    if (!previous) continue;
    let extended = previous.frontier;
    for (const leaf of head.leafHashes) extended = await appendLeaf(extended, fromHex(leaf));
    if (extended.hashes.map(toHex).join() === frontier.hashes.map(toHex).join()) head.leafHashes.forEach((leaf, i) => committed.set(previousSize + i, leaf));
    else findings.push({ kind: 'head-invalid', treeSize: size, detail: 'its leaf hashes do not extend the previous head to this one' });
  }
  const positionOf = new Map([...committed].map(([index, hash]) => [hash, index]));

  const byIndex = new Map(records.map((row) => [row.leafIndex, row]));
  // A redacted row cannot be rehashed (its personal fields are gone); the log key's statement
  // vouches for its leaf hash instead, once the row is exactly what the statement says.
  const redactions = new Map<number, RedactionStatement>();
  // Rows whose redaction entry is wrong are named once, for that, and not again below.
  const badRedactions = new Set<number>();
  for (const row of records) {
    if (row.redaction === undefined) continue;
    const statement = await openRedaction(row.redaction, key);
    const mismatch = statement ? redactionMismatch(statement, row) : 'its redaction statement is not signed by the log key';
    if (statement && mismatch === null) {
      redactions.set(row.leafIndex, statement);
    } else {
      badRedactions.add(row.leafIndex);
      findings.push({ kind: statement ? 'changed' : 'redaction-invalid', leafIndex: row.leafIndex, recordId: row.record.recordId, detail: mismatch! });
    }
  }
  const recomputed = new Map<number, string>();
  for (const row of records) recomputed.set(row.leafIndex, redactions.get(row.leafIndex)?.leafHash ?? toHex(await recordLeafHash(row.record)));

  const unverifiable: Finding[] = [];
  for (let index = 0; index < maxSize; index++) {
    const row = byIndex.get(index);
    const expected = committed.get(index);
    if (!row) {
      findings.push({ kind: 'removed', leafIndex: index, detail: `no record at log position ${index}${expected ? ` (logged leaf ${expected})` : ''}` });
      continue;
    }
    const actual = recomputed.get(index)!;
    const recordId = row.record.recordId;
    if (badRedactions.has(index)) continue;
    if (expected === undefined) {
      unverifiable.push({ kind: 'unverifiable', leafIndex: index, recordId, detail: 'the heads around this position are missing or invalid' });
    } else if (actual === expected) {
      if (!redactions.has(index) && (row.recordJson !== canonicalRecord(row.record) || row.leafHash !== actual)) {
        findings.push({ kind: 'changed', leafIndex: index, recordId, detail: 'the stored JSON copy or leaf hash differs from the record’s columns' });
      }
    } else if (positionOf.has(actual)) {
      findings.push({ kind: 'reordered', leafIndex: index, recordId, detail: `holds the record logged at position ${positionOf.get(actual)}` });
    } else {
      findings.push({ kind: 'changed', leafIndex: index, recordId, detail: describeChange(row) });
    }
  }
  for (const row of records) {
    if (row.leafIndex >= maxSize || row.leafIndex < 0) {
      findings.push({ kind: 'unlogged', leafIndex: row.leafIndex, recordId: row.record.recordId, detail: 'no signed head covers this position' });
    }
  }

  // Positions whose own heads are gone can still be vouched for by the whole tree: if every
  // leaf recomputed from the rows gives the latest signed root, nothing in it was touched.
  const latest = sound.get(maxSize);
  if (unverifiable.length > 0) {
    const all = Array.from({ length: maxSize }, (_, index) => recomputed.get(index));
    const whole = latest && all.every((hash) => hash !== undefined) && toHex(await rootOf(all.map((hash) => fromHex(hash!)))) === latest.head.rootHash;
    if (!whole) findings.push(...unverifiable);
  }

  const latestSound = [...sound.keys()].sort((a, b) => a - b).at(-1);
  const compared = await compareOutside(
    {
      treeSize: latestSound ?? 0,
      empty: records.length === 0 && heads.length === 0,
      soundRoots: new Map([...sound].map(([size, { head }]) => [size, head.rootHash])),
      leafAt: (index) => committed.get(index) ?? recomputed.get(index),
      records: byIndex,
      removedReceipts: new Map([...redactions].map(([index, statement]) => [index, statement.receiptSha256])),
    },
    outside,
    key,
  );
  findings.push(...compared.findings);
  findings.sort((a, b) => (a.leafIndex ?? a.treeSize ?? 0) - (b.leafIndex ?? b.treeSize ?? 0));
  return {
    ok: findings.length === 0,
    treeSize: latestSound ?? 0,
    rootHash: latestSound === undefined ? null : sound.get(latestSound)!.head.rootHash,
    recordCount: records.length,
    headCount: heads.length,
    witnessedSize: compared.witnessedSize,
    findings,
    redacted: [...redactions.values()].map(({ leafIndex, recordId, redactedAt, rule, reason }) => ({ leafIndex, recordId, redactedAt, rule, reason })),
  };
}

/** Names the columns that no longer match the row's own JSON copy, when the copy is intact. */
function describeChange(row: LedgerRecordRow): string {
  if (row.recordJson === '' && row.redaction === undefined) return 'the record no longer hashes to the logged leaf; its data was removed without a signed redaction entry';
  try {
    const copy = JSON.parse(row.recordJson) as Record<string, unknown>;
    const fields = Object.keys({ ...copy, ...row.record }).filter((field) => JSON.stringify(copy[field] ?? null) !== JSON.stringify((row.record as Record<string, unknown>)[field] ?? null));
    if (fields.length > 0) return `the record no longer hashes to the logged leaf; changed: ${fields.join(', ')}`;
  } catch {
    // The copy itself is broken; the generic message below says enough.
  }
  return 'the record no longer hashes to the logged leaf';
}
