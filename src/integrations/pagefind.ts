import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { close, createIndex } from 'pagefind';

/**
 * The static search index, built with the site: after `astro build` Pagefind reads the
 * prerendered HTML in dist/client and writes its index and loader to dist/client/pagefind/,
 * which the search page loads only when someone searches. Only elements marked
 * `data-pagefind-body` are indexed (AVV clauses, TOMs measures, subprocessors, changes), one
 * index per page language. A page Pagefind cannot read fails the build rather than going
 * silently missing from search.
 */
export function pagefindIndex(): AstroIntegration {
  return {
    name: 'trust-center:pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const client = fileURLToPath(dir);
        try {
          const { errors, index } = await createIndex({});
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: client, glob: '**/*.html' });
          if (added.errors.length > 0) throw new Error(`Pagefind could not index the site: ${added.errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: join(client, 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
          logger.info(`search index of ${added.page_count} pages written to ${written.outputPath}`);
        } finally {
          await close();
        }
      },
    },
  };
}
