import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Runs `run` with Node options that make the Node process it starts record its own peak
 * resident set size when it exits (`process.resourceUsage().maxRSS`); resolves to that peak in
 * bytes. Only that process is measured: the tools it starts (esbuild) are not Node and small.
 */
export async function measurePeakRss(run: (nodeArgs: string[]) => Promise<unknown>): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trust-center-rss-'));
  const file = path.join(dir, 'max-rss-kib');
  // A data: URL carries the file name along, so nothing leaks into the environment of children.
  const probe = `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(file)}, String(process.resourceUsage().maxRSS)));`;
  try {
    await run([`--import=data:text/javascript,${encodeURIComponent(probe)}`]);
    return Number(await readFile(file, 'utf8')) * 1024;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
