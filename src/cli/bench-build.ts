import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_PHASES_FILE, type BuildPhases } from '../integrations/build-phases.ts';
import { buildCacheDir } from '../lib/build-cache-dir.ts';
import { buildSite, TEST_BUILD_DATE } from './build.ts';
import { editAnnouncedSubprocessor, generateContent } from './lib/generate-content.ts';
import { byPageType, measurePages } from './lib/page-weights.ts';
import { measureProcessUsage } from './lib/process-usage.ts';
import { root } from './lib/run.ts';
import { setUpStarlightPeer } from './lib/starlight-peer.ts';
import { formatTable } from './lib/table.ts';

/** Generated subprocessors at which the goals of issue 12 are measured. */
export const GOAL_SIZE = 1000;

export interface ColdBuild {
  subprocessors: number;
  seconds: number;
  /** CPU seconds (user + system, all threads) of the build process. */
  cpuSeconds: number;
  peakRssBytes: number;
  htmlPages: number;
  clientKib: number;
  /** Where the build's time went (src/integrations/build-phases.ts). */
  phases: BuildPhases;
}

export interface BuildBenchResult {
  cold: ColdBuild[];
  /** Rebuild of the same folder after the announced subprocessor's purpose was edited, at GOAL_SIZE (or the largest size). */
  warm: { subprocessors: number; /** The subprocessor edited (announced, not yet engaged). */ editedSlug: string; seconds: number; cpuSeconds: number; coldSeconds: number; peakRssBytes: number; phases: BuildPhases } | null;
  peer: { pages: number; seconds: number; cpuSeconds: number; peakRssBytes: number; astroVersion: string; starlightVersion: string } | null;
}

/**
 * For each N: copy content/ to .bench/, add N generated subprocessors, run a cold `astro build`
 * (fresh cache folder, `--force`) into that folder's dist, and time it, its CPU time and its peak memory. At
 * GOAL_SIZE, edit the announced subprocessor and build again (what an author's next deploy costs). With
 * `peerPages`, install the current Starlight into a temp folder and cold-build that many pages
 * right after our GOAL_SIZE build, so both run under the same machine load. The repository's
 * dist/ is not touched.
 */
export async function benchBuild(counts: number[], peerPages: number, weightTable: (clientDir: string) => Promise<string>): Promise<BuildBenchResult> {
  const peerSite = peerPages > 0 ? await setUpStarlightPeer(peerPages) : null;
  const warmAt = counts.includes(GOAL_SIZE) ? GOAL_SIZE : Math.max(...counts);
  const result: BuildBenchResult = { cold: [], warm: null, peer: null };
  try {
    for (const count of counts) {
      const contentDir = await generateContent(count, TEST_BUILD_DATE);
      const outDir = path.join(path.dirname(contentDir), 'dist');
      const build = (force: boolean) => timed(() => measureProcessUsage((nodeArgs) => withDeployConfigKept(() => buildSite({ buildDate: TEST_BUILD_DATE, contentDir, outDir, force, nodeArgs }))));
      try {
        const cold = await build(true);
        const clientDir = path.join(outDir, 'client');
        const files = await readdir(clientDir, { recursive: true });
        let bytes = 0;
        for (const file of files) {
          const info = await stat(path.join(clientDir, file));
          if (info.isFile()) bytes += info.size;
        }
        result.cold.push({
          subprocessors: count,
          seconds: cold.seconds,
          cpuSeconds: cold.value.cpuSeconds,
          peakRssBytes: cold.value.peakRssBytes,
          htmlPages: files.filter((file) => file.endsWith('.html')).length,
          clientKib: Math.round(bytes / 1024),
          phases: await readPhases(contentDir),
        });
        console.log(`\nPage weights with ${count} generated subprocessors\n`);
        console.log(await weightTable(clientDir));

        if (count === warmAt && count > 0) {
          const { slug, marker } = await editAnnouncedSubprocessor(contentDir, TEST_BUILD_DATE);
          const warm = await build(false);
          const page = await readFile(path.join(clientDir, 'subprocessors', slug, 'index.html'), 'utf8');
          if (!page.includes(marker)) throw new Error(`the rebuild after editing ${slug} does not show the edit`);
          result.warm = { subprocessors: count, editedSlug: slug, seconds: warm.seconds, cpuSeconds: warm.value.cpuSeconds, coldSeconds: cold.seconds, peakRssBytes: warm.value.peakRssBytes, phases: await readPhases(contentDir) };
        }
        if (count === warmAt && peerSite) {
          console.log(`[bench] cold build of Starlight ${peerSite.starlightVersion} (astro ${peerSite.astroVersion}) with ${peerSite.pages} pages`);
          const peer = await timed(() => measureProcessUsage((nodeArgs) => peerSite.build(nodeArgs)));
          result.peer = { pages: peerSite.pages, seconds: peer.seconds, cpuSeconds: peer.value.cpuSeconds, peakRssBytes: peer.value.peakRssBytes, astroVersion: peerSite.astroVersion, starlightVersion: peerSite.starlightVersion };
        }
      } finally {
        await rm(path.dirname(contentDir), { recursive: true, force: true });
        await rm(path.resolve(root, buildCacheDir(contentDir)), { recursive: true, force: true });
      }
    }
  } finally {
    await peerSite?.remove();
  }
  printBuildTables(result);
  return result;
}

