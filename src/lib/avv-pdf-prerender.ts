import type { DataCategory } from '../schemas/data-category.ts';
import { avvPdfCacheDir, avvPdfKey, cachedAvvPdf } from './avv-pdf-cache.ts';
import type { DocumentState } from './document-state.ts';

/*
 * The AVV PDFs are most of the CPU a large build spends on pages, all of it on Astro's one
 * rendering thread. `astro build` therefore renders them ahead on a worker thread
 * (src/integrations/avv-pdf-prerender.ts), into the same content-addressed cache the page reads
 * (src/lib/avv-pdf-cache.ts), while Astro loads, syncs, bundles and renders the other pages on
 * the first core. This file is what both sides agree on: the switch, the messages, and how the
 * page waits for its file.
 */

/** The environment variable that switches the pre-render. */
export const PRERENDER_ENV = 'TRUST_CENTER_PDF_PRERENDER';

/**
 * `worker` (also when unset): `astro build` renders the PDFs on a worker thread; `off`: every
 * PDF renders on the build's own thread, as in `astro dev`; `fail`: the worker fails on purpose
 * right after it announced its keys, so a test can see the build fall back to its own thread.
 */
export type PrerenderMode = 'worker' | 'off' | 'fail';

const MODES: readonly PrerenderMode[] = ['worker', 'off', 'fail'];

/** The mode `env` asks for; any other value is refused by name rather than read as a default. */
export function prerenderMode(env: Record<string, string | undefined> = process.env): PrerenderMode {
  const value = env[PRERENDER_ENV];
  if (value === undefined || value === '') return 'worker';
  if ((MODES as readonly string[]).includes(value)) return value as PrerenderMode;
  throw new Error(`${PRERENDER_ENV} must be one of ${MODES.join(', ')} (unset means worker), got "${value}"`);
}

/** What the worker is given: the inputs the build thread fixed when it started it. */
export interface PrerenderInput {
  contentDir: string;
  /** The build day, fixed once so both threads derive the same states even across midnight. */
  buildDate: string;
  cacheDir: string;
  mode: PrerenderMode;
}

/** What the worker tells the build thread, in this order. */
export type PrerenderMessage =
  /** The cache keys of every state it will render, in the order it renders them. */
  | { type: 'planned'; keys: string[] }
  /** The PDF of `key` is in the cache folder; `cached`: an earlier build had left it there. */
  | { type: 'rendered'; key: string; cached: boolean }
  /** It rendered every planned state; the CPU seconds its thread used (the build's summary line). */
  | { type: 'finished'; cpuSeconds: number }
  /** It renders nothing, and why (the content check reports content problems itself). */
  | { type: 'skipped'; reason: string };

/** Whether the pre-render left the PDF of a key in the cache folder, or why not. */
export type PrerenderOutcome = { ok: true } | { ok: false; reason: string };

/** The running pre-render, as the page sees it. */
export interface PrerenderHandle {
  /** Settles once the worker rendered the PDF of `key` or cannot any more. */
  outcome(key: string): Promise<PrerenderOutcome>;
  /** Counts a PDF the page had to render on the build thread (the build's summary line). */
  renderedOnBuildThread(): void;
}

/*
 * The integration runs from the config Astro loaded, the page from the prerender bundle Vite
 * built: two copies of every module in one Node process. Only a global reaches both.
 */
const HANDLE = Symbol.for('trust-center:avv-pdf-prerender');
type WithHandle = typeof globalThis & { [HANDLE]?: PrerenderHandle };

/** Makes the pre-render of this build the one `pageAvvPdf` waits for. */
export function publishPrerender(handle: PrerenderHandle): void {
  (globalThis as WithHandle)[HANDLE] = handle;
}

/**
 * The PDF of a state for its page: the file the pre-render left in the cache when it ran and
 * succeeded, otherwise (astro dev, `off`, a failed or mismatching worker) rendered here, by the
 * same code under the same key, with the reason logged. The bytes are the same either way.
 */
export async function pageAvvPdf(state: DocumentState, dataCategories: readonly DataCategory[]): Promise<Uint8Array<ArrayBuffer>> {
  const prerender = (globalThis as WithHandle)[HANDLE];
  const outcome: PrerenderOutcome = prerender
    ? await prerender.outcome(await avvPdfKey(state, dataCategories))
    : { ok: false, reason: `no pre-render is running (astro dev, or ${PRERENDER_ENV}=off)` };
  if (!outcome.ok) {
    console.warn(`[avv-pdf] ${state.sha256.slice(0, 12)}…: rendering on the build thread: ${outcome.reason}`);
    prerender?.renderedOnBuildThread();
  }
  return cachedAvvPdf(state, dataCategories, avvPdfCacheDir());
}
