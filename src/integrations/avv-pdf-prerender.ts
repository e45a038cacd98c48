import { Worker } from 'node:worker_threads';
import type { AstroIntegration } from 'astro';
import { avvPdfCacheDir } from '../lib/avv-pdf-cache.ts';
import { prerenderMode, publishPrerender, type PrerenderInput, type PrerenderMessage, type PrerenderOutcome } from '../lib/avv-pdf-prerender.ts';
import { resolveBuildDate } from '../lib/build-date.ts';
import { contentDir } from '../lib/content-dir.ts';

/**
 * Pages Astro renders at once while the worker runs: more than the archived states (5 at 1,000
 * generated subprocessors), so pages keep rendering while every PDF page waits. Pages render
 * synchronously between awaits, so more in flight should cost no CPU, only a little memory.
 */
const PAGES_IN_FLIGHT = 8;

/**
 * Renders the AVV PDFs of `astro build` on a worker thread (src/integrations/avv-pdf-prerender-worker.ts)
 * from the moment the config is set up, so they take the machine's second core during start-up,
 * content sync, bundling and page rendering instead of Astro's one rendering thread; each PDF
 * page then only waits for its file (src/lib/avv-pdf-prerender.ts). Listed first, so the worker
 * starts before the content check reads the content a second time.
 *
 * The worker never keeps the build alive: it is unreferenced except while a page waits for it,
 * and stopped when the build is done. Its failures are not the build's: a page whose PDF it did
 * not leave renders that PDF itself and logs why, so a content error still ends the build with
 * the content check's report alone.
 */
export function avvPdfPrerender(): AstroIntegration {
  let worker: Worker | undefined;
  const counts = { rendered: 0, cached: 0, onBuildThread: 0, waitedMs: 0, workerCpuSeconds: 0 };
  return {
    name: 'trust-center:avv-pdf-prerender',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig }) => {
        const mode = prerenderMode();
        if (command !== 'build' || mode === 'off') return;
        // Astro renders one page at a time, and the PDF pages come early: while they wait for the
        // worker, the other pages must go on. Each waiting PDF holds one slot of PAGES_IN_FLIGHT.
        updateConfig({ build: { concurrency: Math.max(config.build.concurrency, PAGES_IN_FLIGHT) } });
        const input: PrerenderInput = { contentDir, buildDate: resolveBuildDate(), cacheDir: avvPdfCacheDir(), mode };
        worker = new Worker(new URL('./avv-pdf-prerender-worker.ts', import.meta.url), { workerData: input });
        worker.unref();
        publishPrerender(track(worker, counts));
      },
      'astro:build:done': async ({ logger }) => {
        if (!worker) return;
        await worker.terminate();
        logger.info(`AVV PDFs: ${counts.rendered} rendered and ${counts.cached} found in the cache by the worker thread, ${counts.onBuildThread} rendered on the build thread; the worker used ${counts.workerCpuSeconds.toFixed(1)} s CPU, PDF pages waited ${(counts.waitedMs / 1000).toFixed(1)} s for it (other pages rendering meanwhile)`);
      },
    },
  };
}

/** The page's view of the worker: an outcome per cache key, settled by the worker's messages. */
function track(worker: Worker, counts: { rendered: number; cached: number; onBuildThread: number; waitedMs: number; workerCpuSeconds: number }) {
  const outcomes = new Map<string, PromiseWithResolvers<PrerenderOutcome>>();
  const entry = (key: string) => {
    let found = outcomes.get(key);
    if (!found) outcomes.set(key, (found = Promise.withResolvers<PrerenderOutcome>()));
    return found;
  };
  let planned: Set<string> | undefined;
  // Why no more PDFs will come; set once, when the worker stops or gives up.
  let ended: string | undefined;
  const notPlanned = 'the worker derived no state with this key from the content files (a bug, please report it)';
  const end = (reason: string) => {
    ended ??= reason;
    // Resolving a settled outcome changes nothing: only the keys still awaited get the reason.
    for (const outcome of outcomes.values()) outcome.resolve({ ok: false, reason: ended });
  };

  worker.on('message', (message: PrerenderMessage) => {
    if (message.type === 'planned') {
      planned = new Set(message.keys);
      for (const [key, outcome] of outcomes) if (!planned.has(key)) outcome.resolve({ ok: false, reason: notPlanned });
    } else if (message.type === 'rendered') {
      counts[message.cached ? 'cached' : 'rendered']++;
      entry(message.key).resolve({ ok: true });
    } else if (message.type === 'finished') {
      counts.workerCpuSeconds = message.cpuSeconds;
    } else {
      end(`the worker rendered nothing: ${message.reason}`);
    }
  });
  worker.on('error', (error) => end(`the worker failed: ${error.message}`));
  worker.on('exit', (code) => end(code === 0 ? 'the worker ended without rendering it' : `the worker stopped with exit code ${code}`));

  let waiting = 0;
  let waitingSince = 0;
  return {
    async outcome(key: string): Promise<PrerenderOutcome> {
      if (planned && !planned.has(key)) return { ok: false, reason: notPlanned };
      const outcome = entry(key);
      if (ended) outcome.resolve({ ok: false, reason: ended });
      // Referenced while a page waits, so Node does not see an idle loop and exit mid-build.
      if (waiting++ === 0) {
        worker.ref();
        waitingSince = performance.now();
      }
      try {
        return await outcome.promise;
      } finally {
        if (--waiting === 0) {
          worker.unref();
          // Wall time during which some page waited (pages wait side by side).
          counts.waitedMs += performance.now() - waitingSince;
        }
      }
    },
    renderedOnBuildThread: () => void counts.onBuildThread++,
  };
}
