import { DurableObject } from 'cloudflare:workers';
import { appendRecords, headFrontier } from '../../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../../src/domain/acceptance-record.ts';
import { ledgerHeadRow, type HeadRow } from '../../src/domain/ledger-rows.ts';
import { witnessLeaf, witnessObjectName, writeWitness, WITNESS_FORMAT, type WitnessEntry } from '../../src/domain/ledger-witness.ts';
import { appendNodes, EMPTY_FRONTIER, type Frontier } from '../../src/domain/merkle.ts';
import { toBase64Url } from '../../src/domain/signing-key.ts';
import { groupCommitStatements, insertMissingNodes, latestHeadAndNodeCount, storedByKeys, storedLeaves, type RecordExtras, type StoredByKey } from './log-store.ts';
import type { NewAcceptance, StoredAcceptance } from './store.ts';
import { namedLogKey } from '../lib/log-key.ts';

/** One append as the Worker hands it to the sequencer. */
export interface SequenceRequest extends NewAcceptance {
  /** Log origin (the key name of its checkpoints); the sequencer is named after it. */
  logName: string;
}

export type SequenceResult = { kind: 'stored'; stored: StoredAcceptance } | { kind: 'idempotency-conflict' };

interface Pending {
  request: SequenceRequest;
  /** When the append reached the sequencer: the record's acceptedAt, non-decreasing in log order. */
  acceptedAt: string;
  resolve(result: SequenceResult): void;
  reject(error: unknown): void;
}

/**
 * Largest group commit. Rows travel as one JSON parameter per statement, so D1's limits on
 * bound parameters do not bind; this keeps one batch's statement well below D1's size limits
 * (about 2 kB per row) and one slow batch from holding too many requests.
 */
const MAX_BATCH = 200;
/** Attempts per batch when D1 refuses it because the head moved (another writer) or a key repeats. */
const MAX_ATTEMPTS = 4;

/**
 * The sequencer of one acceptance log (one object per log origin), as the certificate
 * transparency log on Workers (cloudflare/azul) sequences its pool: appends arriving from any
 * number of Worker isolates are queued in this one object; while one batch is being committed
 * the next one gathers, and each batch becomes one D1 transaction with one signed checkpoint
 * (group commit). Each caller gets its own receipt with an inclusion proof to that checkpoint.
 *
 * Durable Objects run one request handler at a time between awaits, so taking the queue
 * (`splice`) never races with adding to it. The head is kept in memory after the first load;
 * if anything else wrote to the log meanwhile, the triggers of migration 0010 refuse the batch
 * and the sequencer reloads and recomputes — correct even if two sequencers ever ran at once.
 */
export class AcceptanceSequencer extends DurableObject<Env> {
  #frontier: Frontier | undefined;
  #queue: Pending[] = [];
  #draining = false;
  /** Checkpoints committed to D1 whose witness write failed; retried before the next batch. */
  #unwitnessed: WitnessEntry[] = [];

  /** Appends one acceptance; resolves with its receipt once its batch is committed and witnessed. */
  append(request: SequenceRequest): Promise<SequenceResult> {
    return new Promise<SequenceResult>((resolve, reject) => {
      this.#queue.push({ request, acceptedAt: new Date().toISOString(), resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#draining = false;
    }
  }

  /** Commits one batch; settles every caller in it and never throws. */
  async #commit(batch: Pending[]): Promise<void> {
    let open = batch;
    for (let attempt = 1; open.length > 0; attempt++) {
      try {
        await this.#witnessBacklog();
        open = await this.#settleRepeats(open, attempt > 1);
        if (open.length === 0) return;
        await this.#write(open);
        return;
      } catch (error) {
        // The head moved or a key was used meanwhile: reload, sort out repeats, recompute.
        this.#frontier = undefined;
        if (attempt < MAX_ATTEMPTS && isConstraintViolation(error)) continue;
        console.error('acceptance batch not stored', error);
        for (const pending of open) pending.reject(new Error('the acceptance log could not be written; nothing was stored'));
        return;
      }
    }
  }

