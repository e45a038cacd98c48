import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { logOrigin, type LogKey } from '../domain/acceptance-log.ts';
import { auditLedger, type AuditReport } from '../domain/ledger-audit.ts';
import { ledgerHeadRow, ledgerRecordRow, SELECT_LEDGER_HEADS, SELECT_LEDGER_RECORDS, type AcceptanceRow, type HeadRow } from '../domain/ledger-rows.ts';
import { ManifestSchema } from '../domain/manifest.ts';
import { importSigningKey } from '../domain/signing-key.ts';
import { DEV_VARS_PATH, parseDevVars } from './lib/dev-secrets.ts';
import { binScript, root, toolEnv } from './lib/run.ts';
import { LOCAL_STATE_DIR } from './lib/wrangler.ts';

/** Where the rows come from: the local D1 of `npm start`, or a D1 binding in tests. */
export interface LedgerSource {
  query<T>(sql: string): Promise<T[]>;
}

/** The audit over every stored row: the core of `npm run ledger:verify`. */
export async function verifyLedger(source: LedgerSource, key: LogKey): Promise<AuditReport> {
  const [records, heads] = await Promise.all([source.query<AcceptanceRow>(SELECT_LEDGER_RECORDS), source.query<HeadRow>(SELECT_LEDGER_HEADS)]);
  return auditLedger(records.map(ledgerRecordRow), heads.map(ledgerHeadRow), key);
}

/** The report as the CLI prints it: a summary line, then one line per finding. */
export function formatReport(report: AuditReport): string {
  const lines = [
    report.ok
      ? `Ledger intact: ${report.recordCount} record(s), tree size ${report.treeSize}${report.rootHash ? `, root ${report.rootHash}` : ''}.`
      : `Ledger TAMPERED: ${report.findings.length} finding(s) over ${report.recordCount} record(s); latest signed tree size ${report.treeSize}.`,
  ];
  for (const finding of report.findings) {
    const where = finding.leafIndex !== undefined ? `record #${finding.leafIndex}${finding.recordId ? ` (${finding.recordId})` : ''}` : `head of size ${finding.treeSize}`;
    lines.push(`  ${finding.kind.toUpperCase().padEnd(12)} ${where}: ${finding.detail}`);
  }
  if (report.ok && report.treeSize > 0) {
    lines.push('  Compare the root with a published checkpoint or a receipt: removing the newest records leaves no trace in the database alone.');
  }
  return lines.join('\n');
}

/** `wrangler d1 execute DB --local --json`: rows of one query against the local D1. */
export function localD1(persistTo = LOCAL_STATE_DIR): LedgerSource {
  return {
    query: <T>(sql: string) =>
      new Promise<T[]>((resolve, reject) => {
        const args = ['d1', 'execute', 'DB', '--local', '--json', '--config', path.join(root, 'wrangler.toml'), '--persist-to', persistTo, '--command', sql];
        const child = spawn(process.execPath, [binScript('wrangler'), ...args], { cwd: root, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code !== 0) return reject(new Error(`wrangler d1 execute failed (exit ${code}):\n${stderr}${stdout}`));
          try {
            const [result] = JSON.parse(stdout) as Array<{ results: T[] }>;
            resolve(result?.results ?? []);
          } catch (error) {
            reject(new Error(`unexpected output of wrangler d1 execute: ${String(error)}\n${stdout.slice(0, 500)}`));
          }
        });
      }),
  };
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
async function remoteReport(url: string, token: string): Promise<AuditReport> {
  const response = await fetch(new URL('/api/ledger/verify', url), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/ledger/verify answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as AuditReport;
}

// `npm run ledger:verify [-- --url https://… --token …] [--persist-to DIR] [--json]`
if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'persist-to': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  try {
    let report: AuditReport;
    if (values.url) {
      const token = values.token ?? process.env.ADMIN_TOKEN;
      if (!token) throw new Error('--url needs --token or ADMIN_TOKEN in the environment.');
      report = await remoteReport(values.url, token);
    } else {
      report = await verifyLedger(localD1(values['persist-to'] ? path.resolve(values['persist-to']) : undefined), await localKey());
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    process.exit(report.ok ? 0 : 1);
  } catch (error) {
    console.error(`ledger:verify: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
