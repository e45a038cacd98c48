import { verifyCheckpoint, type NoteKey } from './checkpoint.ts';
import { fromHex, toHex } from './encoding.ts';
import type { Finding, LedgerRecordRow } from './ledger-audit.ts';
import type { UnreadableWitness, WitnessEntry } from './ledger-witness.ts';
import { appendLeaf, EMPTY_FRONTIER, frontierRoot } from './merkle.ts';
import { sha256Hex } from './sha256.ts';

/**
 * The half of the ledger audit that looks outside D1: an attacker who can edit the database
 * can delete its newest records with their heads, wipe it, restore an older state and append
 * anew, or swap receipt columns between rows — all of which leave a self-consistent database.
 * The signed checkpoints kept elsewhere (the witness bucket, a customer's receipt) cannot be
 * edited along with it, and each such edit contradicts one of them in a way named here.
 */
export interface OutsideCopies {
  /** What the witness bucket holds; undefined when no witness was checked. */
  witness?: { entries: WitnessEntry[]; unreadable: UnreadableWitness[] };
  /** Signed checkpoints handed in (`--checkpoint file`, `?checkpoint=`), e.g. from a receipt. */
  checkpoints?: string[];
}

/** What the D1 half of the audit established. */
export interface D1View {
  /** Size of the latest sound head. */
  treeSize: number;
  /** Neither records nor heads. */
  empty: boolean;
  /** Root (hex) of every sound head, by tree size. */
  soundRoots: Map<number, string>;
  /** Leaf hash (hex) D1 holds at a position: the committed one, else the one its row hashes to. */
  leafAt(index: number): string | undefined;
  records: Map<number, LedgerRecordRow>;
}

interface Signed {
  size: number;
  rootHash: string;
  /** "the witness" or "handed-in checkpoint 1". */
  source: string;
  entry?: WitnessEntry;
}

export async function compareOutside(d1: D1View, outside: OutsideCopies, key: NoteKey & { publicKey: CryptoKey }): Promise<{ findings: Finding[]; witnessedSize: number | null }> {
  const findings: Finding[] = [];
  const signed: Signed[] = [];

  for (const { key: object, problem } of outside.witness?.unreadable ?? []) findings.push({ kind: 'outside-invalid', detail: `witness object ${object}: ${problem}` });
  for (const entry of outside.witness?.entries ?? []) {
    const checkpoint = await verifyCheckpoint(entry.checkpoint, key);
    if (!checkpoint || checkpoint.size !== entry.treeSize || toHex(checkpoint.rootHash) !== entry.rootHash) {
      findings.push({ kind: 'outside-invalid', treeSize: entry.treeSize, detail: 'a witness object whose checkpoint is not signed by the log key for its size and root' });
    } else {
      signed.push({ size: entry.treeSize, rootHash: entry.rootHash, source: 'the witness', entry });
    }
  }
  const witnessedSize = outside.witness ? Math.max(0, ...signed.map((s) => s.size)) : null;
  for (const [index, note] of (outside.checkpoints ?? []).entries()) {
    const checkpoint = await verifyCheckpoint(note, key);
    if (!checkpoint) findings.push({ kind: 'outside-invalid', detail: `handed-in checkpoint ${index + 1} is not signed by the log key` });
    else signed.push({ size: checkpoint.size, rootHash: toHex(checkpoint.rootHash), source: `handed-in checkpoint ${index + 1}`, entry: undefined });
  }
  const real = signed.filter((s) => s.size > 0);

  // Beyond D1's end, outside copies can only be held against each other: two signed roots for one
  // size mean the log showed different histories to different people.
  const bySize = new Map<number, Signed>();
  for (const s of real) {
    if (s.size <= d1.treeSize) continue;
    const other = bySize.get(s.size);
    if (other && other.rootHash !== s.rootHash) findings.push({ kind: 'forked', treeSize: s.size, detail: `${other.source} and ${s.source} hold different signed roots for tree size ${s.size}` });
    else bySize.set(s.size, s);
  }

  const largest = Math.max(0, ...real.map((s) => s.size));
  if (d1.empty && largest > 0) {
    findings.push({ kind: 'wiped', treeSize: largest, detail: `D1 holds no records and no heads, but a signed checkpoint of tree size ${largest} exists (${real.find((s) => s.size === largest)!.source})` });
    return { findings, witnessedSize };
  }

  const truncatedAt = new Set<number>();
  const rootsNeeded = new Set<number>();
  for (const s of real) {
    if (s.size <= d1.treeSize) {
      if (!d1.soundRoots.has(s.size)) rootsNeeded.add(s.size);
      continue;
    }
    if (!s.entry) {
      findings.push({ kind: 'truncated', treeSize: s.size, detail: `${s.source} is signed for tree size ${s.size}; D1's log ends at ${d1.treeSize}` });
      continue;
    }
    for (const leaf of s.entry.leaves) {
      if (leaf.leafIndex < d1.treeSize || truncatedAt.has(leaf.leafIndex)) continue;
      truncatedAt.add(leaf.leafIndex);
      const where = d1.records.has(leaf.leafIndex) ? 'D1 still has a row here but no signed head covers it' : 'D1 has no such record';
      findings.push({ kind: 'truncated', leafIndex: leaf.leafIndex, recordId: leaf.recordId, detail: `logged in the witnessed checkpoint of size ${s.size}; D1's log ends at ${d1.treeSize} and ${where}` });
    }
  }

  // D1's root at each outside size that is not one of its own heads, in one pass over its leaves.
  const computed = new Map<number, string>();
  if (rootsNeeded.size > 0) {
    const upTo = Math.max(...rootsNeeded);
    let frontier = EMPTY_FRONTIER;
    for (let index = 0; index < upTo; index++) {
      const leaf = d1.leafAt(index);
      if (leaf === undefined) break;
      frontier = await appendLeaf(frontier, fromHex(leaf));
      if (rootsNeeded.has(frontier.size)) computed.set(frontier.size, toHex(await frontierRoot(frontier)));
    }
  }
  // Within D1's tree, each outside copy is held against D1's own root of that size.
  for (const s of real) {
    if (s.size > d1.treeSize) continue;
    const d1Root = d1.soundRoots.get(s.size) ?? computed.get(s.size);
    if (d1Root === undefined || d1Root === s.rootHash) continue;
    findings.push({ kind: 'forked', treeSize: s.size, detail: `${s.source} is signed for root ${s.rootHash} at tree size ${s.size}; D1's tree of that size has root ${d1Root}: D1 does not hold the log that was published` });
  }

  findings.push(...(await swappedReceipts(d1, real)));

  if (witnessedSize !== null) {
    for (const size of [...d1.soundRoots.keys()].sort((a, b) => a - b)) {
      if (size > witnessedSize) findings.push({ kind: 'unwitnessed', treeSize: size, detail: `the witness holds no checkpoint of tree size ${size} or later (its write failed, or the witness was edited)` });
    }
  }
  return { findings, witnessedSize };
}

