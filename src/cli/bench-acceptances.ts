import path from 'node:path';
import type { AuditReport } from '../domain/ledger-audit.ts';
import { ManifestSchema } from '../domain/manifest.ts';
import { STATE_BASE, withBenchWorker } from './lib/bench-worker.ts';
import { builtLocationOf, builtSourceOf } from './lib/built-sources.ts';
import { profileCpu, type CpuProfile, type FrameLabel } from './lib/cpu-profile.ts';
import { percentile, runLoad, type LoadResult } from './lib/load.ts';
import { processGroupCpuByCommand } from './lib/process-cpu.ts';
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

/** Rounds per Worker; they alternate between the two. */
const ROUNDS = 3;

/** Acceptances of the extra run (after the timed rounds) that is CPU-profiled for the breakdown. */
const PROFILED_REQUESTS = 1000;

/** Acceptances of the run with Server-Timing on, in a Worker of its own, for the wall-time breakdown. */
const SPANNED_REQUESTS = 1000;

/**
 * Where the CPU of an acceptance goes, by the project file its code was bundled from (first
 * match wins). Helpers several parts share (hashing, encodings, zod, D1's client) name no part:
 * their samples count to the caller's part, as do workerd's native calls.
 */
const CPU_PARTS: ReadonlyArray<[part: string, files: RegExp]> = [
  ['receipt mail (after the answer, waitUntil)', /^functions\/(acceptances\/(send-receipt-mail|receipt-mail)|mail\/)/],
  ['rate limit (middleware, RateLimitCounter object)', /^functions\/pipeline\/rate-limit/],
  ['sequencer: records, Merkle tree, signatures, D1 batch, R2 witness', /^(functions\/acceptances\/(sequencer|log-store|receipt-capability|witness-mark)|src\/domain\/(acceptance-log|merkle|receipt|checkpoint|ledger-witness|ledger-rows|declaration-rows|signed-note))\.ts$/],
  ['call to the sequencer (Worker side)', /^functions\/acceptances\/store\.ts$/],
  ['acceptance handler: terms, fingerprint, key, answer', /^(functions\/acceptances|functions\/lib|src\/domain|src\/lib|functions\/acceptances\.ts|functions\/published-manifest\.ts)/],
  ['body, content type, validation', /^(functions\/pipeline\/(body|validate)\.ts|node_modules\/@hono\/zod-validator)/],
  ['routing, middleware, response (Hono, security headers, same-origin check)', /^(node_modules\/hono|functions\/pipeline\/security-headers|functions\/lib\/same-origin|src\/worker|functions\/api|functions\/problem)/],
];
const SHARED_HELPERS = /^(src\/domain\/(encoding|sha256|canonical-json|acceptance-record|log-record|signing-key)\.ts|functions\/lib\/data-keys\.ts|node_modules\/zod\/|cloudflare-internal:|node-internal:)/;

/**
 * Rate limits high enough that the run measures the acceptance path, not 429s (the limiter
 * still counts every request). Server-Timing stays off, as in a deployment: the timed rounds
 * and the profile measure the Worker as it is deployed, not with the bench's instrumentation.
 */
const BENCH_VARS = {
  ACCEPTANCE_RATE_LIMIT_PER_IP: String(1_000_000_000),
  ACCEPTANCE_RATE_LIMIT_PER_EMAIL: String(1_000_000_000),
};

/** The same, with the Server-Timing spans of every acceptance (functions/pipeline/server-timing.ts) for the wall-time breakdown. */
const SPANNED_VARS = { ...BENCH_VARS, SERVER_TIMING: 'on' };

/** The figures the goals table of `npm run bench` repeats (src/cli/bench.ts). */
export interface AcceptanceBenchResult {
  /** Acceptances per second over all timed rounds, and the bare Worker's inserts per second. */
  perSecond: { acceptances: number; bare: number };
  /** Median over the rounds of acceptance p50 (p99) ÷ bare p50 (p99). */
  p50Ratio: number;
  p99Ratio: number;
  /** Concurrent keep-alive connections of the timed rounds. */
  connections: number;
  /** Whether the admin audit of the acceptance log found it intact after the run. */
  ledgerIntact: boolean;
}

