import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The architecture's layering, checked over the import graph (as Starlight checks its own
 * rules): the site never reaches into the Worker's code, the domain stays pure, and no module
 * imports itself round-about.
 */
const root = path.resolve(import.meta.dirname, '..');
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && /\.(ts|mts|mjs|astro)$/.test(entry.name) && !entry.name.endsWith('.d.ts')).map((entry) => path.join(entry.parentPath, entry.name));
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * file → the project files it imports (relative specifiers only; packages are not layers).
 * `runtimeOnly` leaves out `import type`, which is erased before anything runs.
 */
async function importGraph(runtimeOnly: boolean): Promise<Map<string, string[]>> {
  const files = [...(await sourceFiles('src')), ...(await sourceFiles('functions'))];
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .filter((match) => !(runtimeOnly && match[1]))
      .map((match) => match[2] ?? match[3]!)
      .filter((specifier) => specifier.startsWith('.'));
    graph.set(rel(file), targets.map((specifier) => rel(path.resolve(path.dirname(file), specifier))));
  }
  return graph;
}

const graph = await importGraph(false);
const runtimeGraph = await importGraph(true);

/**
 * The Worker's entry, and the benchmark's fan-out part, which runs the consumer's own compose
 * and MIME code in Node to time it apart from SMTP (src/cli/lib/fanout-parts.ts) and takes the
 * consumer's default connection count (src/cli/bench.ts). Neither is bundled into the site.
 */
const MAY_IMPORT_WORKER_CODE = new Set(['src/worker.ts', 'src/cli/bench.ts', 'src/cli/lib/fanout-parts.ts']);

describe('layering', () => {
  it('sees the code (the graph is not empty)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/worker.ts')).toContain('functions/api.ts');
  });

  it('nothing in src/ except src/worker.ts (and the bench that times Worker code in Node) imports functions/', () => {
    const offenders = [...graph].flatMap(([file, targets]) => (file.startsWith('src/') && !MAY_IMPORT_WORKER_CODE.has(file) ? targets.filter((target) => target.startsWith('functions/')).map((target) => `${file} → ${target}`) : []));
    expect(offenders).toEqual([]);
  });

  it('src/domain imports only src/domain and src/schemas', () => {
    const offenders = [...graph].flatMap(([file, targets]) => (file.startsWith('src/domain/') ? targets.filter((target) => !/^src\/(domain|schemas)\//.test(target)).map((target) => `${file} → ${target}`) : []));
    expect(offenders).toEqual([]);
  });

  it('has no import cycles (at run time: type-only imports are erased)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of runtimeGraph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of runtimeGraph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
