import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_PHASES_FILE, phaseSpans, type BuildPhases } from '../integrations/build-phases.ts';
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
 * (fresh cache folder, empty Node compile cache, `--force`) into that folder's dist, and time it, its CPU time and its peak memory. At
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
      // Cold means Node's compile cache too: the cold build starts it empty, the rebuild finds it
      // as the cold build left it, as an author's next deploy on the same machine does.
      const compileCacheDir = path.join(path.dirname(contentDir), 'node-compile-cache');
      const build = (force: boolean) => timed(() => measureProcessUsage((nodeArgs) => withDeployConfigKept(() => buildSite({ buildDate: TEST_BUILD_DATE, contentDir, outDir, force, nodeArgs, compileCacheDir }))));
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
  const seconds = (ms: number) => round1(ms / 1000);
  const columns = builds[0] ? phaseSpans(builds[0].phases).map(({ phase }) => phase) : [];
  console.log(
    formatTable(
      ['build', ...columns, 'ms per page', 'total'],
      builds.map(({ name, pages, phases }) => {
        const spans = phaseSpans(phases);
        const rendering = spans.find(({ phase }) => phase === 'pages')!.ms;
        return [name, ...spans.map(({ ms }) => seconds(ms)), pages > 0 ? (rendering / pages).toFixed(1) : '', seconds(phases.done)];
      }),
    ),
  );
  console.log('  start-up: Node, Astro, the Cloudflare adapter (wrangler, Miniflare, Vite), the config and the content check; sync: the content layer and build info;');
  console.log('  prerender bundle: the pages\' code for rendering in Node (content data included); Worker bundle: dist/server; client bundle: browser scripts and styles.');
  if (result.warm) printRebuildCost(result.warm);
}

/** Why each phase of `astro build` runs again when one file changed. */
const WHY_PAID_AGAIN: Record<string, string> = {
  'start-up': 'Node, Astro and the Cloudflare adapter (wrangler, Miniflare, Vite) load anew; the content check reads every file',
  sync: 'the content layer re-reads only changed entries, but lists every file and writes the whole data store',
  'prerender bundle': 'Vite bundles the pages\' code and the content data store for prerendering on every `astro build`',
  'Worker bundle': 'Vite bundles the Worker on every `astro build`',
  'client bundle': 'Vite bundles the browser scripts and styles on every `astro build`',
  manifest: 'Astro writes the route manifest into the bundles',
  pages: 'Astro 7.3 renders every prerendered page again and hands each to Pagefind, which parses it meanwhile in its own process; the edited subprocessor is announced, not yet engaged, so no archived state changes and every PDF (the worker thread finds them) and social card comes from the cache',
  'output + search index': 'Pagefind writes its whole index again (one index for all pages), after the last page is parsed',
};

/**
 * What the rebuild after one edit still pays, phase by phase, and why: Astro 7's static build
 * has no page-level reuse enabled here, so the floor of a rebuild is its fixed phases.
 */
function printRebuildCost(warm: NonNullable<BuildBenchResult['warm']>): void {
  const { phases, coldSeconds } = warm;
  const spans = phaseSpans(phases);
  const share = (ms: number) => `${round1(ms / 1000)} s = ${(ms / 1000 / coldSeconds).toFixed(2)}× the cold build`;
  console.log(`\nRebuild after editing the announced subprocessor ${warm.editedSlug} (with ${warm.subprocessors} generated; ${round1(warm.seconds)} s, CPU ${round1(warm.cpuSeconds)} s): what it pays again and why\n`);
  console.log(formatTable(['phase', 'rebuild', 'why it is not skipped'], spans.map(({ phase, ms }) => [phase, share(ms), WHY_PAID_AGAIN[phase] ?? ''])));
  // Everything before the first page is rendered: what a rebuild pays even if it rendered nothing.
  console.log(`  Floor with no page rendered at all: the fixed phases, ${share(phases.serverBuilt)}.`);
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