/**
 * Acceptances/s and latency of `POST /api/acceptances` on the built Worker (`wrangler dev`,
 * local D1 in a temp dir, throwaway signing key) and of the same load on a bare D1-insert
 * Worker, both running side by side and loaded in alternating rounds; prints both, their
 * ratios against the goals, and whether the acceptance log is intact afterwards (admin verify
 * endpoint). Expects `dist/` to be built.
 */
export async function benchAcceptances(options: AcceptanceBenchOptions): Promise<AcceptanceBenchResult> {
  const perRound = Math.ceil(options.requests / ROUNDS);
  // Requests before any timing: they compile each Worker's code path and create D1's files.
  const warmUp = Math.min(200, options.connections * 2);
  console.log(
    `\nAcceptances: ${perRound * ROUNDS} per Worker in ${ROUNDS} alternating rounds, ${options.connections} concurrent keep-alive connections (wrangler dev, local D1 in ${STATE_BASE})\n`,
  );
  const { real, bare, profiled, bareProfiled, audit } = await withBenchWorker({ name: 'acceptances', vars: BENCH_VARS }, (server, secrets) =>
    withBenchWorker({ name: 'bare-d1', config: BARE_CONFIG }, async (bareServer) => {
      const runReal = await acceptanceLoad(server.url, options.connections);
      const runBare = (count: number) =>
        runLoad({
          url: bareServer.url,
          path: '/',
          requests: count,
          connections: options.connections,
          build: (index) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyName: `Bench Kunde ${index} GmbH`, signerEmail: `bench-${index}@bench.example` }) }),
          okStatus: (status) => status === 201,
        });
      await runReal(warmUp, 1_000_000);
      await runBare(warmUp);
      // Rounds alternate, so load from elsewhere on the machine falls on both Workers alike.
      const rounds: Array<{ real: Measured; bare: Measured }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        rounds.push({ real: await withCpu(server.child.pid, () => runReal(perRound, round * perRound)), bare: await withCpu(bareServer.child.pid, () => runBare(perRound)) });
      }
      const profiled = server.inspectorPort === undefined ? null : await profileCpu(server.inspectorPort, cpuPartOf(), () => runReal(PROFILED_REQUESTS, ROUNDS * perRound), functionLabel());
      // The same for the bare Worker: none of its frames is the trust center's, so it is one total.
      const bareProfiled = bareServer.inspectorPort === undefined ? null : await profileCpu(bareServer.inspectorPort, () => undefined, () => runBare(PROFILED_REQUESTS));
      return { real: rounds.map((r) => r.real), bare: rounds.map((r) => r.bare), profiled, bareProfiled, audit: await ledgerAudit(server.url, secrets.ADMIN_TOKEN) };
    }),
  );
  // Spans cost the Worker CPU (a header per answer, timers in the sequencer), so they come from
  // a Worker of their own after the timed rounds, never from the Worker being compared.
  const spans = new Map<string, number[]>();
  const spannedRun = await withBenchWorker({ name: 'acceptances-spans', vars: SPANNED_VARS }, async (server) => {
    const runSpanned = await acceptanceLoad(server.url, options.connections);
    await runSpanned(warmUp, 1_000_000);
    return runSpanned(SPANNED_REQUESTS, 0, spans);
  });

  const row = (name: string, r: Measured) => [
    name,
    r.ok,
    Object.entries(r.failures).map(([status, count]) => `${status}×${count}`).join(' ') || '0',
    r.seconds,
    Math.round(r.perSecond),
    round1(r.p50Ms),
    round1(r.p99Ms),
    r.cpuMsPerRequest === null ? '' : round1(r.cpuMsPerRequest.workerd),
    r.cpuMsPerRequest === null ? '' : round1(r.cpuMsPerRequest.wrangler),
  ];
  console.log(
    formatTable(
      ['Worker, round', 'stored', 'failed', 'seconds', 'per second', 'p50 ms', 'p99 ms', 'workerd CPU ms per request', 'wrangler CPU ms per request'],
      real.flatMap((r, i) => [row(`acceptances (POST /api/acceptances), ${i + 1}`, r), row(`bare D1 insert (bench only), ${i + 1}`, bare[i]!)]),
    ),
  );
  for (const [name, results] of [['acceptances', real], ['bare', bare]] as const) {
    for (const r of results) if (r.firstFailure) console.log(`  first failure (${name}): ${r.firstFailure}`);
  }
  const perSecond = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.ok, 0) / results.reduce((sum, r) => sum + r.seconds, 0);
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const ratio = perSecond(real) / perSecond(bare);
  const p50Ratio = median(real.map((r, i) => r.p50Ms / bare[i]!.p50Ms));
  const p99Ratio = median(real.map((r, i) => r.p99Ms / bare[i]!.p99Ms));
  console.log(`\nacceptances ${Math.round(perSecond(real))}/s, bare inserts ${Math.round(perSecond(bare))}/s over all rounds`);
  console.log(`acceptances/s ÷ bare inserts/s = ${ratio.toFixed(2)} (goal ≥ 1.00: ${ratio >= 1 ? 'met' : 'NOT met'})`);
  console.log(`median over rounds: p50 acceptances ÷ bare = ×${p50Ratio.toFixed(2)}; p99 acceptances ÷ bare = ×${p99Ratio.toFixed(2)} (goal ≤ 1.50: ${p99Ratio <= 1.5 ? 'met' : 'NOT met'})`);
  const cpu = (results: Measured[]) => (results.every((r) => r.cpuMsPerRequest !== null) ? results.reduce((sum, r) => sum + r.cpuMsPerRequest!.workerd, 0) / results.length : null);
  const [realCpu, bareCpu] = [cpu(real), cpu(bare)];
  if (realCpu !== null && bareCpu !== null) {
    console.log(`workerd CPU per request (the Worker, its Durable Objects, local D1): acceptance ${round1(realCpu)} ms, bare insert ${round1(bareCpu)} ms (×${(realCpu / bareCpu).toFixed(2)}); on a machine with no core to spare, throughput follows this ratio`);
  }
  printWallBreakdown(spans, spannedRun);
  if (profiled) printCpuBreakdown(profiled.profile, profiled.result);
  if (bareProfiled) {
    const { profile, result } = bareProfiled;
    console.log(`bare D1 insert Worker, profiled the same way over ${result.requests} more inserts at ${loadSummary(result)}: isolate busy ${round2(profile.busyMs / result.requests)} ms per insert (${((100 * profile.busyMs) / profile.spanMs).toFixed(0)} % of the run's wall time)`);
  }
  console.log(`ledger after the run (incl. warm-up and the profiled run): ${audit.line}`);
  return { perSecond: { acceptances: perSecond(real), bare: perSecond(bare) }, p50Ratio, p99Ratio, connections: options.connections, ledgerIntact: audit.intact };
}

