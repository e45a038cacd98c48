import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { withBenchWorker } from './lib/bench-worker.ts';
import { findChrome } from './lib/chrome-path.ts';
import { formatTable } from './lib/table.ts';

/** The pages the performance budget names (issue #11), by what a reader calls them. */
export const LIGHTHOUSE_PAGES: ReadonlyArray<{ page: string; path: string }> = [
  { page: 'home', path: '/' },
  { page: 'current AVV', path: '/avv/' },
  { page: 'TOMs', path: '/toms/' },
  { page: 'subprocessor list', path: '/subprocessors/' },
];

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** Targets: performance at least 98, everything else 100 (Lighthouse mobile). */
const TARGET: Record<(typeof CATEGORIES)[number], number> = { performance: 98, accessibility: 100, 'best-practices': 100, seo: 100 };
const TARGET_TEXT = `performance ≥ ${TARGET.performance}, others ${TARGET.accessibility}`;

/**
 * What the Lighthouse part found: the pages below a target, or why it measured nothing (no
 * browser), so the goals table says "not measured" instead of "met".
 */
export type LighthouseResult = { measured: true; missed: string[] } | { measured: false; reason: string };

/** The middle value (the lower middle for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Lighthouse's default (mobile: Moto G Power viewport, simulated slow 4G and 4× CPU slowdown)
 * on each budget page of the built Worker under `wrangler dev`, in Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium; never a downloaded browser). Each page is measured
 * `runs` times and each score is the median, as Lighthouse advises, because one run on a busy
 * machine swings by tens of points. Prints one row per page and, below it, every audit that
 * cost points in the median-performance run, so a score under target says why. Returns the
 * pages that missed a target. Without a browser it prints one line saying what is missing and
 * how to install it, and returns "not measured", so the rest of the benchmark still runs.
 * Expects `dist/` to be built.
 */
export async function benchLighthouse(runs: number): Promise<LighthouseResult> {
  const chromeLookup = findChrome();
  console.log(`\nLighthouse (mobile, ${chromeLookup.path}, median of ${runs} run${runs === 1 ? '' : 's'}; targets: ${TARGET_TEXT})\n`);
  if (!chromeLookup.found) return notMeasured(chromeLookup.reason);
  const chromePath = chromeLookup.path;
  return withBenchWorker({ name: 'lighthouse' }, async (server): Promise<LighthouseResult> => {
    let chrome: chromeLauncher.LaunchedChrome;
    try {
      chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'], logLevel: 'silent' });
    } catch (error) {
      // A file that is there but does not start as a browser: the same, one line, no stack.
      return notMeasured(`${chromePath} did not start as a browser (${error instanceof Error ? error.message : String(error)}); install Chromium with \`apt-get install chromium\` or set CHROME_PATH to a Chromium or Chrome binary`);
    }
    try {
      const rows: (string | number)[][] = [];
      const shortfalls: string[] = [];
      const missed: string[] = [];
      for (const { page, path } of LIGHTHOUSE_PAGES) {
        const reports: Report[] = [];
        for (let run = 0; run < runs; run++) reports.push(await audit(`${server.url}${path}`, chrome.port));
        const scores = CATEGORIES.map((category) => median(reports.map((lhr) => score(lhr, category))));
        rows.push([page, path, ...scores, reports.map((lhr) => score(lhr, 'performance')).join(' '), median(reports.map((lhr) => Math.round(lhr.environment.benchmarkIndex)))]);
        if (CATEGORIES.some((category, index) => scores[index]! < TARGET[category])) missed.push(page);
        const typical = reports.find((lhr) => score(lhr, 'performance') === scores[0]) ?? reports[0]!;
        for (const category of CATEGORIES) {
          for (const ref of typical.categories[category]?.auditRefs ?? []) {
            const result = typical.audits[ref.id];
            if (ref.weight > 0 && result && result.score !== null && result.score < 1) {
              shortfalls.push(`  ${page} · ${category} · ${ref.id} (${Math.round(result.score * 100)})${result.displayValue ? `: ${result.displayValue}` : ''}`);
            }
          }
        }
      }
      console.log(formatTable(['page', 'path', 'performance', 'accessibility', 'best practices', 'SEO', 'performance per run', 'benchmark index'], rows));
      // Lighthouse scales main-thread time observed here by 4 to simulate a phone; on a busy
      // machine (low benchmark index, ~1,000+ on an idle desktop) total blocking time grows with it.
      console.log('\nbenchmark index: Lighthouse\'s CPU speed measure of this machine during the run (median).');
      console.log(shortfalls.length > 0 ? `\nAudits below full score (median-performance run):\n${shortfalls.join('\n')}` : '\nEvery weighted audit at full score.');
      return { measured: true, missed };
    } finally {
      chrome.kill();
    }
  });
}

/** The goals table's row (goal, measured, ratio, target, verdict): never "met" when nothing was measured. */
export function lighthouseGoalRow(result: LighthouseResult): string[] {
  const goal = `Lighthouse mobile: ${LIGHTHOUSE_PAGES.map(({ page }) => page).join(', ')}`;
  if (!result.measured) return [goal, result.reason, '', TARGET_TEXT, 'not measured'];
  const met = result.missed.length === 0;
  return [goal, met ? 'every page at target' : `below target: ${result.missed.join(', ')}`, '', TARGET_TEXT, met ? 'met' : 'NOT met'];
}

function notMeasured(reason: string): LighthouseResult {
  console.log(`Lighthouse not measured: ${reason}.`);
  return { measured: false, reason };
}

type Report = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

async function audit(url: string, port: number): Promise<Report> {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
  if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
  const { lhr } = result;
  if (lhr.configSettings.formFactor !== 'mobile') throw new Error(`Lighthouse ran as ${lhr.configSettings.formFactor}, not mobile`);
  if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
  return lhr;
}

function score(lhr: Report, category: string): number {
  return Math.round((lhr.categories[category]?.score ?? 0) * 100);
}
