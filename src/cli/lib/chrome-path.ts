import { accessSync, constants, statSync } from 'node:fs';

/** Debian's Chromium, the only browser the benchmark runs (it never downloads one). */
export const DEFAULT_CHROME_PATH = '/usr/bin/chromium';

/** Where the Lighthouse part finds its browser: CHROME_PATH, else Debian's Chromium. */
export type ChromeLookup = { found: true; path: string } | { found: false; path: string; reason: string };

/**
 * Whether the browser Lighthouse would launch is there and runnable, decided before anything
 * starts: chrome-launcher's spawn fails later with an unhandled `spawn … ENOENT` that ended the
 * whole benchmark. `reason` is the one line to print: what is missing and how to get it.
 */
export function findChrome(env: Readonly<Record<string, string | undefined>> = process.env): ChromeLookup {
  const fromEnv = env.CHROME_PATH !== undefined && env.CHROME_PATH !== '';
  const path = fromEnv ? env.CHROME_PATH! : DEFAULT_CHROME_PATH;
  const source = fromEnv ? 'CHROME_PATH' : 'the default path';
  const howTo = 'install it with `apt-get install chromium` or set CHROME_PATH to a Chromium or Chrome binary';
  try {
    if (!statSync(path).isFile()) return { found: false, path, reason: `${path} (${source}) is not a file; ${howTo}` };
    accessSync(path, constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no Chromium at' : code === 'EACCES' ? 'not executable:' : `cannot use (${code ?? String(error)})`;
    return { found: false, path, reason: `${what} ${path} (${source}); ${howTo}` };
  }
  return { found: true, path };
}
