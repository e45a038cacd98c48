import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

/** Where package-lock.json installs copies of `name`. */
function copiesOf(name: string): string[] {
  return Object.keys(lock.packages).filter((location) => location === `node_modules/${name}` || location.endsWith(`/node_modules/${name}`));
}

describe('dependency tree', () => {
  // The Cloudflare adapter reads wrangler.toml with the project's wrangler, its Vite plugin with
  // the wrangler it pins; without the override in package.json both load in every build (about
  // a second of start-up each) and could read the same config differently.
  test('one wrangler: the Cloudflare Vite plugin uses the project\'s own (package.json overrides)', () => {
    expect(copiesOf('wrangler')).toEqual(['node_modules/wrangler']);
    const pinned = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.wrangler;
    expect(pinned, 'the project pins wrangler itself').toBeDefined();
  });
});
