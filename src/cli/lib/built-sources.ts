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
    if (frame.url.startsWith('cloudflare-internal:') || frame.url.startsWith('node-internal:')) return frame.url;
    const map = frame.url === '' ? null : mapOf(frame.url);
    if (!map) return undefined;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!('originalSource' in entry) || !entry.originalSource) return undefined;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(serverDir, path.dirname(frame.url), entry.originalSource);
    return path.relative(root, source);
  };
}
