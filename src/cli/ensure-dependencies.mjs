// Runs as `prestart`/`pretest`, before any dependency exists, under whatever Node runs npm
// (Debian's Node 20 here). Hence plain JS for Node 18+, no imports outside node:*. Once it
// has run, node_modules/.bin/node is the Node 24 the lockfile pins, and the `start`/`test`
// scripts that npm runs next find it first on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Why node_modules cannot be used as is, or null when it matches package-lock.json. */
function staleReason() {
  if (!existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const locked = lock.packages || {};
  for (const [location, entry] of Object.entries(locked)) {
    if (!location.startsWith('node_modules/')) continue;
    const manifest = path.join(root, location, 'package.json');
    if (!existsSync(manifest)) {
      // Optional packages are mostly platform-specific builds (esbuild, workerd): npm skips them.
      if (entry.optional || !fitsPlatform(entry)) continue;
      return `${location} is missing`;
    }
    if (entry.version && !entry.link) {
      const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
      if (installed !== entry.version) return `${location} is ${installed}, package-lock.json wants ${entry.version}`;
    }
  }
  // A package installed earlier that the lockfile no longer lists stays in node_modules and is
  // still found first: a nested copy shadows the shared one (package.json `overrides` remove
  // such copies). npm records the tree it installed in node_modules/.package-lock.json.
  const installed = readJsonIfPresent(path.join(root, 'node_modules', '.package-lock.json'));
  for (const location of Object.keys((installed && installed.packages) || {})) {
    if (location.startsWith('node_modules/') && !(location in locked) && existsSync(path.join(root, location, 'package.json'))) {
      return `${location} is installed but package-lock.json no longer lists it`;
    }
  }
  // The `node` package fetches the real binary in its own install script; check it actually runs.
  const pinned = locked['node_modules/node'];
  if (pinned) {
    const binary = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0 || probe.stdout.trim() !== `v${pinned.version}`) {
      return `node_modules/.bin/node does not run Node ${pinned.version}`;
    }
  }
  return null;
}

function readJsonIfPresent(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** npm's `os`/`cpu` matching: a list of allowed values, or of `!excluded` ones. */
function fitsPlatform(entry) {
  const fits = (list, value) => {
    if (!Array.isArray(list) || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    return list.some((item) => !item.startsWith('!')) ? list.includes(value) : true;
  };
  return fits(entry.os, process.platform) && fits(entry.cpu, process.arch);
}

function npmCi() {
  // Use the npm (and the Node) that started this script: node_modules/.bin/node may be the old
  // pinned binary that `npm ci` replaces. Drop node_modules/.bin from PATH for the same reason.
  const env = { ...process.env };
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') || 'PATH';
  env[pathKey] = (env[pathKey] || '')
    .split(path.delimiter)
    .filter((dir) => !dir.split(path.sep).join('/').endsWith('node_modules/.bin'))
    .join(path.delimiter);
  // `npm ci`: exactly the committed lockfile, which lists every platform's optional builds
  // (esbuild, workerd, the Astro compiler; the registry serves them all), so the install is the
  // same on every machine and never rewrites package-lock.json.
  const args = ['ci', '--include=dev', '--no-audit', '--no-fund'];
  const viaNpm = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js');
  // stderr is filtered (see below), so it is piped; stdout (progress, summary) stays live.
  const stdio = ['inherit', 'inherit', 'pipe'];
  const result = viaNpm
    ? spawnSync(process.env.npm_node_execpath || process.execPath, [process.env.npm_execpath, ...args], { cwd: root, env, stdio, encoding: 'utf8' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: root, env, stdio, encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  process.stderr.write(withoutEngineWarnings(result.stderr || ''));
  return result.status === null ? 1 : result.status;
}

/**
 * npm, run by an older Node (Debian's 20), prints a block of `npm warn EBADENGINE` lines for
 * every tool that wants Node ≥ 22.12 (wrangler, miniflare, …). Those tools never run on it: the
 * install itself brings the pinned Node 24 that runs them. One line says so instead.
 */
function withoutEngineWarnings(stderr) {
  const lines = stderr.split(/\r?\n/);
  const kept = lines.filter((line) => !line.startsWith('npm warn EBADENGINE'));
  const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.node;
  // Only an install by an older Node than the pinned one is explained away; others stay visible.
  if (kept.length === lines.length || !pinned || Number(process.versions.node.split('.')[0]) >= Number(String(pinned).split('.')[0])) return stderr;
  const note = `[deps] Node ${process.versions.node} runs this install; tools that need a newer Node will run on the pinned Node ${pinned} it installs (npm's EBADENGINE warnings about that are hidden).`;
  return [note, ...kept].join('\n');
}

const reason = staleReason();
if (reason === null) process.exit(0);
console.log(`[deps] ${reason}: running npm ci`);
const status = npmCi();
if (status !== 0) {
  console.error('[deps] npm ci failed (see above).');
  process.exit(status);
}
const after = staleReason();
if (after !== null) {
  console.error(`[deps] still not usable after npm ci: ${after}`);
  process.exit(1);
}
console.log('[deps] dependencies installed');
