import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import type { ProfileNode } from './cpu-profile.ts';

/**
 * Maps a frame of the built Worker (`entry.mjs`, `chunks/*.mjs` in `dist/server`, as workerd
 * names them in a CPU profile) back to the file of the project it was bundled from, by the
 * build's own source maps: e.g. "functions/acceptances/sequencer.ts" or
 * "node_modules/hono/dist/hono-base.js". Undefined for frames of no built script (workerd's
 * own, native code): a profile counts those to their caller.
 */
export function builtSourceOf(serverDir: string): (frame: ProfileNode['callFrame']) => string | undefined {
  const locate = builtLocationOf(serverDir);
  return (frame) => locate(frame)?.source;
}

/** Where a frame of the built Worker was bundled from: the project file and its 1-based line (0 for workerd's own scripts). */
export interface BuiltLocation {
  source: string;
  line: number;
}

/** As `builtSourceOf`, with the original line, so a profile can name the function it sampled. */
export function builtLocationOf(serverDir: string): (frame: ProfileNode['callFrame']) => BuiltLocation | undefined {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      const mapFile = `${path.join(serverDir, url)}.map`;
      maps.set(url, url.endsWith('.mjs') && existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : null);
    }
    return maps.get(url)!;
  };
  const root = path.resolve(serverDir, '../..');
  return (frame) => {
    if (frame.url.startsWith('cloudflare-internal:') || frame.url.startsWith('node-internal:')) return { source: frame.url, line: 0 };
    const map = frame.url === '' ? null : mapOf(frame.url);
    if (!map) return undefined;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!('originalSource' in entry) || !entry.originalSource) return undefined;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(serverDir, path.dirname(frame.url), entry.originalSource);
    return { source: path.relative(root, source), line: entry.originalLine + 1 };
  };
}