/** What each Server-Timing span of an acceptance measures (functions/pipeline/server-timing.ts, sequencer.ts). */
const SPAN_MEANINGS: Readonly<Record<string, string>> = {
  total: 'in the Worker, from the first middleware to the answer',
  'rate-limit': 'call to the RateLimitCounter object',
  sequencer: 'call to the sequencer, until its batch is committed and witnessed',
  'sequencer-queue': '  in it: waiting for the batch to start (the one before committing)',
  'sequencer-d1': '  in it: the D1 transaction of its batch',
  'sequencer-witness': '  in it: the witness object to R2, the mark in the storage of the object',
};

/** Wall time per acceptance in the run with Server-Timing on, by span. */
function printWallBreakdown(spans: Map<string, number[]>, run: LoadResult): void {
  if (spans.size === 0) return;
  console.log(
    `\nWhere the wall time of an acceptance goes (Server-Timing of ${run.ok} acceptances at ${loadSummary(run)}, in a Worker of their own with SERVER_TIMING on, after the timed rounds; the rest of the latency is waiting for the Worker's turn on a core):\n`,
  );
  const rows = Object.keys(SPAN_MEANINGS)
    .filter((name) => spans.has(name))
    .map((name) => {
      const values = [...spans.get(name)!].sort((a, b) => a - b);
      return [name, SPAN_MEANINGS[name]!, round1(values.reduce((sum, value) => sum + value, 0) / values.length), round1(percentile(values, 0.5)), round1(percentile(values, 0.99))];
    });
  console.log(formatTable(['span', 'what', 'mean ms', 'p50 ms', 'p99 ms'], rows));
}

