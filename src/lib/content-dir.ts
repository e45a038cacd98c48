/**
 * Where the content lives. `content/` unless TRUST_CENTER_CONTENT_DIR points elsewhere, which
 * the build tests and the benchmark use to build generated or deliberately broken content.
 */
export const contentDir: string = process.env.TRUST_CENTER_CONTENT_DIR ?? './content';
