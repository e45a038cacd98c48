import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { logOrigin, type LogKey } from '../domain/acceptance-log.ts';
import { auditLedger, type AuditReport } from '../domain/ledger-audit.ts';
import { INSERT_LEDGER_VERIFICATION, ledgerHeadRow, ledgerRecordRow, ledgerVerificationValues, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS } from '../domain/ledger-rows.ts';
import { inLogOrder, ledgerDeclarationRow, SELECT_LEDGER_DECLARATIONS } from '../domain/declaration-rows.ts';
import { readWitness, type WitnessBucket } from '../domain/ledger-witness.ts';
import { ManifestSchema } from '../domain/manifest.ts';
import { importSigningKey } from '../domain/signing-key.ts';
import { DEV_VARS_PATH, parseDevVars } from './lib/dev-secrets.ts';
import { root } from './lib/run.ts';
import { LOCAL_STATE_DIR } from './lib/wrangler.ts';

/** Where the log comes from: the local D1 and R2 of `npm start`, or bindings in tests. */
export interface LedgerSource {
  query<T>(sql: string): Promise<T[]>;
  /** The witness bucket (LEDGER_WITNESS). */
  witness: WitnessBucket;
}

/** Where a run's result is kept: the D1 the run audited (its `ledger_verifications`, which the console reads). */
export interface VerificationLog {
  run(sql: string, values: readonly (string | number | null)[]): Promise<void>;
}

/** Who a local run is, in the console's list of runs (a run via --url is stored by the endpoint as "admin-token"). */
export const LOCAL_VERIFICATION_ACTOR = 'npm run ledger:verify (local)';

/** Stores a local run as the admin endpoints store theirs, so the console's "last verification" shows it. */
export async function recordLocalVerification(log: VerificationLog, report: AuditReport, at = new Date()): Promise<void> {
  await log.run(INSERT_LEDGER_VERIFICATION, ledgerVerificationValues(report, LOCAL_VERIFICATION_ACTOR, at));
}

/**
 * The audit over every stored row, against the witness and any handed-in checkpoints: the core
 * of `npm run ledger:verify`.
 */
export async function verifyLedger(source: LedgerSource, key: LogKey, checkpoints: string[] = []): Promise<AuditReport> {
  const [records, declarations, heads, witness] = await Promise.all([
    source.query<unknown>(SELECT_LEDGER_RECORDS),
    source.query<unknown>(SELECT_LEDGER_DECLARATIONS),
    source.query<unknown>(SELECT_LEDGER_HEADS),
    readWitness(source.witness),
  ]);
  return auditLedger(inLogOrder(records.map(ledgerRecordRow), declarations.map(ledgerDeclarationRow)), heads.map(ledgerHeadRow), key, { witness, checkpoints });
}

/**
 * The report as the CLI prints it: a summary line, one line per finding (tampering), then one
 * line per lawfully redacted record (not a finding: its signed statement and row agree).
 */
export function formatReport(report: AuditReport): string {
  const witnessed = report.witnessedSize === null ? '' : `, witnessed up to ${report.witnessedSize}`;
  const redacted = report.redacted.length > 0 ? ` (${report.redacted.length} redacted)` : '';
  const lines = [
    report.ok
      ? `Ledger intact: ${report.recordCount} record(s)${redacted}, tree size ${report.treeSize}${report.rootHash ? `, root ${report.rootHash}` : ''}${witnessed}.`
      : `Ledger TAMPERED: ${report.findings.length} finding(s) over ${report.recordCount} record(s)${redacted}; latest signed tree size ${report.treeSize}${witnessed}.`,
  ];
  for (const finding of report.findings) {
    const where = finding.leafIndex !== undefined ? `record #${finding.leafIndex}${finding.recordId ? ` (${finding.recordId})` : ''}` : finding.treeSize !== undefined ? `head of size ${finding.treeSize}` : 'outside copy';
    lines.push(`  ${finding.kind.toUpperCase().padEnd(12)} ${where}: ${finding.detail}`);
  }
  for (const record of report.redacted) {
    lines.push(`  ${'REDACTED'.padEnd(12)} record #${record.leafIndex} (${record.recordId}): on ${record.redactedAt} under rule ${record.rule}: ${record.reason}`);
  }
  return lines.join('\n');
}