/** Names the part of an acceptance a profiled frame belongs to (CPU_PARTS), or undefined to count it to its caller. */
function cpuPartOf(): (frame: Parameters<Parameters<typeof profileCpu>[1]>[0]) => string | undefined {
  const sourceOf = builtSourceOf(path.join(root, 'dist/server'));
  return (frame) => {
    const source = sourceOf(frame);
    if (source === undefined || SHARED_HELPERS.test(source)) return undefined;
    return CPU_PARTS.find(([, files]) => files.test(source))?.[0] ?? `other: ${source.replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*/, '$1')}`;
  };
}

/** Names a profiled frame by the project file and line it was bundled from and its function. */
function functionLabel(): FrameLabel {
  const locationOf = builtLocationOf(path.join(root, 'dist/server'));
  return (frame) => {
    const location = locationOf(frame);
    return location && `${location.source}${location.line > 0 ? `:${location.line}` : ''} ${frame.functionName || '(anonymous)'}`;
  };
}

/** Hot spots shown per part: the most expensive ones, down to a floor below which they are noise. */
const HOT_SPOTS_PER_PART = 6;
const HOT_SPOT_FLOOR_MS = 0.02;

/** The profiled run: its rate, and the isolate's sampled time per acceptance by part. */
function printCpuBreakdown(profile: CpuProfile, run: LoadResult): void {
  const requests = run.ok + Object.values(run.failures).reduce((sum, count) => sum + count, 0);
  console.log(
    `\nWhere the CPU of an acceptance goes: V8 profile of the trust center Worker's isolate (the Worker and its Durable Objects; local D1 and R2 run in Miniflare's own isolates) over ${requests} more acceptances at ${loadSummary(run)}.`,
  );
  console.log('Sampled time includes waiting for a core on a loaded machine; the shares are the figure to compare.\n');
  const rows = [...profile.byCategory]
    .map(([part, ms]) => [part === 'other' ? 'workerd itself (no script frame: HTTP, Durable Object calls, I/O callbacks)' : part, ms] as const)
    .sort((a, b) => b[1] - a[1]);
  console.log(
    formatTable(
      ['part', 'ms per acceptance', 'share'],
      [...rows.map(([part, ms]) => [part, round2(ms / requests), `${((100 * ms) / profile.busyMs).toFixed(1)} %`]), ['isolate busy in total', round2(profile.busyMs / requests), `${((100 * profile.busyMs) / profile.spanMs).toFixed(0)} % of the run's wall time`]],
    ),
  );
  // The parts say which code path; these say which function in it (a native call after →).
  console.log(`\nHot spots per part (innermost function of the project or a library; native calls after →; at most ${HOT_SPOTS_PER_PART} per part, from ${HOT_SPOT_FLOOR_MS} ms per acceptance):\n`);
  const spots = [...profile.byCategory]
    .sort((a, b) => b[1] - a[1])
    .flatMap(([part]) =>
      [...(profile.byHotSpot.get(part) ?? [])]
        .filter(([, ms]) => ms / requests >= HOT_SPOT_FLOOR_MS)
        .sort((a, b) => b[1] - a[1])
        .slice(0, HOT_SPOTS_PER_PART)
        .map(([spot, ms]) => [part === 'other' ? 'workerd itself' : part.replace(/ \(.*$/, ''), spot, round2(ms / requests)]),
    );
  console.log(formatTable(['part', 'function', 'ms per acceptance'], spots));
}

function loadSummary(run: LoadResult): string {
  return `${Math.round(run.perSecond)}/s, p50 ${round1(run.p50Ms)} ms, p99 ${round1(run.p99Ms)} ms`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A round's load result with the CPU the Worker's `wrangler dev` spent on it, per request: workerd, and wrangler's own Node process. */
interface Measured extends LoadResult {
  cpuMsPerRequest: { workerd: number; wrangler: number } | null;
}

async function withCpu(pid: number | undefined, run: () => Promise<LoadResult>): Promise<Measured> {
  const before = pid === undefined ? null : await processGroupCpuByCommand(pid);
  const result = await run();
  const after = pid === undefined ? null : await processGroupCpuByCommand(pid);
  const requests = result.ok + Object.values(result.failures).reduce((sum, count) => sum + count, 0);
  if (before === null || after === null || requests === 0) return { ...result, cpuMsPerRequest: null };
  const spent = (commands: string[]) => (commands.reduce((sum, command) => sum + (after[command] ?? 0) - (before[command] ?? 0), 0) * 1000) / requests;
  const others = Object.keys(after).filter((command) => command !== 'workerd');
  return { ...result, cpuMsPerRequest: { workerd: spent(['workerd']), wrangler: spent(others) } };
}

/** A load runner for POST /api/acceptances of the trust center at `url` (fresh idempotency key per request). */
async function acceptanceLoad(url: string, connections: number): Promise<(count: number, offset: number, spans?: Map<string, number[]>) => Promise<LoadResult>> {
  const manifest = ManifestSchema.parse(await (await fetch(`${url}/manifest.json`)).json());
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
  return (count, offset, spans) =>
    runLoad({
      url,
      path: '/api/acceptances',
      requests: count,
      connections,
      build: (index) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', origin: url, 'idempotency-key': `bench-${offset + index}-${process.pid}` },
        body: body(offset + index),
      }),
      okStatus: (status) => status === 201,
      ...(spans && { onAnswer: (headers) => collectSpans(headers['server-timing'], spans) }),
    });
}

