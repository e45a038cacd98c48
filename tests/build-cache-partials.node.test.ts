import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../src/lib/build-cache.ts';

/*
 * Partial files (`<file>.<pid>.<random>.tmp`) of a build that was killed mid-write are removed
 * when the cache is written next; those of running processes (another build sharing the cache,
 * this one) stay, since they may be renamed into place at any moment.
 */

const dirs: string[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A process that ran and ended: its pid runs nothing now. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** A process that runs until the test ends: another build. */
function runningPid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  children.push(child);
  return child.pid!;
}

describe('partial files of the build cache', () => {
  it('removes those of ended processes, keeps those of running ones and every other file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'build-cache-partials-'));
    dirs.push(dir);
    const ended = await endedPid();
    const running = runningPid();
    const files = {
      stale: `a.pdf.${ended}.k3j9.tmp`,
      otherBuild: `b.pdf.${running}.x7q2.tmp`,
      ownBuild: `c.pdf.${process.pid}.m1n4.tmp`,
      entry: 'd.pdf',
      notPartial: 'notes.tmp',
    };
    for (const name of Object.values(files)) await writeFile(join(dir, name), name);

    await writeAtomically(join(dir, 'e.pdf'), 'new');

    expect((await readdir(dir)).sort()).toEqual([files.otherBuild, files.ownBuild, files.entry, 'e.pdf', files.notPartial].sort());
    expect(await readFile(join(dir, 'e.pdf'), 'utf8')).toBe('new');
  });
});
