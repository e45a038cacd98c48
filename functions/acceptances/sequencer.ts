import { DurableObject } from 'cloudflare:workers';
import { appendRecords, headFrontier } from '../../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord } from '../../src/domain/acceptance-record.ts';
import { DECLARATION_RECORD_FORMAT, type DeclarationRecord } from '../../src/domain/declaration-record.ts';
import type { LogRecord } from '../../src/domain/log-record.ts';
import { ledgerHeadRow, type HeadRow } from '../../src/domain/ledger-rows.ts';
import { witnessLeaf, witnessObjectName, writeWitness, WITNESS_FORMAT, WitnessEntrySchema, type WitnessEntry } from '../../src/domain/ledger-witness.ts';
import { appendNodes, EMPTY_FRONTIER, type Frontier } from '../../src/domain/merkle.ts';
import { groupCommitStatements, insertMissingNodes, latestHeadAndNodeCount, storedByKeys, storedLeaves, type RecordExtras, type StoredByKey } from './log-store.ts';
import type { NewAcceptance, NewDeclaration, NewLogEntry, StoredAcceptance } from './store.ts';
import { capabilityHash, receiptCapability, reissuedCapability } from './receipt-capability.ts';
import { newestWitnessed, type WitnessedMark } from './witness-mark.ts';
import { namedLogKey } from '../lib/log-key.ts';

/** One append as the Worker hands it to the sequencer. */
export type SequenceRequest = NewLogEntry & {
  /** Log origin (the key name of its checkpoints); the sequencer is named after it. */
  logName: string;
  /** The caller collects Server-Timing spans (functions/pipeline/server-timing.ts): answer with this append's. */
  timing?: boolean;
};

/**
 * Wall ms of one append inside the sequencer: waiting for its batch to start (the batch before
 * it committing), the batch's D1 transaction, and its witness write to R2 with the object's
 * own storage.
 */
export type SequenceTiming = Record<'sequencer-queue' | 'sequencer-d1' | 'sequencer-witness', number>;

export type SequenceResult = { kind: 'stored'; stored: StoredAcceptance; timing?: SequenceTiming } | { kind: 'idempotency-conflict' } | { kind: 'behind-witness'; detail: string };

interface Pending {
  request: SequenceRequest;
  /** When the append reached the sequencer: the record's acceptedAt, non-decreasing in log order. */
  acceptedAt: string;
  /** performance.now() then, for its timing. */
  arrived: number;
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
 * Keys in the object's own storage (ctx.storage). `unwitnessed:<size>`: a checkpoint committed
 * to D1 whose witness write failed, kept until R2 has it, so an evicted or restarted object still
 * writes it. `witnessed`: the newest witness object known, so the check that D1 is not behind
 * its witness lists only the objects written after it.
 */
const UNWITNESSED_PREFIX = 'unwitnessed:';
const WITNESSED_KEY = 'witnessed';
/** How soon an alarm retries a failed witness write when no append comes to do it. */
const WITNESS_RETRY_MS = 60_000;

/** D1's head is older than a checkpoint the witness holds: appending now would fork the log. */
class BehindWitnessError extends Error {
  override name = 'BehindWitnessError';
}

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
  /** Mirror of the `unwitnessed:` backlog in storage (loaded once); retried before each batch. */
  #unwitnessed: WitnessEntry[] | undefined;