  /**
   * Answers appends whose idempotency key is already stored, or repeats an earlier append of
   * this batch, and returns the rest. The database is asked only after a batch was refused (a
   * unique key failed), so the common batch costs one D1 round trip.
   */
  async #settleRepeats(batch: Pending[], askDatabase: boolean): Promise<Pending[]> {
    const stored = new Map<string, StoredByKey>();
    if (askDatabase) for (const row of await storedByKeys(this.env.DB, batch.map((pending) => pending.request.idempotencyKey))) stored.set(row.idempotency_key, row);
    const firstOfKey = new Map<string, Pending>();
    const open: Pending[] = [];
    for (const pending of batch) {
      const { idempotencyKey, fingerprint } = pending.request;
      const existing = stored.get(idempotencyKey);
      const earlier = firstOfKey.get(idempotencyKey);
      if (existing) {
        pending.resolve(
          existing.submission_sha256 === fingerprint
            ? { kind: 'stored', stored: { recordId: existing.record_id, receiptKey: existing.receipt_key, receiptJson: existing.receipt_json, replay: true } }
            : { kind: 'idempotency-conflict' },
        );
      } else if (earlier) {
        // A double submit within one batch: answered with the first one's receipt once it is stored.
        const { resolve } = earlier;
        earlier.resolve = (result) => {
          resolve(result);
          if (result.kind !== 'stored') pending.resolve(result);
          else pending.resolve(earlier.request.fingerprint === fingerprint ? { kind: 'stored', stored: { ...result.stored, replay: true } } : { kind: 'idempotency-conflict' });
        };
        const { reject } = earlier;
        earlier.reject = (error) => {
          reject(error);
          pending.reject(error);
        };
      } else {
        firstOfKey.set(idempotencyKey, pending);
        open.push(pending);
      }
    }
    return open;
  }

  async #write(batch: Pending[]): Promise<void> {
    const { logName } = batch[0]!.request;
    const key = await namedLogKey(this.env, logName);
    const previous = this.#frontier ?? (await this.#load());
    const records = batch.map(({ request, acceptedAt }) => toRecord(request, acceptedAt));
    const commit = await appendRecords(previous, records, key, batch.map(({ request }) => request.documentUrl));
    const extras: RecordExtras[] = commit.records.map((appended, i) => ({
      record: records[i]!,
      fingerprint: batch[i]!.request.fingerprint,
      receiptKey: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
      receiptJson: JSON.stringify(appended.receipt),
    }));
    await this.env.DB.batch(groupCommitStatements(this.env.DB, commit, extras, batch.at(-1)!.acceptedAt));
    this.#frontier = headFrontier(commit.head);

    const witness: WitnessEntry = {
      format: WITNESS_FORMAT,
      treeSize: commit.head.treeSize,
      previousSize: previous.size,
      rootHash: commit.head.rootHash,
      checkpoint: commit.head.checkpoint,
      leaves: await Promise.all(commit.records.map((appended, i) => witnessLeaf(appended.leafIndex, records[i]!.recordId, appended.leafHash, extras[i]!.receiptJson, extras[i]!.receiptKey))),
    };
    try {
      await writeWitness(this.env.LEDGER_WITNESS, witness);
    } catch (error) {
      // The records are committed and their receipts valid; the audit names the checkpoint as
      // unwitnessed until a later batch manages to write it.
      console.error(`witness of tree size ${witness.treeSize} not written; retried with the next batch`, error);
      this.#unwitnessed.push(witness);
    }
    batch.forEach((pending, i) =>
      pending.resolve({ kind: 'stored', stored: { recordId: records[i]!.recordId, receiptKey: extras[i]!.receiptKey, receiptJson: extras[i]!.receiptJson, replay: false } }),
    );
  }

  async #witnessBacklog(): Promise<void> {
    while (this.#unwitnessed.length > 0) {
      const entry = this.#unwitnessed[0]!;
      try {
        await writeWitness(this.env.LEDGER_WITNESS, entry);
      } catch (error) {
        // Under a bucket lock a second write of an object that did arrive is refused: then it is there.
        const present = await this.env.LEDGER_WITNESS.head(witnessObjectName(entry.treeSize, entry.rootHash)).catch(() => null);
        if (!present) {
          console.error(`witness of tree size ${entry.treeSize} still not written`, error);
          return;
        }
      }
      this.#unwitnessed.shift();
    }
  }

  /**
   * Computes the inner tree nodes of a log written before migration 0010 (it has its leaves as
   * nodes only); proofs are served from them. Idempotent, and a no-op once they are there.
   */
  async fillTreeNodes(): Promise<void> {
    await this.#fillTreeNodes();
  }

  async #fillTreeNodes(): Promise<HeadRow | null> {
    const { head, nodes } = await latestHeadAndNodeCount(this.env.DB);
    if (nodes < nodeCount(head?.tree_size ?? 0)) {
      const { nodes: all } = await appendNodes(EMPTY_FRONTIER, await storedLeaves(this.env.DB));
      await insertMissingNodes(this.env.DB, all.filter((node) => node.level > 0));
    }
    return head;
  }

  /** The latest head from D1, with the tree nodes complete. */
  async #load(): Promise<Frontier> {
    const head = await this.#fillTreeNodes();
    this.#frontier = headFrontier(head ? ledgerHeadRow(head) : null);
    return this.#frontier;
  }
}

/** Nodes of a tree of n leaves: n leaves, n/2 pairs, … — 2n minus the set bits of n. */
function nodeCount(size: number): number {
  let count = 0;
  for (let width = 1; width <= size; width *= 2) count += Math.floor(size / width);
  return count;
}

function toRecord({ submission, idempotencyKey, wordingSha256, ipAddress, userAgent }: SequenceRequest, acceptedAt: string): AcceptanceRecord {
  return {
    format: RECORD_FORMAT,
    recordId: crypto.randomUUID(),
    acceptedAt,
    avvVersion: submission.avvVersion,
    documentSha256: submission.documentSha256,
    wordingVersion: submission.wordingVersion,
    wordingSha256,
    lang: submission.lang,
    companyName: submission.companyName,
    companyAddress: submission.companyAddress,
    signerName: submission.signerName,
    signerRole: submission.signerRole,
    signerEmail: submission.signerEmail,
    accountId: submission.accountId ?? null,
    ipAddress,
    userAgent,
    idempotencyKey,
  };
}

function isConstraintViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|stale head/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`);
}