function printBuildTables(result: BuildBenchResult): void {
  console.log('\nBuild time vs content size (cold astro build, content/ + N generated subprocessors)\n');
  console.log(
    formatTable(
      ['generated subprocessors', 'build s', 'CPU s (user+sys)', 'ms per subprocessor since previous size', 'peak RSS MiB', 'HTML pages', 'dist/client KiB'],
      result.cold.map((run, index) => {
        const previous = result.cold[index - 1];
        const marginal = previous && run.subprocessors > previous.subprocessors ? Math.round(((run.seconds - previous.seconds) * 1000) / (run.subprocessors - previous.subprocessors)) : '';
        return [run.subprocessors, round1(run.seconds), round1(run.cpuSeconds), marginal, mib(run.peakRssBytes), run.htmlPages, run.clientKib];
      }),
    ),
  );
  console.log('  Linear growth: the ms per added subprocessor stay about the same from size to size (fixed start-up cost excluded).');
  console.log('  CPU s (all threads of the build process) above build s: it kept more than one core busy (the AVV PDFs render on a worker thread); below: it waited, for the disk or for other processes on a loaded machine.');

  console.log('\nWhere the build time goes (seconds per phase of `astro build`, from src/integrations/build-phases.ts)\n');
  const builds = [...result.cold.map((run) => ({ name: `cold, ${run.subprocessors} generated`, pages: run.htmlPages, phases: run.phases }))];
  if (result.warm) builds.push({ name: `rebuild after 1 edit, ${result.warm.subprocessors} generated`, pages: result.cold.find((run) => run.subprocessors === result.warm!.subprocessors)?.htmlPages ?? 0, phases: result.warm.phases });
  const span = (from: number, to: number) => round1((to - from) / 1000);
  console.log(
    formatTable(
      ['build', 'start-up (Node, Astro, adapter, config, content check)', 'content sync + build info', 'server bundle', 'client bundle + prerender pages', 'ms per page', 'adapter output + search index', 'total'],
      builds.map(({ name, pages, phases }) => [
        name,
        span(0, phases.configured),
        span(phases.configured, phases.started),
        span(phases.started, phases.serverBuilt),
        span(phases.serverBuilt, phases.generated),
        pages > 0 ? ((phases.generated - phases.serverBuilt) / pages).toFixed(1) : '',
        span(phases.generated, phases.done),
        span(0, phases.done),
      ]),
    ),
  );
  console.log('  Start-up, sync and the server bundle do not grow with the content: they are the fixed cost a rebuild pays again.');
  if (result.warm) printRebuildCost(result.warm);
}

/**
 * What the rebuild after one edit still pays, phase by phase, and why: Astro 7's static build
 * has no page-level reuse enabled here, so the floor of a rebuild is its fixed phases.
 */
function printRebuildCost(warm: NonNullable<BuildBenchResult['warm']>): void {
  const { phases, coldSeconds } = warm;
  const seconds = (from: number, to: number) => (to - from) / 1000;
  const fixed = seconds(0, phases.started) + seconds(phases.started, phases.serverBuilt);
  const share = (value: number) => `${round1(value)} s = ${(value / coldSeconds).toFixed(2)}× the cold build`;
  console.log(`\nRebuild after editing the announced subprocessor ${warm.editedSlug} (with ${warm.subprocessors} generated; ${round1(warm.seconds)} s, CPU ${round1(warm.cpuSeconds)} s): what it pays again and why\n`);
  console.log(
    formatTable(
      ['phase', 'rebuild', 'why it is not skipped'],
      [
        ['start-up + content sync', share(seconds(0, phases.started)), 'Node, Astro and the Cloudflare adapter (wrangler, Miniflare, Vite) load anew; the content check reads every file; the content layer re-reads only changed entries'],
        ['server bundle', share(seconds(phases.started, phases.serverBuilt)), 'Vite bundles the Worker on every `astro build`'],
        ['client bundle + pages', share(seconds(phases.serverBuilt, phases.generated)), 'Astro 7.3 renders every prerendered page again; the edited subprocessor is announced, not yet engaged, so no archived state changes and every PDF (the worker thread finds them) and social card comes from the cache'],
        ['adapter output + search index', share(seconds(phases.generated, phases.done)), 'Pagefind indexes every page again (its index is one whole)'],
      ],
    ),
  );
  console.log(`  Floor with no page rendered at all: the fixed phases, ${share(fixed)}.`);
}

/** The phases the build of `contentDir` recorded in its cache folder. */
async function readPhases(contentDir: string): Promise<BuildPhases> {
  return JSON.parse(await readFile(path.resolve(root, buildCacheDir(contentDir), BUILD_PHASES_FILE), 'utf8')) as BuildPhases;
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
export const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/**
 * The Cloudflare adapter points .wrangler/deploy/config.json at the dist it just built; put it
 * back so `wrangler dev` keeps serving the repository's dist/, not a deleted temp build.
 */
async function withDeployConfigKept(run: () => Promise<unknown>): Promise<void> {
  const config = path.join(root, '.wrangler/deploy/config.json');
  const backup = `${config}.bench-backup`;
  const existed = await copyFile(config, backup).then(() => true, () => false);
  try {
    await run();
  } finally {
    if (existed) await copyFile(backup, config).then(() => rm(backup));
    else await rm(config, { force: true });
  }
}
