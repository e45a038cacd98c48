import path from 'node:path';
import type { AuditReport } from '../domain/ledger-audit.ts';
import { ManifestSchema } from '../domain/manifest.ts';
import { STATE_BASE, withBenchWorker } from './lib/bench-worker.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { root } from './lib/run.ts';
import { formatTable } from './lib/table.ts';

export interface AcceptanceBenchOptions {
  /** Acceptances per Worker. */
  requests: number;
  /** Concurrent keep-alive connections. */
  connections: number;
}

/** The bench-only Worker that stores the body in D1 and nothing else (src/cli/bare-d1-worker). */
const BARE_CONFIG = path.join(root, 'src/cli/bare-d1-worker/wrangler.toml');

/** Rate limits high enough that the run measures the acceptance path, not 429s. */
const RAISED_LIMITS = {
  ACCEPTANCE_RATE_LIMIT_PER_IP: String(1_000_000_000),
  ACCEPTANCE_RATE_LIMIT_PER_EMAIL: String(1_000_000_000),
};

/**
 * Acceptances/s and latency of `POST /api/acceptances` on the built Worker (`wrangler dev`,
 * local D1 in a temp dir, throwaway signing key), then the same load on a bare D1-insert
 * Worker in the same run; prints both and their ratio, and checks afterwards that the
 * acceptance log is intact (admin verify endpoint). Expects `dist/` to be built.
 */
export async function benchAcceptances(options: AcceptanceBenchOptions): Promise<void> {
  console.log(`\nAcceptances: ${options.requests} per Worker, ${options.connections} concurrent keep-alive connections (wrangler dev, local D1 in ${STATE_BASE})\n`);
  const real = await withBenchWorker({ name: 'acceptances', vars: RAISED_LIMITS }, async (server, secrets) => {
    const manifest = ManifestSchema.parse(await (await fetch(`${server.url}/manifest.json`)).json());
    const current = manifest.avvVersions.find((version) => version.version === manifest.currentAvvVersion);
    if (!current) throw new Error('the built site has no current AVV version to accept');
    const body = (index: number) =>
      JSON.stringify({
        avvVersion: current.version,
        documentSha256: current.documentSha256,
        wordingVersion: manifest.acceptanceWording.version,
        companyName: `Bench Kunde ${index} GmbH`,
        companyAddress: `Benchstraße ${index}\n10115 Berlin`,
        signerName: `Bench Signer ${index}`,
        signerRole: 'Geschäftsführung',
        signerEmail: `bench-${index}@bench.example`,
        accountId: `BENCH-${index}`,
        authorised: true,
        lang: 'de',
      });
    const run = (count: number, offset: number) =>
      runLoad({
        url: server.url,
        path: '/api/acceptances',
        requests: count,
        connections: options.connections,
        build: (index) => ({
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            origin: server.url,
            'idempotency-key': `bench-${offset + index}-${process.pid}`,
          },
          body: body(offset + index),
        }),
        okStatus: (status) => status === 201,
      });
    // Warm-up: compiles the Worker's code paths and creates D1's file before timing.
    await run(Math.min(200, options.connections * 2), 1_000_000);
    const result = await run(options.requests, 0);
    const audit = await ledgerAudit(server.url, secrets.ADMIN_TOKEN);
    return { result, audit };
  });
  const bare = await withBenchWorker({ name: 'bare-d1', config: BARE_CONFIG }, async (server) => {
    const run = (count: number) =>
      runLoad({
        url: server.url,
        path: '/',
        requests: count,
        connections: options.connections,
        build: (index) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyName: `Bench Kunde ${index} GmbH`, signerEmail: `bench-${index}@bench.example` }) }),
        okStatus: (status) => status === 201,
      });
    await run(Math.min(200, options.connections * 2));
    return { result: await run(options.requests) };
  });

  const row = (name: string, r: LoadResult) => [name, r.ok, Object.entries(r.failures).map(([status, count]) => `${status}×${count}`).join(' ') || '0', r.seconds, Math.round(r.perSecond), round1(r.p50Ms), round1(r.p99Ms)];
  console.log(
    formatTable(
      ['Worker', 'stored', 'failed', 'seconds', 'per second', 'p50 ms', 'p99 ms'],
      [row('acceptances (POST /api/acceptances)', real.result), row('bare D1 insert (bench only)', bare.result)],
    ),
  );
  for (const [name, r] of [['acceptances', real.result], ['bare', bare.result]] as const) {
    console.log(`  ${name} per second by quarter of the run: ${r.quarterRates.map((rate) => Math.round(rate)).join(' / ')}`);
    if (r.firstFailure) console.log(`  first failure (${name}): ${r.firstFailure}`);
  }
  const ratio = bare.result.perSecond > 0 ? real.result.perSecond / bare.result.perSecond : 0;
  const p99Ratio = real.result.p99Ms / bare.result.p99Ms;
  console.log(`\nacceptances/s ÷ bare inserts/s = ${ratio.toFixed(2)} (goal ≥ 1.00: ${ratio >= 1 ? 'met' : 'NOT met'})`);
  console.log(`p50 acceptances ÷ bare = ×${(real.result.p50Ms / bare.result.p50Ms).toFixed(2)}; p99 acceptances ÷ bare = ×${p99Ratio.toFixed(2)} (goal ≤ 1.50: ${p99Ratio <= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`ledger after the run (incl. warm-up): ${real.audit}`);
}

/** GET /api/ledger/verify (admin): one line saying whether the log is intact and how long it is. */
async function ledgerAudit(url: string, adminToken: string): Promise<string> {
  const response = await fetch(`${url}/api/ledger/verify`, { headers: { authorization: `Bearer ${adminToken}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /api/ledger/verify answered ${response.status}: ${text.slice(0, 500)}`);
  const report = JSON.parse(text) as AuditReport;
  const verdict = report.ok ? 'intact' : `NOT intact (${report.findings.length} findings, first: ${JSON.stringify(report.findings[0])})`;
  const perCheckpoint = report.headCount > 0 ? (report.recordCount / report.headCount).toFixed(1) : '0';
  return `${verdict}; ${report.recordCount} record rows under ${report.headCount} signed checkpoints (${perCheckpoint} per group commit), signed tree size ${report.treeSize}, witnessed up to ${report.witnessedSize ?? '(no witness)'}, root ${report.rootHash ?? '(empty)'}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
