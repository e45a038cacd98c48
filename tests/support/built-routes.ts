import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One route of the built Worker, as Astro's serialized manifest in dist/server states it. */
export interface BuiltRoute {
  /** The route pattern, e.g. "/[...lang]/avv/accept/receipt", "/404", "/_image". */
  route: string;
  /** Written to dist/client at build time (true) or rendered by the Worker per request. */
  prerender: boolean;
  /** "page" or "endpoint". */
  type: string;
  /** "project" (src/pages) or "internal" (Astro's own). */
  origin?: string;
  /** The source file, e.g. "src/pages/404.astro". */
  component: string;
}

const ROUTE_DATA = '"routeData":';

/** The JSON object that starts at `start` (a "{"), read with strings and escapes respected. */
function jsonObjectAt(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unterminated routeData object at ${start}`);
}

/**
 * Every route of the build in `serverDir` (default dist/server), read from the manifest Astro
 * serializes into the Worker bundle: the one list of which routes are prerendered, as the
 * deployed Worker will have it, including Astro's own routes that no file in src/pages names.
 */
export async function builtRoutes(serverDir = path.resolve(import.meta.dirname, '../../dist/server')): Promise<BuiltRoute[]> {
  const routes = new Map<string, BuiltRoute>();
  for (const entry of await readdir(serverDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.mjs')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    for (let at = text.indexOf(ROUTE_DATA); at !== -1; at = text.indexOf(ROUTE_DATA, at + 1)) {
      const data = JSON.parse(jsonObjectAt(text, at + ROUTE_DATA.length)) as BuiltRoute;
      routes.set(data.route, data);
    }
  }
  if (routes.size === 0) throw new Error(`no routes found in ${serverDir}: is the site built, and does Astro still serialize "routeData" into the bundle?`);
  return [...routes.values()].sort((a, b) => a.route.localeCompare(b.route));
}
