import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { close, createIndex, type PagefindIndex } from 'pagefind';
import { InOrderRelease } from '../lib/in-order-release.ts';

/**
 * The static search index, built with the site and written to dist/client/pagefind/, which the
 * search page loads only when someone searches. Only elements marked `data-pagefind-body` are
 * indexed (AVV clauses, TOMs measures, subprocessors, changes), one index per page language. A
 * page Pagefind cannot read fails the build rather than going silently missing from search.
 *
 * Pagefind reads each page while Astro renders the next ones: the prerenderer hands it every
 * HTML page it rendered, so its own process parses on the other core instead of reading all
 * pages from disk after the last one is written (2 s at 2,000 pages, on the rebuild's critical
 * path). Pages reach it in the order Astro listed them (InOrderRelease), so the index has the
 * same bytes on every build. Once the pages are written, every HTML file on disk it did not get
 * is added from disk (redirect pages, anything Astro writes itself), so the index covers exactly
 * what reading the whole folder covers.
 */
export function pagefindIndex(): AstroIntegration {
  let feed: PageFeed | undefined;
  return {
    name: 'trust-center:pagefind',
    hooks: {
      'astro:build:start': ({ setPrerenderer }) => {
        // Sets the one prerenderer of the build: the adapter sets none with prerenderEnvironment 'node'
        // and no build-time image service (astro.config.mjs); the final check below notices if that changes.
        setPrerenderer((defaultPrerenderer) => (feed = new PageFeed()).wrap(defaultPrerenderer));
      },
      'astro:build:setup': ({ target, updateConfig }) => {
        // With a prerenderer set, Astro leaves out the entry of its default one (it expects the
        // adapter's own); the default is what runs inside the wrap, so its entry is put back, as
        // the Cloudflare adapter does when it wraps the default prerenderer itself.
        if (target === 'server') updateConfig({ environments: { prerender: { build: { rolldownOptions: { input: 'astro/entrypoints/prerender' } } } } });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const client = fileURLToPath(dir);
        try {
          const { pageCount, fromDisk } = await (feed ?? new PageFeed()).finish(client);
          logger.info(`search index of ${pageCount} pages written to ${join(client, 'pagefind')} (${fromDisk} of them read from disk after rendering)`);
        } finally {
          await close();
        }
      },
    },
  };
}

/** An HTML page on its way to Pagefind: the URL addDirectory would give its file, and its text. */
interface RenderedPage {
  url: string;
  content: string;
}

/** Feeds the pages a prerenderer renders to one Pagefind index, then completes it from disk. */
class PageFeed {
  #index: Promise<PagefindIndex> | undefined;
  readonly #added: Array<Promise<string[]>> = [];
  readonly #urls = new Set<string>();
  readonly #order = new InOrderRelease<RenderedPage>((page) => this.#add(page));

  /** `inner`, handing each HTML page it renders to Pagefind. */
  wrap(inner: AstroPrerenderer): AstroPrerenderer {
    const positions = new Map<string, number>();
    return {
      name: `${inner.name}+pagefind`,
      // Called on `inner`, as methods: a prerenderer may keep its state on itself.
      ...(inner.setup && { setup: () => inner.setup!() }),
      ...(inner.collectStaticImages && { collectStaticImages: () => inner.collectStaticImages!() }),
      getStaticPaths: async () => {
        const paths = await inner.getStaticPaths();
        paths.forEach(({ pathname }, position) => positions.set(withoutTrailingSlash(pathname), position));
        return paths;
      },
      render: async (request, options) => {
        const result = await inner.render(request, options);
        const response = result instanceof Response ? result : result.response;
        const url = decodeURI(new URL(request.url).pathname);
        const position = positions.get(withoutTrailingSlash(url));
        if (position === undefined) return result;
        // Only what Astro writes as it is: a page answered 200 with HTML, written as `<url>index.html`.
        // Redirects (Astro writes its own template) and endpoints come from disk at the end.
        if (options.routeData.type !== 'page' || response.status !== 200 || !url.endsWith('/') || !response.headers.get('content-type')?.startsWith('text/html')) {
          this.#order.skip(position);
          return result;
        }
        const bytes = await response.arrayBuffer();
        this.#order.arrive(position, { url, content: new TextDecoder().decode(bytes) });
        const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
        return result instanceof Response ? copy : { ...result, response: copy };
      },
      teardown: async () => {
        this.#order.drain();
        await inner.teardown?.();
      },
    };
  }

  /**
   * Adds the HTML files in `client` that no rendered page stood for, writes the index and says
   * how many pages it has. A rendered page with no file of its URL means the assumption above
   * broke (another build format, a page Astro did not write): then the index is made again
   * from the folder alone, as it would be without the feed.
   */
  async finish(client: string): Promise<{ pageCount: number; fromDisk: number }> {
    this.#order.drain();
    const files = (await readdir(client, { recursive: true })).filter((file) => file.endsWith('.html') && !file.startsWith('pagefind/')).sort();
    const onDisk = new Map(files.map((file) => [urlOfFile(file), file]));
    let index = await this.#indexed();
    let fromDisk: number;
    if ([...this.#urls].every((url) => onDisk.has(url))) {
      const missing = [...onDisk].filter(([url]) => !this.#urls.has(url));
      // One after another, after the rendered pages: the order stays the same on every build.
      for (const [url, file] of missing) this.#add({ url, content: await readFile(join(client, file), 'utf8') });
      await this.#failOnErrors();
      fromDisk = missing.length;
    } else {
      await Promise.allSettled(this.#added);
      await index.deleteIndex();
      index = await startIndex();
      const added = await index.addDirectory({ path: client, glob: '**/*.html' });
      if (added.errors.length > 0) throw new Error(`Pagefind could not index the site: ${added.errors.join('; ')}`);
      fromDisk = onDisk.size;
    }
    const written = await index.writeFiles({ outputPath: join(client, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    return { pageCount: onDisk.size, fromDisk };
  }

  async #failOnErrors(): Promise<void> {
    const errors = (await Promise.all(this.#added)).flat();
    if (errors.length > 0) throw new Error(`Pagefind could not index the site: ${errors.join('; ')}`);
  }

  #indexed(): Promise<PagefindIndex> {
    this.#index ??= startIndex();
    return this.#index;
  }

  /** Sends one page; Pagefind numbers pages in the order they are sent, so this is called in that order. */
  #add(page: RenderedPage): void {
    this.#urls.add(page.url);
    this.#added.push(this.#indexed().then((index) => index.addHTMLFile(page)).then(({ errors }) => errors.map((error) => `${page.url}: ${error}`)));
  }
}

/** The URL Pagefind's addDirectory gives a file: `a/b/index.html` → `/a/b/`, `a.html` → `/a.html`. */
function urlOfFile(file: string): string {
  return `/${file.replaceAll('\\', '/').replace(/(^|\/)index\.html$/, '$1')}`;
}

function withoutTrailingSlash(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

async function startIndex(): Promise<PagefindIndex> {
  const { errors, index } = await createIndex({});
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  return index;
}