/**
 * A receipt or capability key moved to another row keeps every evidence column intact, so only
 * the witness's bindings show it; rows the witness has no binding for are checked against the
 * receipt's own record.
 */
async function swappedReceipts(d1: D1View, signed: readonly Signed[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const bindings = new Map(signed.flatMap((s) => s.entry?.leaves ?? []).map((leaf) => [leaf.leafIndex, leaf]));
  const receiptOwner = new Map([...bindings.values()].map((leaf) => [leaf.receiptSha256, leaf.leafIndex]));
  const keyOwner = new Map([...bindings.values()].map((leaf) => [leaf.receiptKeySha256, leaf.leafIndex]));
  const owner = (owners: Map<string, number>, hash: string) => (owners.has(hash) ? `; it is the one issued for record #${owners.get(hash)}` : '');
  for (const [index, row] of d1.records) {
    if (row.receiptJson === undefined) continue;
    const recordId = row.record.recordId;
    const binding = bindings.get(index);
    if (binding && binding.recordId === recordId) {
      const receiptHash = await sha256Hex(row.receiptJson);
      if (receiptHash !== binding.receiptSha256) findings.push({ kind: 'swapped', leafIndex: index, recordId, detail: `receipt_json is not the receipt issued for this record${owner(receiptOwner, receiptHash)}` });
      // D1 holds only the key's hash, the very value the witness recorded (ledger-witness.ts).
      const keyHash = row.receiptKeySha256;
      if (typeof keyHash === 'string' && keyHash !== binding.receiptKeySha256) {
        findings.push({ kind: 'swapped', leafIndex: index, recordId, detail: `receipt_key_sha256 is not the hash of the key issued with this record${owner(keyOwner, keyHash)}` });
      }
    } else if (!binding) {
      let receipt: ReceiptShape | null = null;
      try {
        receipt = JSON.parse(row.receiptJson) as ReceiptShape;
      } catch {
        // Unparseable is as wrong as foreign.
      }
      if (receipt?.record?.recordId !== recordId || receipt?.leafIndex !== index) {
        findings.push({ kind: 'swapped', leafIndex: index, recordId, detail: 'receipt_json is not a receipt for this record' });
      }
    }
  }
  return findings;
}

/** The two members of a stored receipt that say which record it is for. */
interface ReceiptShape {
  record?: { recordId?: unknown };
  leafIndex?: unknown;
}