  /** Appends one acceptance; resolves with its receipt once its batch is committed and witnessed. */
  append(request: SequenceRequest): Promise<SequenceResult> {
    return new Promise<SequenceResult>((resolve, reject) => {
      this.#queue.push({ request, acceptedAt: new Date().toISOString(), arrived: performance.now(), resolve, reject });
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
        if (error instanceof BehindWitnessError) {
          console.error('acceptance batch refused:', error.message);
          for (const pending of open) pending.resolve({ kind: 'behind-witness', detail: error.message });
          return;
        }
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
    const reissued = new Map<string, string | null>();
    for (const row of stored.values()) reissued.set(row.record_id, await reissuedCapability(this.env, row.record_id, row.receipt_key_sha256));
    const firstOfKey = new Map<string, Pending>();
    const open: Pending[] = [];
    for (const pending of batch) {
      const { idempotencyKey, fingerprint } = pending.request;
      const existing = stored.get(idempotencyKey);
      const earlier = firstOfKey.get(idempotencyKey);
      if (existing) {
        pending.resolve(
          existing.submission_sha256 === fingerprint
            ? { kind: 'stored', stored: { recordId: existing.record_id, receiptKey: reissued.get(existing.record_id) ?? null, receiptJson: existing.receipt_json, replay: true } }
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
    const started = performance.now();
    const { logName } = batch[0]!.request;
    const key = await namedLogKey(this.env, logName);
    const previous = this.#frontier ?? (await this.#load());
    const records = batch.map(({ request, acceptedAt }) => toRecord(request, acceptedAt));
    const commit = await appendRecords(previous, records, key, batch.map(({ request }) => (request.type === 'declaration' ? undefined : request.documentUrl)));
    const capabilities = await Promise.all(records.map((record) => receiptCapability(this.env, record.recordId)));
    const extras: RecordExtras[] = await Promise.all(
      commit.records.map(async (appended, i) => ({
        record: records[i]!,
        fingerprint: batch[i]!.request.fingerprint,
        receiptKeySha256: await capabilityHash(capabilities[i]!),
        receiptJson: JSON.stringify(appended.receipt),
      })),
    );
    const d1Started = performance.now();
    await this.env.DB.batch(groupCommitStatements(this.env.DB, commit, extras, batch.at(-1)!.acceptedAt));
    const witnessStarted = performance.now();
    this.#frontier = headFrontier(commit.head);

    const witness: WitnessEntry = {
      format: WITNESS_FORMAT,
      treeSize: commit.head.treeSize,
      previousSize: previous.size,
      rootHash: commit.head.rootHash,
      checkpoint: commit.head.checkpoint,
      leaves: await Promise.all(commit.records.map((appended, i) => witnessLeaf(appended.leafIndex, records[i]!.recordId, appended.leafHash, extras[i]!.receiptJson, extras[i]!.receiptKeySha256))),
    };
    try {
      await writeWitness(this.env.LEDGER_WITNESS, witness);
      await this.#markWitnessed(witness);
    } catch (error) {
      // The records are committed and their receipts valid; the audit names the checkpoint as
      // unwitnessed until the next batch or the alarm manages to write it — from storage, so
      // an evicted or restarted object does too.
      console.error(`witness of tree size ${witness.treeSize} not written; kept in the sequencer's storage and retried`, error);
      await this.#keepUnwitnessed(witness);
    }
    const witnessed = performance.now();
    batch.forEach((pending, i) =>
      pending.resolve({
        kind: 'stored',
        stored: { recordId: records[i]!.recordId, receiptKey: capabilities[i]!, receiptJson: extras[i]!.receiptJson, replay: false },
        ...(pending.request.timing && { timing: { 'sequencer-queue': started - pending.arrived, 'sequencer-d1': witnessStarted - d1Started, 'sequencer-witness': witnessed - witnessStarted } }),
      }),
    );
  }

  /** Retries the backlog when no append came along to do it. */
  override async alarm(): Promise<void> {
    await this.#witnessBacklog();
  }

  async #backlog(): Promise<WitnessEntry[]> {
    if (!this.#unwitnessed) {
      const stored = await this.ctx.storage.list({ prefix: UNWITNESSED_PREFIX });
      this.#unwitnessed = [...stored.values()].map((value) => WitnessEntrySchema.parse(value)).sort((a, b) => a.treeSize - b.treeSize);
    }
    return this.#unwitnessed;
  }

  async #keepUnwitnessed(entry: WitnessEntry): Promise<void> {
    const backlog = await this.#backlog();
    backlog.push(entry);
    await this.ctx.storage.put(unwitnessedKey(entry.treeSize), entry);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + WITNESS_RETRY_MS);
  }

  async #witnessBacklog(): Promise<void> {
    const backlog = await this.#backlog();
    while (backlog.length > 0) {
      const entry = backlog[0]!;
      try {
        await writeWitness(this.env.LEDGER_WITNESS, entry);
      } catch (error) {
        // Under a bucket lock a second write of an object that did arrive is refused: then it is there.
        const present = await this.env.LEDGER_WITNESS.head(witnessObjectName(entry.treeSize, entry.rootHash)).catch(() => null);
        if (!present) {
          console.error(`witness of tree size ${entry.treeSize} still not written`, error);
          if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + WITNESS_RETRY_MS);
          return;
        }
      }
      backlog.shift();
      await this.ctx.storage.delete(unwitnessedKey(entry.treeSize));
      await this.#markWitnessed(entry);
    }
  }

