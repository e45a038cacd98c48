import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { benchLighthouse, lighthouseGoalRow } from '../src/cli/bench-lighthouse.ts';
import { findChrome } from '../src/cli/lib/chrome-path.ts';

/*
 * A benchmark on a machine without Chromium crashed in its Lighthouse part with an unhandled
 * `spawn /usr/bin/chromium ENOENT` and lost every later part. The browser is looked for
 * first; these cases need no browser to be absent from this machine.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trust-center-chrome-path-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('finding the browser', () => {
  it('names a missing CHROME_PATH and how to install Chromium', () => {
    const missing = path.join(dir, 'no-such-chromium');
    const lookup = findChrome({ CHROME_PATH: missing });
    expect(lookup).toEqual({ found: false, path: missing, reason: expect.stringContaining(`no Chromium at ${missing} (CHROME_PATH)`) });
    expect(lookup.found || lookup.reason).toContain('apt-get install chromium');
  });

  it('refuses a file that cannot be run and a folder', async () => {
    const notExecutable = path.join(dir, 'chromium.txt');
    await writeFile(notExecutable, 'not a browser');
    await chmod(notExecutable, 0o644);
    expect(findChrome({ CHROME_PATH: notExecutable })).toMatchObject({ found: false, reason: expect.stringContaining(`not executable: ${notExecutable}`) });
    expect(findChrome({ CHROME_PATH: dir })).toMatchObject({ found: false, reason: expect.stringContaining('is not a file') });
  });

  it('takes an executable CHROME_PATH, and /usr/bin/chromium without one', () => {
    expect(findChrome({ CHROME_PATH: process.execPath })).toEqual({ found: true, path: process.execPath });
    expect(findChrome({}).path).toBe('/usr/bin/chromium');
    expect(findChrome({ CHROME_PATH: '' }).path).toBe('/usr/bin/chromium');
  });
});

describe('the Lighthouse part without a browser', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('prints one line, starts nothing and reports "not measured"', async () => {
    const missing = path.join(dir, 'gone', 'chromium');
    vi.stubEnv('CHROME_PATH', missing);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const result = await benchLighthouse(1);
    expect(result).toEqual({ measured: false, reason: expect.stringContaining(missing) });
    expect(lines.filter((line) => line.startsWith('Lighthouse not measured:'))).toEqual([`Lighthouse not measured: ${(result as { reason: string }).reason}.`]);
    const row = lighthouseGoalRow(result);
    expect(row.at(-1)).toBe('not measured');
    expect(row[1]).toContain('apt-get install chromium');
  });

  it('says met only when every page was measured at target', () => {
    expect(lighthouseGoalRow({ measured: true, missed: [] }).at(-1)).toBe('met');
    expect(lighthouseGoalRow({ measured: true, missed: ['TOMs'] }).slice(1)).toEqual(['below target: TOMs', '', 'performance ≥ 98, others 100', 'NOT met']);
  });
});
