/**
 * Astro's cache directory for this build, relative to the project root. Builds of different
 * content folders (tests, the benchmark) get their own, so they neither mix content entries nor
 * race each other, and a fresh content folder always starts cold. astro.config.mjs sets it;
 * the social cards and the AVV PDFs keep their files beneath it.
 */
export function buildCacheDir(contentDir: string | undefined = process.env.TRUST_CENTER_CONTENT_DIR): string {
  return contentDir ? `./node_modules/.astro/content-${contentDir.replace(/[^A-Za-z0-9]+/g, '_')}` : './node_modules/.astro/default';
}