  /** Remembers the newest checkpoint known to be in the witness. */
  async #markWitnessed(entry: WitnessEntry): Promise<void> {
    const known = await this.ctx.storage.get<WitnessedMark>(WITNESSED_KEY);
    if (known && known.treeSize >= entry.treeSize) return;
    await this.ctx.storage.put(WITNESSED_KEY, { treeSize: entry.treeSize, key: witnessObjectName(entry.treeSize, entry.rootHash) } satisfies WitnessedMark);
  }

  /**
   * The largest tree size the witness holds (or this object still owes it): the mark in storage,
   * brought up to date by listing only the witness objects after it (names sort by size).
   */
  async #witnessedSize(): Promise<number> {
    const known = await this.ctx.storage.get<WitnessedMark>(WITNESSED_KEY);
    const newest = await newestWitnessed(this.env.LEDGER_WITNESS, known ?? null);
    if (newest && newest.key !== known?.key) await this.ctx.storage.put(WITNESSED_KEY, newest);
    const owed = (await this.#backlog()).at(-1)?.treeSize ?? 0;
    return Math.max(newest?.treeSize ?? 0, owed);
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

  /**
   * The latest head from D1, with the tree nodes complete — refused when D1 is behind its
   * witness (restored from an older backup, truncated): appending would fork the log.
   */
  async #load(): Promise<Frontier> {
    const head = await this.#fillTreeNodes();
    const size = head?.tree_size ?? 0;
    const witnessed = await this.#witnessedSize();
    if (size < witnessed) throw new BehindWitnessError(`D1 holds the log up to tree size ${size}, its witness up to ${witnessed}`);
    this.#frontier = headFrontier(head ? ledgerHeadRow(head) : null);
    return this.#frontier;
  }
}

function unwitnessedKey(treeSize: number): string {
  return `${UNWITNESSED_PREFIX}${String(treeSize).padStart(16, '0')}`;
}

/** Nodes of a tree of n leaves: n leaves, n/2 pairs, … — 2n minus the set bits of n. */
function nodeCount(size: number): number {
  let count = 0;
  for (let width = 1; width <= size; width *= 2) count += Math.floor(size / width);
  return count;
}

/** The evidence record of one append; `at` is when it reached the sequencer. */
function toRecord(request: SequenceRequest, at: string): LogRecord {
  return request.type === 'declaration' ? toDeclarationRecord(request, at) : toAcceptanceRecord(request, at);
}

function toDeclarationRecord({ submission, idempotencyKey, checked, withdraws, ipAddress, userAgent }: NewDeclaration, declaredAt: string): DeclarationRecord {
  return {
    format: DECLARATION_RECORD_FORMAT,
    recordId: crypto.randomUUID(),
    declaredAt,
    kind: submission.kind,
    changeId: submission.changeId,
    ...checked,
    withdraws,
    lang: submission.lang,
    companyName: submission.companyName,
    accountId: submission.accountId,
    signerName: submission.signerName,
    signerRole: submission.signerRole,
    signerEmail: submission.signerEmail,
    reason: submission.reason ?? null,
    ipAddress,
    userAgent,
    idempotencyKey,
  };
}

function toAcceptanceRecord({ submission, idempotencyKey, wordingSha256, ipAddress, userAgent }: NewAcceptance, acceptedAt: string): AcceptanceRecord {
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
  return error instanceof Error && /UNIQUE constraint failed|stale head/i.test(`${error.message} ${String(error.cause ?? '')}`);
}
