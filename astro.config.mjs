// @ts-check
import { defineConfig } from 'astro/config';
import cloudflare from '@astrojs/cloudflare';
import { satteri } from '@astrojs/markdown-satteri';
import { buildCacheDir } from './src/lib/build-cache-dir.ts';
import { contentCheck } from './src/lib/content-check-integration.ts';
import { avvPdfPrerender } from './src/integrations/avv-pdf-prerender.ts';
import { buildCachePrune } from './src/integrations/build-cache-prune.ts';
import { buildPhases } from './src/integrations/build-phases.ts';
import { pagefindIndex } from './src/integrations/pagefind.ts';

/**
 * Pages are prerendered from `content/` (output 'static'); the only code that runs per request
 * is the Hono Worker in `src/worker.ts` (wrangler.toml `main`), which serves `/api/*` and hands
 * everything else to Astro through `@astrojs/cloudflare/hono`.
 */
export default defineConfig({
  // One per content folder (see the function): loaded content and rendered social cards.
  cacheDir: buildCacheDir(),
  site: process.env.TRUST_CENTER_SITE_URL ?? 'https://trust.wolkenwerk.example',
  output: 'server',
  trailingSlash: 'ignore',
  // No inline scripts or styles, so one static Content-Security-Policy header with
  // `script-src 'self'; style-src 'self'` covers every page (functions/pipeline/security-headers.ts,
  // public/_headers). Astro's own `security.csp` would put hashes into a <meta> tag instead,
  // which cannot carry frame-ancestors, and the Cloudflare adapter emits no CSP headers.
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  prerenderConflictBehavior: 'error',
  // No sessions: nothing on this site is personalised, and evidence lives in D1.
  session: false,
  adapter: cloudflare({
    // Prerendering (satori social cards, holiday tables) runs in Node at build time, so none of
    // it is bundled into the Worker. The search index integration wraps Astro's default (Node)
    // prerenderer to index pages as they render (src/integrations/pagefind.ts): 'workerd' here
    // would need that wrap moved into the adapter's prerenderer.
    prerenderEnvironment: 'node',
    imageService: 'passthrough',
  }),
  i18n: {
    locales: ['de', 'en'],
    defaultLocale: 'de',
    routing: { prefixDefaultLocale: false },
  },
  markdown: {
    // `## § 7 Title {#anchor}`: clause anchors written by the author stay stable across
    // versions and renumbering, so deep links into the AVV survive edits.
    processor: satteri({ features: { headingAttributes: true } }),
  },
  devToolbar: { enabled: false },
  // avvPdfPrerender first: its worker thread starts rendering the AVV PDFs before anything else
  // runs. buildCachePrune removes cached renders no build used for two weeks.
  // buildPhases last: it times everything before it (the benchmark prints where the time goes).
  integrations: [avvPdfPrerender(), contentCheck(process.env.TRUST_CENTER_CONTENT_DIR ?? './content'), pagefindIndex(), buildCachePrune(), buildPhases()],
});
