import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_BUILD_DATE } from '../src/cli/build.ts';
import { PublishedStatesLockSchema } from '../src/schemas/published-states.ts';
import { scratchDir } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');

/** Runs one of the project's CLIs as `npm run …` does (the script itself, with the pinned Node). */
function run(script: string, args: string[]): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => resolvePromise({ exitCode: code ?? 1, stdout }));
  });
}

/** A copy of the example content, with its committed lock. */
async function exampleCopy(prefix: string): Promise<string> {
  const dir = await scratchDir(prefix);
  await cp(join(root, 'content'), dir, { recursive: true });
  return dir;
}

const readLock = async (dir: string) => PublishedStatesLockSchema.parse(JSON.parse(await readFile(join(dir, 'published-states.json'), 'utf8')));

describe('published document states are locked', { timeout: 60_000 }, () => {
  it('the example content holds a lock of every state it offered: no error, no warning', async () => {
    const dir = await exampleCopy('states-example');
    const result = await run('src/cli/check.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('published-state');
    expect(result.stdout).not.toContain('Warnings');
  });

  it('refuses an offered subprocessor file edited in place, naming the file, the periods and both hashes', async () => {
    const dir = await exampleCopy('states-edited');
    const file = join(dir, 'subprocessors/helpdeskly.yaml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('  de: Ticketsystem, Support-Postfach und Live-Chat');
    await writeFile(file, text.replace('  de: Ticketsystem, Support-Postfach und Live-Chat', '  de: Ticketsystem und Support-Postfach'));

    const result = await run('src/cli/check.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n').filter((line) => line.includes('[published-state-changed]'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^  ${relative(root, file).replace(/[.]/g, '\\.')}: edited in place: `));
    // Every locked period helpdeskly was part of is named with its locked hash and the one derived now.
    const locked = (await readLock(dir)).states.filter((entry) => 'subprocessors/helpdeskly.yaml' in entry.parts);
    expect(locked.length).toBeGreaterThan(1);
    for (const entry of locked) expect(lines[0]).toContain(`AVV ${entry.avvVersion} offered ${entry.offeredUntil ? `${entry.offeredFrom} to ${entry.offeredUntil}` : `from ${entry.offeredFrom}`}`);
    for (const entry of locked) expect(lines[0]).toContain(`locked ${entry.sha256}, the days`);
    expect(lines[0]).toMatch(/now derive [0-9a-f]{64}/);
    expect(lines[0]).toContain('restore the file as it was');
  });

  it('a later build day warns about states not locked yet, without failing', async () => {
    const dir = await exampleCopy('states-later');
    // Every change of the example content has taken effect by then: periods the lock cannot hold yet.
    const warned = await run('src/cli/check.ts', ['--content-dir', dir, '--build-date', '2027-06-01']);
    expect(warned.exitCode, warned.stdout).toBe(0);
    expect(warned.stdout).toContain('Warnings (the build goes on):');
    // The command to copy names this tree, and the file to commit.
    expect(warned.stdout).toContain(`is not locked yet: run \`npm run states:lock -- --content-dir ${relative(root, dir)}\` and commit ${relative(root, dir)}/published-states.json`);
    expect(warned.stdout).not.toContain('published-state-changed');
  });

  it('states:lock only appends what is missing, never rewrites, and never locks a day still to come', async () => {
    const dir = await exampleCopy('states-append');
    const full = await readLock(dir);
    const kept = full.states.slice(0, 3);
    await writeFile(join(dir, 'published-states.json'), `${JSON.stringify({ ...full, states: kept }, null, 2)}\n`);
    const warned = await run('src/cli/check.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(warned.exitCode, warned.stdout).toBe(0);
    expect(warned.stdout.split('\n').filter((line) => line.endsWith('[published-state-not-locked]'))).toHaveLength(full.states.length - 3);

    const locked = await run('src/cli/lock-states.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(locked.exitCode, locked.stdout).toBe(0);
    const after = await readLock(dir);
    expect(after.states.slice(0, 3)).toEqual(kept);
    // The same states as the committed lock, written on another day.
    expect(after.states.slice(3).map(({ lockedOn, ...entry }) => [lockedOn, entry])).toEqual(full.states.slice(3).map(({ lockedOn: _day, ...entry }) => [TEST_BUILD_DATE, entry]));

    const clean = await run('src/cli/check.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(clean.exitCode, clean.stdout).toBe(0);
    expect(clean.stdout).not.toContain('Warnings');
    const bytes = await readFile(join(dir, 'published-states.json'), 'utf8');
    const again = await run('src/cli/lock-states.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(again.stdout).toContain('nothing to add');
    const future = await run('src/cli/lock-states.ts', ['--content-dir', dir, '--build-date', '2999-01-01']);
    expect(future.exitCode).toBe(1);
    expect(future.stdout).toContain('only days already offered can be locked');
    expect(await readFile(join(dir, 'published-states.json'), 'utf8')).toBe(bytes);
  });

  it('states:lock refuses content that changed a locked state and leaves the lock as it was', async () => {
    const dir = await exampleCopy('states-refused');
    const bytes = await readFile(join(dir, 'published-states.json'), 'utf8');
    const file = join(dir, 'toms/2024-06.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, `${text.trimEnd()}\n\nEin nachträglich eingefügter Satz.\n`);
    const result = await run('src/cli/lock-states.ts', ['--content-dir', dir, '--build-date', TEST_BUILD_DATE]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`${relative(root, file)}: edited in place`);
    expect(result.stdout).toContain('Nothing was locked');
    expect(await readFile(join(dir, 'published-states.json'), 'utf8')).toBe(bytes);
  });
});
