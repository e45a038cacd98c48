import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/**
 * The Vite environments `astro build` bundles, in the order it builds them: the pages' code for
 * prerendering in Node, the Worker (Vite's `ssr` environment), the browser scripts and styles.
 */
export const BUNDLES = ['prerender', 'ssr', 'client'] as const;
export type Bundle = (typeof BUNDLES)[number];

/** When each phase of `astro build` ended, in ms since the build process started. */
export interface BuildPhases {
  /** Node, Astro, the Cloudflare adapter and the config loaded; the content check done. */
  configured: number;
  /** Content synced (loaders, types) and build info collected. */
  started: number;
  /** Each Vite bundle written (BUNDLES order); a bundle Astro skipped has no entry. */
  bundled: Partial<Record<Bundle, number>>;
  /** The manifest written into the bundles (astro:build:ssr, after all three). */
  serverBuilt: number;
  /** Every prerendered page written. */
  generated: number;
  /** The adapter's output rearranged and the integrations done (the search index last). */
  done: number;
}

/** The file in Astro's cache folder (never in the output, which stays byte-identical) the benchmark reads. */
export const BUILD_PHASES_FILE = 'build-phases.json';

/** The spans between the marks, in ms, in the order they happen; the bench's table and the build's log line both read these. */
export function phaseSpans(phases: BuildPhases): Array<{ phase: string; ms: number }> {
  const spans: Array<{ phase: string; ms: number }> = [
    { phase: 'start-up', ms: phases.configured },
    { phase: 'sync', ms: phases.started - phases.configured },
  ];
  let previous = phases.started;
  for (const bundle of BUNDLES) {
    const end = phases.bundled[bundle] ?? previous;
    spans.push({ phase: `${BUNDLE_NAMES[bundle]} bundle`, ms: end - previous });
    previous = end;
  }
  spans.push(
    { phase: 'manifest', ms: phases.serverBuilt - previous },
    { phase: 'pages', ms: phases.generated - phases.serverBuilt },
    { phase: 'output + search index', ms: phases.done - phases.generated },
  );
  return spans;
}

const BUNDLE_NAMES: Record<Bundle, string> = { prerender: 'prerender', ssr: 'Worker', client: 'client' };

/**
 * Records where the time of `astro build` goes and prints it in one line: the benchmark reads
 * it to say which part of a build is fixed cost (start-up, sync, bundling) and which grows
 * with the pages. Listed last, so its `astro:build:done` runs after everyone else's. Astro runs
 * `astro:build:ssr` only once all three Vite bundles are written, so a Vite plugin marks each
 * bundle as it is written: without it the three would read as one "server bundle".
 */
export function buildPhases(): AstroIntegration {
  const at: Partial<BuildPhases> & { bundled: Partial<Record<Bundle, number>> } = { bundled: {} };
  // Node's performance clock starts with the process, so start-up is included.
  const now = () => Math.round(performance.now());
  const mark = (phase: 'configured' | 'started' | 'serverBuilt' | 'generated' | 'done') => (at[phase] = now());
  let cacheDir: URL | undefined;
  return {
    name: 'trust-center:build-phases',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = config.cacheDir;
        mark('configured');
      },
      'astro:build:start': () => void mark('started'),
      'astro:build:setup': ({ target, updateConfig }) => {
        if (target !== 'server') return;
        updateConfig({
          plugins: [
            {
              name: 'trust-center:build-phases',
              writeBundle() {
                const name = this.environment.name;
                if ((BUNDLES as readonly string[]).includes(name)) at.bundled[name as Bundle] = now();
              },
            },
          ],
        });
      },
      'astro:build:ssr': () => void mark('serverBuilt'),
      'astro:build:generated': () => void mark('generated'),
      'astro:build:done': async ({ logger }) => {
        mark('done');
        const phases = at as BuildPhases;
        logger.info(phaseSpans(phases).map(({ phase, ms }) => `${phase} ${(ms / 1000).toFixed(1)} s`).join(', '));
        if (!cacheDir) return;
        await mkdir(cacheDir, { recursive: true });
        await writeFile(fileURLToPath(new URL(BUILD_PHASES_FILE, cacheDir)), `${JSON.stringify(phases)}\n`);
      },
    },
  };
}
