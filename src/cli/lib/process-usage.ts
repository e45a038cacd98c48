import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one Node process used, from its own `process.resourceUsage()` as it exited. */
export interface ProcessUsage {
  /** Peak resident set size in bytes. */
  peakRssBytes: number;
  /**
   * CPU seconds, user + system, of all its threads (the build's worker threads count): with the
   * wall time it says whether work moved to another core or only changed places.
   */
  cpuSeconds: number;
}

/**
 * Runs `run` with Node options that make the Node process it starts record its own peak
 * resident set size and CPU time when it exits; resolves to them. Only that process is
 * measured: the tools it starts (esbuild, Pagefind) are not Node and not counted.
 */
export async function measureProcessUsage(run: (nodeArgs: string[]) => Promise<unknown>): Promise<ProcessUsage> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trust-center-usage-'));
  const file = path.join(dir, 'usage.json');
  // A data: URL carries the file name along, so nothing leaks into the environment of children.
  // Only the main thread writes: a worker thread loads the same --import and exits earlier.
  const probe = `import { writeFileSync } from 'node:fs'; import { isMainThread } from 'node:worker_threads'; if (isMainThread) process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(file)}, JSON.stringify({ maxRssKib: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime })); });`;
  try {
    await run([`--import=data:text/javascript,${encodeURIComponent(probe)}`]);
    const usage = JSON.parse(await readFile(file, 'utf8')) as { maxRssKib: number; cpuMicros: number };
    return { peakRssBytes: usage.maxRssKib * 1024, cpuSeconds: usage.cpuMicros / 1e6 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
