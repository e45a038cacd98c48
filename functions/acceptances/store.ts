import { appendRecord, headFrontier, type LogKey } from '../../src/domain/acceptance-log.ts';
import { RECORD_FORMAT, type AcceptanceRecord, type AcceptanceSubmission } from '../../src/domain/acceptance-record.ts';
import { toBase64Url } from '../../src/domain/signing-key.ts';
import { ledgerHeadRow, rowValues, type HeadRow } from '../../src/domain/ledger-rows.ts';

/** The same Idempotency-Key was used before for a different submission. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
}

export interface NewAcceptance {
  submission: AcceptanceSubmission;
  /** submissionFingerprint() of the submission. */
  fingerprint: string;
  idempotencyKey: string;
  wordingSha256: string;
  /** Absolute URL of the archived document the receipt links to. */
  documentUrl: string;
  ipAddress: string | null;
  userAgent: string | null;
}

export interface StoredAcceptance {
  recordId: string;
  receiptKey: string;
  /** The signed receipt exactly as issued the first time. */
  receiptJson: string;
  /** True when the key was seen before and nothing was written. */
  replay: boolean;
}

/** Appends computed from one head that lose to a concurrent append are recomputed this often. */
const MAX_ATTEMPTS = 6;
/** How long an append waits for the previous one in this isolate before going ahead anyway. */
const QUEUE_WAIT_MS = 2_000;

let queue: Promise<unknown> = Promise.resolve();

/**
 * The head this isolate wrote last (null: the log was empty; undefined: unknown). Appending
 * from it saves a read per acceptance; if another isolate appended meanwhile, the unique leaf
 * index fails the batch and the retry reads the real head. Never trusted for anything else.
 */
let lastHead: HeadRow | null | undefined;

/**
 * Appends in one isolate run one after the other, so they do not compute from the same head
 * and fail each other's batches. Across isolates the unique leaf index settles races. The wait
 * is bounded: a request that never finishes must not block the ones after it.
 */
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const previous = queue;
  const run = (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([previous, new Promise((resolve) => (timer = setTimeout(resolve, QUEUE_WAIT_MS)))]);
    clearTimeout(timer);
    return task();
  })();
  queue = run.catch(() => undefined);
  return run;
}

function isConstraintViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|stale head/i.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`);
}

interface ExistingRow {
  record_id: string;
  submission_sha256: string;
  receipt_key: string;
  receipt_json: string;
}

/**
 * Stores an acceptance and its log head in ONE D1 batch (one transaction): either both rows
 * exist or neither. A repeated idempotency key returns the first receipt without writing.
 * Any D1 failure propagates; the caller answers 503 and the client retries.
 */
export function storeAcceptance(db: D1Database, input: NewAcceptance, key: LogKey): Promise<StoredAcceptance> {
  return serialized(async () => {
    for (let attempt = 1; ; attempt++) {
      let head: HeadRow | null;
      if (attempt === 1 && lastHead !== undefined) {
        // A repeated key then fails the insert on the unique idempotency key; the retry below
        // reads and returns the first receipt.
        head = lastHead;
      } else {
        const [existing, latest] = await db.batch<ExistingRow | HeadRow>([
          db.prepare('SELECT record_id, submission_sha256, receipt_key, receipt_json FROM acceptances WHERE idempotency_key = ?').bind(input.idempotencyKey),
          db.prepare('SELECT tree_size, root_hash, leaf_hash, frontier, checkpoint FROM acceptance_log_heads ORDER BY tree_size DESC LIMIT 1'),
        ]);
        const previous = existing?.results[0] as ExistingRow | undefined;
        if (previous) {
          if (previous.submission_sha256 !== input.fingerprint) throw new IdempotencyConflictError(`idempotency key ${input.idempotencyKey} was used for another submission`);
          return { recordId: previous.record_id, receiptKey: previous.receipt_key, receiptJson: previous.receipt_json, replay: true };
        }
        head = (latest?.results[0] as HeadRow | undefined) ?? null;
      }
      const { submission } = input;
      const record: AcceptanceRecord = {
        format: RECORD_FORMAT,
        recordId: crypto.randomUUID(),
        acceptedAt: new Date().toISOString(),
        avvVersion: submission.avvVersion,
        documentSha256: submission.documentSha256,
        wordingVersion: submission.wordingVersion,
        wordingSha256: input.wordingSha256,
        lang: submission.lang,
        companyName: submission.companyName,
        companyAddress: submission.companyAddress,
        signerName: submission.signerName,
        signerRole: submission.signerRole,
        signerEmail: submission.signerEmail,
        accountId: submission.accountId ?? null,
        ipAddress: input.ipAddress,
        userAgent: input.userAgent,
        idempotencyKey: input.idempotencyKey,
      };
      const append = await appendRecord(headFrontier(head ? ledgerHeadRow(head) : null), record, key, input.documentUrl);
      const row = rowValues(record, append.leafIndex, append.recordJson, append.leafHash);
      const receiptKey = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const receiptJson = JSON.stringify(append.receipt);
      const columns = [...Object.keys(row), 'submission_sha256', 'receipt_key', 'receipt_json'];
      try {
        await db.batch([
          db
            .prepare(`INSERT INTO acceptances (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
            .bind(...Object.values(row), input.fingerprint, receiptKey, receiptJson),
          db
            .prepare('INSERT INTO acceptance_log_heads (tree_size, root_hash, leaf_hash, frontier, checkpoint, created_at) VALUES (?, ?, ?, ?, ?, ?)')
            .bind(append.head.treeSize, append.head.rootHash, append.head.leafHash, append.head.frontier, append.head.checkpoint, record.acceptedAt),
        ]);
        lastHead = { tree_size: append.head.treeSize, root_hash: append.head.rootHash, leaf_hash: append.head.leafHash, frontier: append.head.frontier, checkpoint: append.head.checkpoint };
        return { recordId: record.recordId, receiptKey, receiptJson, replay: false };
      } catch (error) {
        lastHead = undefined;
        // Another append (or the same key) won: recompute from what is stored now.
        if (isConstraintViolation(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  });
}
