import { loadavg, uptime } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchAcceptances, type AcceptanceBenchResult } from './bench-acceptances.ts';
import { benchBuild, GOAL_SIZE, mib, round1, type BuildBenchResult } from './bench-build.ts';
import { benchFanOut, type FanOutResult } from './bench-fanout.ts';
import { DEFAULT_SMTP_CONNECTIONS } from '../../functions/notices/config.ts';
import { benchLighthouse, lighthouseGoalRow, type LighthouseResult } from './bench-lighthouse.ts';
import { benchImporter } from './bench-importer.ts';
import { buildSite, TEST_BUILD_DATE } from './build.ts';
import { budgetViolations, byPageType, measurePages, PAGE_BUDGET_BYTES } from './lib/page-weights.ts';
import { root } from './lib/run.ts';
import { formatTable } from './lib/table.ts';

/**
 * `npm run bench [-- --sizes 100,1000] [--peer 1000] [--acceptances 5000] [--connections 100] [--fanout 1000,10000] [--fanout-connections 6] [--lighthouse 3]`:
 * page weights of the site as built for tests and the page budget (exit code 1 when broken),
 * Lighthouse mobile scores of the budget pages, median of N runs (`--lighthouse 3`; 0 skips),
 * then cold build time, peak memory and page
 * weights with N generated subprocessors added (`--sizes ""` skips that; `--sizes 100,1000,5000`
 * adds the long linearity point), the rebuild after editing the announced subprocessor, and the same 1,000
 * pages built by the current Starlight (`--peer 0` skips that), then acceptances/s against the local
 * Worker next to a bare D1-insert Worker (`--acceptances 0` skips that), then the notice fan-out
 * to N confirmed subscribers through the local mail sink (`--fanout 0` skips that). The AVV
 * importer's quality over its test AVVs comes first (`--importer 0` skips it, `--importer only`
 * runs nothing else).
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    peer: { type: 'string', default: String(GOAL_SIZE) },
    acceptances: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '100' },
    fanout: { type: 'string', default: '1000,10000' },
    'fanout-connections': { type: 'string', default: String(DEFAULT_SMTP_CONNECTIONS) },
    lighthouse: { type: 'string', default: '3' },
    importer: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const acceptances = Number(values.acceptances);
const connections = Number(values.connections);
const peer = Number(values.peer);
if (!sizes.every((count) => Number.isSafeInteger(count) && count >= 0)) throw new Error(`--sizes must list whole numbers, got "${values.sizes}"`);
if (!Number.isSafeInteger(peer) || peer < 0) throw new Error(`--peer must be a whole number, got "${values.peer}"`);
const fanout = values.fanout.split(',').filter(Boolean).map(Number).filter((count) => count !== 0);
if (!fanout.every((count) => Number.isSafeInteger(count) && count > 0)) throw new Error(`--fanout must list whole numbers, got "${values.fanout}"`);
const fanoutConnections = Number(values['fanout-connections']);
if (!Number.isSafeInteger(fanoutConnections) || fanoutConnections < 1) throw new Error(`--fanout-connections must be a positive whole number, got "${values['fanout-connections']}"`);
if (!Number.isSafeInteger(acceptances) || acceptances < 0) throw new Error(`--acceptances must be a whole number, got "${values.acceptances}"`);
if (!Number.isSafeInteger(connections) || connections < 1) throw new Error(`--connections must be a positive whole number, got "${values.connections}"`);

if (!['0', '1', 'only'].includes(values.importer)) throw new Error(`--importer must be 0, 1 or only, got "${values.importer}"`);
if (values.importer !== '0') await benchImporter();
if (values.importer === 'only') process.exit(0);

await buildSite({ buildDate: TEST_BUILD_DATE, ifStale: true });
console.log(`\nPage weights: ${path.join('dist', 'client')} (build date ${TEST_BUILD_DATE})\n`);
console.log(await weightTable(path.join(root, 'dist/client')));
const violations = budgetViolations(await measurePages(path.join(root, 'dist/client')));
console.log(
  violations.length === 0
    ? `\nBudget kept: every page at most ${PAGE_BUDGET_BYTES} B HTML+CSS gzip, JS only on form and search pages.`
    : `\nBudget broken:\n${violations.map((line) => `  ${line}`).join('\n')}`,
);
if (violations.length > 0) process.exitCode = 1;

const lighthouseRuns = Number(values.lighthouse);
if (!Number.isSafeInteger(lighthouseRuns) || lighthouseRuns < 0) throw new Error(`--lighthouse must be a whole number of runs per page, got "${values.lighthouse}"`);
const lighthouse = lighthouseRuns > 0 ? await benchLighthouse(lighthouseRuns) : null;
if (lighthouse?.measured && lighthouse.missed.length > 0) console.log(`\nBelow target: ${lighthouse.missed.join(', ')}`);

const build = sizes.length > 0 ? await benchBuild(sizes, peer, weightTable) : null;
// Runs on the dist/ built above (the build-time runs build into temp dirs and keep it).
const acceptance = acceptances > 0 ? await benchAcceptances({ requests: acceptances, connections }) : null;
const fanOut = fanout.length > 0 ? await benchFanOut(fanout, fanoutConnections) : [];
printGoals(lighthouse, build, acceptance, fanOut);

/** One row per page type; bytes, gzip -9 for HTML and CSS, JS raw and gzipped. */
async function weightTable(clientDir: string): Promise<string> {
  const rows = byPageType(await measurePages(clientDir));
  return formatTable(
    ['type', 'pages', 'HTML gz', 'CSS gz', 'JS', 'JS gz', 'total', 'mean HTML gz', 'heaviest page'],
    rows.map((r) => [r.type, r.pages, r.htmlGzip, r.cssGzip, r.jsBytes, r.jsGzip, r.htmlGzip + r.cssGzip + r.jsBytes, r.meanHtmlGzip, r.example]),
  );
}

