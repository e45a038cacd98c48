import type { LogKey } from '../../src/domain/acceptance-log.ts';
import type { AcceptanceSubmission } from '../../src/domain/acceptance-record.ts';
import type { CheckedTerms } from '../../src/domain/declaration-check.ts';
import type { DeclarationSubmission } from '../../src/domain/declaration-record.ts';
import type { SequenceTiming } from './sequencer.ts';

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

/**
 * A declaration on a change (functions/objections.ts), checked against the manifest and the
 * customer's own window: the second record type of the same log.
 */
export interface NewDeclaration {
  submission: DeclarationSubmission;
  /** declarationFingerprint() of the submission. */
  fingerprint: string;
  idempotencyKey: string;
  /** The rule and this customer's window as checked (src/domain/declaration-check.ts). */
  checked: CheckedTerms;
  /** For a withdrawal: the record id it takes back. */
  withdraws: string | null;
  ipAddress: string | null;
  userAgent: string | null;
}

/** One append of either record type, as the sequencer takes it (no `type`: an acceptance, as before declarations). */
export type NewLogEntry = ({ type?: 'acceptance' } & NewAcceptance) | ({ type: 'declaration' } & NewDeclaration);

/**
 * D1 holds a shorter log than its witness in R2 already holds (restored from an older backup,
 * truncated): appending would fork the log, so the sequencer refuses until an operator looked.
 */
export class LogBehindWitnessError extends Error {
  override name = 'LogBehindWitnessError';
}

export interface StoredAcceptance {
  recordId: string;
  /**
   * The receipt capability (receipt-capability.ts), shown to the customer; D1 keeps only its
   * hash. Null only for a replay of a record from before migration 0013, whose key was random.
   */
  receiptKey: string | null;
  /** The signed receipt exactly as issued the first time. */
  receiptJson: string;
  /** True when the key was seen before and nothing was written. */
  replay: boolean;
  /** The sequencer's wall-time spans of this append, when they were asked for (Server-Timing). */
  timing?: SequenceTiming;
}

/** How an append is made: `timing` asks the sequencer for its Server-Timing spans. */
export interface AppendOptions {
  timing?: boolean;
}

/**
 * Stores an acceptance in the log through the log's sequencer (one Durable Object per log
 * origin, functions/acceptances/sequencer.ts), which commits it together with the appends that
 * arrived meanwhile: record rows, one signed head and the tree nodes in ONE D1 batch. A repeated
 * idempotency key returns the first receipt without writing. Any failure propagates; nothing was
 * stored then, the caller answers 503 and the client retries.
 */
export function storeAcceptance(env: Env, input: NewAcceptance, key: LogKey, options: AppendOptions = {}): Promise<StoredAcceptance> {
  return append(env, { type: 'acceptance', ...input }, key, options);
}

/** Stores a declaration in the same log, the same way (its receipt has the same shape). */
export function storeDeclaration(env: Env, input: NewDeclaration, key: LogKey, options: AppendOptions = {}): Promise<StoredAcceptance> {
  return append(env, { type: 'declaration', ...input }, key, options);
}

async function append(env: Env, input: NewLogEntry, key: LogKey, options: AppendOptions): Promise<StoredAcceptance> {
  const sequencer = env.ACCEPTANCE_SEQUENCER.get(env.ACCEPTANCE_SEQUENCER.idFromName(key.name));
  const result = await sequencer.append({ ...input, logName: key.name, ...(options.timing && { timing: true }) });
  if (result.kind === 'behind-witness') throw new LogBehindWitnessError(result.detail);
  if (result.kind === 'idempotency-conflict') throw new IdempotencyConflictError(`idempotency key ${input.idempotencyKey} was used for another submission`);
  return result.timing ? { ...result.stored, timing: result.timing } : result.stored;
}