/** The D1 and R2 that `npm start` (wrangler dev) persists, opened with the same Miniflare. */
export async function localLedger<T>(use: (source: LedgerSource & VerificationLog) => Promise<T>, persistTo = LOCAL_STATE_DIR): Promise<T> {
  const config = await readFile(path.join(root, 'wrangler.toml'), 'utf8');
  // The blocks of the DB and LEDGER_WITNESS bindings (wrangler keys local state by these ids).
  const databaseId = /binding\s*=\s*"DB"[^[]*?database_id\s*=\s*"([^"]+)"/.exec(config)?.[1];
  const bucketName = /binding\s*=\s*"LEDGER_WITNESS"[^[]*?bucket_name\s*=\s*"([^"]+)"/.exec(config)?.[1];
  if (!databaseId || !bucketName) throw new Error('wrangler.toml names no D1 database_id or R2 bucket_name');
  const mf = new Miniflare(
    convertV4MiniflareOptions({ modules: true, script: 'export default {}', resourcePersistencePath: path.join(persistTo, 'v3'), d1Databases: { DB: databaseId }, r2Buckets: { LEDGER_WITNESS: bucketName } }),
  );
  try {
    const db = await mf.getD1Database('DB');
    const witness = (await mf.getR2Bucket('LEDGER_WITNESS')) as unknown as WitnessBucket;
    return await use({
      query: async <R>(sql: string) => (await db.prepare(sql).all<R>()).results,
      witness,
      run: async (sql, values) => {
        await db.prepare(sql).bind(...values).run();
      },
    });
  } finally {
    await mf.dispose();
  }
}

/** A checkpoint file: the signed note itself, or a receipt JSON that carries one. */
export function checkpointOf(text: string, file: string): string {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return text;
  const checkpoint = (JSON.parse(trimmed) as { checkpoint?: unknown }).checkpoint;
  if (typeof checkpoint !== 'string') throw new Error(`${file} is JSON without a "checkpoint" (expected a receipt or a signed checkpoint note)`);
  return checkpoint;
}

/** The key of the local deployment: RECEIPT_SIGNING_KEY from .dev.vars, named after the built site. */
async function localKey(): Promise<LogKey> {
  if (!existsSync(DEV_VARS_PATH)) throw new Error(`${DEV_VARS_PATH} is missing: run npm start once (it creates the development secrets).`);
  const secret = parseDevVars(await readFile(DEV_VARS_PATH, 'utf8')).RECEIPT_SIGNING_KEY;
  if (!secret) throw new Error(`${DEV_VARS_PATH} has no RECEIPT_SIGNING_KEY: run npm start once.`);
  const manifestPath = path.join(root, 'dist/client/manifest.json');
  if (!existsSync(manifestPath)) throw new Error('dist/client/manifest.json is missing: run npm start (or npm run build) first.');
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  return { ...(await importSigningKey(secret)), name: logOrigin(manifest.siteUrl) };
}

/** The admin endpoint of a running deployment does the same audit next to its D1. */
async function remoteReport(url: string, token: string, checkpoints: string[]): Promise<AuditReport> {
  const endpoint = new URL('/api/ledger/verify', url);
  for (const checkpoint of checkpoints) endpoint.searchParams.append('checkpoint', checkpoint);
  const response = await fetch(endpoint, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/ledger/verify answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as AuditReport;
}

// `npm run ledger:verify [-- --url https://… --token …] [--persist-to DIR] [--checkpoint FILE]… [--json]`
if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'persist-to': { type: 'string' },
      checkpoint: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  try {
    const checkpoints = await Promise.all((values.checkpoint ?? []).map(async (file) => checkpointOf(await readFile(file, 'utf8'), file)));
    let report: AuditReport;
    if (values.url) {
      const token = values.token ?? process.env.ADMIN_TOKEN;
      if (!token) throw new Error('--url needs --token or ADMIN_TOKEN in the environment.');
      report = await remoteReport(values.url, token, checkpoints);
    } else {
      const key = await localKey();
      report = await localLedger(async (source) => {
        const found = await verifyLedger(source, key, checkpoints);
        await recordLocalVerification(source, found);
        return found;
      }, values['persist-to'] ? path.resolve(values['persist-to']) : undefined);
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    process.exit(report.ok ? 0 : 1);
  } catch (error) {
    console.error(`ledger:verify: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
