import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** When each phase of `astro build` ended, in ms since the build process started. */
export interface BuildPhases {
  /** Node, Astro, the Cloudflare adapter and the config loaded; the content check done. */
  configured: number;
  /** Content synced (loaders, types) and build info collected. */
  started: number;
  /** The server (Worker) bundle built. */
  serverBuilt: number;
  /** The client bundle built and every prerendered page written. */
  generated: number;
  /** The adapter's output rearranged and the integrations done (the search index last). */
  done: number;
}

/** The file in Astro's cache folder (never in the output, which stays byte-identical) the benchmark reads. */
export const BUILD_PHASES_FILE = 'build-phases.json';

/**
 * Records where the time of `astro build` goes and prints it in one line: the benchmark reads
 * it to say which part of a build is fixed cost (start-up, sync, bundling) and which grows
 * with the pages. Listed last, so its `astro:build:done` runs after everyone else's.
 */
export function buildPhases(): AstroIntegration {
  const at: Partial<BuildPhases> = {};
  // Node's performance clock starts with the process, so start-up is included.
  const mark = (phase: keyof BuildPhases) => (at[phase] = Math.round(performance.now()));
  let cacheDir: URL | undefined;
  return {
    name: 'trust-center:build-phases',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = config.cacheDir;
        mark('configured');
      },
      'astro:build:start': () => void mark('started'),
      'astro:build:ssr': () => void mark('serverBuilt'),
      'astro:build:generated': () => void mark('generated'),
      'astro:build:done': async ({ logger }) => {
        mark('done');
        const phases = at as BuildPhases;
        const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
        logger.info(
          `start-up ${seconds(0, phases.configured)}, sync ${seconds(phases.configured, phases.started)}, server bundle ${seconds(phases.started, phases.serverBuilt)}, client bundle + pages ${seconds(phases.serverBuilt, phases.generated)}, output + search index ${seconds(phases.generated, phases.done)}`,
        );
        if (!cacheDir) return;
        await mkdir(cacheDir, { recursive: true });
        await writeFile(fileURLToPath(new URL(BUILD_PHASES_FILE, cacheDir)), `${JSON.stringify(phases)}\n`);
      },
    },
  };
}