/** Adds the `name;dur=ms` entries of a Server-Timing header to `spans`. */
function collectSpans(header: string | string[] | undefined, spans: Map<string, number[]>): void {
  for (const entry of [header ?? []].flat().join(',').split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(entry);
    if (!match) continue;
    const values = spans.get(match[1]!) ?? [];
    values.push(Number(match[2]));
    spans.set(match[1]!, values);
  }
}

/** GET /api/ledger/verify (admin): whether the log is intact, and a line saying so and how long it is. */
async function ledgerAudit(url: string, adminToken: string): Promise<{ intact: boolean; line: string }> {
  const response = await fetch(`${url}/api/ledger/verify`, { headers: { authorization: `Bearer ${adminToken}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /api/ledger/verify answered ${response.status}: ${text.slice(0, 500)}`);
  const report = JSON.parse(text) as AuditReport;
  const verdict = report.ok ? 'intact' : `NOT intact (${report.findings.length} findings, first: ${JSON.stringify(report.findings[0])})`;
  const perCheckpoint = report.headCount > 0 ? (report.recordCount / report.headCount).toFixed(1) : '0';
  return {
    intact: report.ok,
    line: `${verdict}; ${report.recordCount} record rows under ${report.headCount} signed checkpoints (${perCheckpoint} per group commit), signed tree size ${report.treeSize}, witnessed up to ${report.witnessedSize ?? '(no witness)'}, root ${report.rootHash ?? '(empty)'}`,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
