import type { AstroIntegration } from 'astro';
import { avvPdfCacheDir, wordLayoutsFile } from '../lib/avv-pdf-cache.ts';
import { BUILD_CACHE_MAX_AGE_DAYS, pruneBuildCache } from '../lib/build-cache-prune.ts';
import { socialCardCacheDir } from '../lib/social-card.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * After a build that succeeded, removes the AVV PDFs and social cards no build used for
 * BUILD_CACHE_MAX_AGE_DAYS (src/lib/build-cache-prune.ts), so the cache holds what the content
 * of the last weeks needs instead of one set of files per code change. The word layouts of the
 * current fonts and PDF engine stay whatever their age. A failed build prunes nothing.
 */
export function buildCachePrune(): AstroIntegration {
  return {
    name: 'trust-center:build-cache-prune',
    hooks: {
      'astro:build:done': async ({ logger }) => {
        const pdfs = avvPdfCacheDir();
        const keep = new Set([await wordLayoutsFile(pdfs)]);
        const maxAgeMs = BUILD_CACHE_MAX_AGE_DAYS * DAY_MS;
        const results = await Promise.all([pruneBuildCache(pdfs, { maxAgeMs, keep }), pruneBuildCache(socialCardCacheDir(), { maxAgeMs })]);
        const files = results.reduce((sum, result) => sum + result.files, 0);
        const bytes = results.reduce((sum, result) => sum + result.bytes, 0);
        if (files > 0) logger.info(`build cache: removed ${files} file(s), ${(bytes / 1024 / 1024).toFixed(1)} MiB, that no build used for ${BUILD_CACHE_MAX_AGE_DAYS} days`);
      },
    },
  };
}