/** The goals of issue 12 that this run measured, each against its target. */
function printGoals(lighthouse: LighthouseResult | null, build: BuildBenchResult | null, acceptance: AcceptanceBenchResult | null, fanOut: FanOutResult[]): void {
  const rows: (string | number)[][] = [];
  if (lighthouse) rows.push(lighthouseGoalRow(lighthouse));
  const ours = build?.cold.find((run) => run.subprocessors === GOAL_SIZE);
  if (ours && build?.peer) {
    const ratio = ours.seconds / build.peer.seconds;
    rows.push([`cold build, ${GOAL_SIZE} subprocessors (${ours.htmlPages} pages) vs Starlight ${build.peer.starlightVersion}, ${build.peer.pages} pages`, `${round1(ours.seconds)} s vs ${round1(build.peer.seconds)} s (CPU ${round1(ours.cpuSeconds)} s vs ${round1(build.peer.cpuSeconds)} s)`, ratio.toFixed(2), '≤ 1.00', ratio <= 1 ? 'met' : 'NOT met']);
  }
  if (build?.warm) {
    const ratio = build.warm.seconds / build.warm.coldSeconds;
    rows.push([`rebuild after editing the announced ${build.warm.editedSlug} (${build.warm.subprocessors} generated) vs cold`, `${round1(build.warm.seconds)} s vs ${round1(build.warm.coldSeconds)} s`, ratio.toFixed(2), '≤ 0.25', ratio <= 0.25 ? 'met' : 'NOT met']);
  }
  if (ours) rows.push([`peak build memory, ${GOAL_SIZE} subprocessors`, `${mib(ours.peakRssBytes)} MiB`, build?.peer ? `${(ours.peakRssBytes / build.peer.peakRssBytes).toFixed(2)} × Starlight (${mib(build.peer.peakRssBytes)} MiB)` : '', 'report', '']);
  const [small, ...larger] = build?.cold.filter((run) => run.subprocessors > 0) ?? [];
  for (const run of larger) {
    if (!small) break;
    // Cost per added subprocessor from the smallest size on; linear growth keeps it flat.
    const perSubprocessor = ((run.seconds - small.seconds) * 1000) / (run.subprocessors - small.subprocessors);
    rows.push([`build growth ${small.subprocessors} → ${run.subprocessors} subprocessors`, `${round1(small.seconds)} s → ${round1(run.seconds)} s`, `${perSubprocessor.toFixed(1)} ms per subprocessor`, 'linear', '']);
  }
  if (acceptance) {
    const { perSecond, p99Ratio, connections: at, ledgerIntact } = acceptance;
    const ratio = perSecond.acceptances / perSecond.bare;
    // A fast log that lost or broke a record would not be a result: the goal needs the audit too.
    const intact = ledgerIntact ? 'log intact' : 'log NOT intact';
    rows.push([`acceptances/s at ${at} connections vs a bare D1-insert Worker`, `${Math.round(perSecond.acceptances)}/s vs ${Math.round(perSecond.bare)}/s, ${intact}`, ratio.toFixed(2), '≥ 1.00', ratio >= 1 && ledgerIntact ? 'met' : 'NOT met']);
    rows.push([`acceptance p99 at ${at} connections vs the bare Worker's p99`, `median over rounds, p50 ×${acceptance.p50Ratio.toFixed(2)}`, `×${p99Ratio.toFixed(2)}`, '≤ 1.50', p99Ratio <= 1.5 ? 'met' : 'NOT met']);
  }
  for (const run of fanOut) {
    const once = run.messages === run.subscribers && run.distinctRecipients === run.subscribers && run.evidenceSent === run.subscribers;
    const inTime = run.subscribers < 10_000 || run.deliveredSeconds <= 30;
    rows.push([`notice fan-out, ${run.subscribers} confirmed subscribers`, `${run.deliveredSeconds} s, ${Math.round(run.messages / run.deliveredSeconds)} msg/s`, `${run.messages} messages, ${run.distinctRecipients} recipients, ${run.evidenceSent} evidence rows sent`, run.subscribers >= 10_000 ? '≤ 30 s, once each' : 'once each', once && inTime ? 'met' : 'NOT met']);
  }
  if (rows.length === 0) return;
  const [one, five, fifteen] = loadAverage();
  console.log(`\nIssue 12 goals (load average ${one} / ${five} / ${fifteen} at the end of the run, up ${Math.round(uptime() / 60)} min)\n`);
  console.log(formatTable(['goal', 'measured', 'ratio', 'target', ''], rows));
}

function loadAverage(): string[] {
  return loadavg().map((value) => value.toFixed(2));
}
