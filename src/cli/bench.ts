import { copyFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchAcceptances } from './bench-acceptances.ts';
import { benchFanOut } from './bench-fanout.ts';
import { benchImporter } from './bench-importer.ts';
import { buildSite, TEST_BUILD_DATE } from './build.ts';
import { generateContent } from './lib/generate-content.ts';
import { byPageType, measurePages } from './lib/page-weights.ts';
import { root } from './lib/run.ts';
import { formatTable } from './lib/table.ts';

/**
 * `npm run bench [-- --sizes 0,100,1000] [--acceptances 5000] [--connections 100] [--fanout 1000,10000]`:
 * page weights of the site as built for tests, then build time and page weights with N
 * generated subprocessors added (`--sizes ""` skips that), then acceptances/s against the local
 * Worker next to a bare D1-insert Worker (`--acceptances 0` skips that), then the notice fan-out
 * to N confirmed subscribers through the local mail sink (`--fanout 0` skips that). The AVV
 * importer's quality over its test AVVs comes first (`--importer 0` skips it, `--importer only`
 * runs nothing else).
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,100,1000' },
    acceptances: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '100' },
    fanout: { type: 'string', default: '1000,10000' },
    importer: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const acceptances = Number(values.acceptances);
const connections = Number(values.connections);
const fanout = values.fanout.split(',').filter(Boolean).map(Number).filter((count) => count !== 0);
if (!fanout.every((count) => Number.isSafeInteger(count) && count > 0)) throw new Error(`--fanout must list whole numbers, got "${values.fanout}"`);
if (!Number.isSafeInteger(acceptances) || acceptances < 0) throw new Error(`--acceptances must be a whole number, got "${values.acceptances}"`);
if (!Number.isSafeInteger(connections) || connections < 1) throw new Error(`--connections must be a positive whole number, got "${values.connections}"`);

if (!['0', '1', 'only'].includes(values.importer)) throw new Error(`--importer must be 0, 1 or only, got "${values.importer}"`);
if (values.importer !== '0') await benchImporter();
if (values.importer === 'only') process.exit(0);

await buildSite({ buildDate: TEST_BUILD_DATE, ifStale: true });
console.log(`\nPage weights: ${path.join('dist', 'client')} (build date ${TEST_BUILD_DATE})\n`);
console.log(await weightTable(path.join(root, 'dist/client')));

if (sizes.length > 0) await benchBuildTimes(sizes);
// Runs on the dist/ built above (the build-time runs build into temp dirs and keep it).
if (acceptances > 0) await benchAcceptances({ requests: acceptances, connections });
if (fanout.length > 0) await benchFanOut(fanout);

/** One row per page type; bytes, gzip -9 for HTML and CSS, JS raw and gzipped. */
async function weightTable(clientDir: string): Promise<string> {
  const rows = byPageType(await measurePages(clientDir));
  return formatTable(
    ['type', 'pages', 'HTML gz', 'CSS gz', 'JS', 'JS gz', 'total', 'mean HTML gz', 'heaviest page'],
    rows.map((r) => [r.type, r.pages, r.htmlGzip, r.cssGzip, r.jsBytes, r.jsGzip, r.htmlGzip + r.cssGzip + r.jsBytes, r.meanHtmlGzip, r.example]),
  );
}

// ─── Build time vs content size ───────────────────────────────────────────────────────────
/**
 * For each N: copy content/ to .bench/, add N generated subprocessors, run a cold
 * `astro build` into that dir's dist, and time it. The repository's dist/ is not touched.
 */
async function benchBuildTimes(counts: number[]): Promise<void> {
  const results: (string | number)[][] = [];
  for (const count of counts) {
    const contentDir = await generateContent(count);
    const outDir = path.join(path.dirname(contentDir), 'dist');
    const started = performance.now();
    try {
      await withDeployConfigKept(() => buildSite({ buildDate: TEST_BUILD_DATE, contentDir, outDir, force: true }));
      const seconds = (performance.now() - started) / 1000;
      const clientDir = path.join(outDir, 'client');
      const files = await readdir(clientDir, { recursive: true });
      let bytes = 0;
      for (const file of files) bytes += (await stat(path.join(clientDir, file))).isFile() ? (await stat(path.join(clientDir, file))).size : 0;
      results.push([count, seconds, files.filter((file) => file.endsWith('.html')).length, Math.round(bytes / 1024)]);
      console.log(`\nPage weights with ${count} generated subprocessors\n`);
      console.log(await weightTable(clientDir));
    } finally {
      await rm(path.dirname(contentDir), { recursive: true, force: true });
    }
  }
  console.log('\nBuild time vs content size (cold astro build, content/ + N generated subprocessors)\n');
  console.log(formatTable(['generated subprocessors', 'build s', 'HTML pages', 'dist/client KiB'], results));
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
