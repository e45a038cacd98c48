import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countryName } from '../../domain/countries.ts';
import { benchContext, benchSlug, benchSubprocessor } from './generate-content.ts';
import { root, runScript, toolEnv } from './run.ts';

/** A Starlight site with N pages, installed from the npm registry into a temp folder. */
export interface StarlightPeer {
  dir: string;
  pages: number;
  astroVersion: string;
  starlightVersion: string;
  /** Cold `astro build` (no cache, no dist); Node options as for buildSite. */
  build(nodeArgs?: string[]): Promise<void>;
  remove(): Promise<void>;
}

/**
 * The benchmark's peer: the current Astro and Starlight from the npm registry (`npm install
 * astro@latest @astrojs/starlight@latest`, Starlight's defaults, Pagefind search included) and
 * `pages` Markdown pages carrying the same generated subprocessors as our benchmark content,
 * one page each.
 */
export async function setUpStarlightPeer(pages: number): Promise<StarlightPeer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trust-center-peer-'));
  try {
    await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'trust-center-bench-peer', private: true, type: 'module' }, null, 2)}\n`);
    console.log(`[bench] installing astro@latest and @astrojs/starlight@latest into ${dir}`);
    await npm(dir, ['install', '--no-audit', '--no-fund', '--loglevel=error', 'astro@latest', '@astrojs/starlight@latest']);
    await writeFile(
      path.join(dir, 'astro.config.mjs'),
      `import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\n\nexport default defineConfig({ site: 'https://peer.example', integrations: [starlight({ title: 'Peer Trust Center' })] });\n`,
    );
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await writeFile(
      path.join(dir, 'src/content.config.ts'),
      `import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\n\nexport const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n`,
    );
    const docs = path.join(dir, 'src/content/docs/subprocessors');
    await mkdir(docs, { recursive: true });
    await writeFile(path.join(dir, 'src/content/docs/index.md'), `---\ntitle: Peer Trust Center\ndescription: ${pages} subprocessors\n---\n\nGenerated pages for the build benchmark.\n`);
    const context = await benchContext(path.join(root, 'content'));
    for (let index = 1; index <= pages; index++) await writeFile(path.join(docs, `${benchSlug(index)}.md`), subprocessorPage(benchSubprocessor(index, context)));
    const version = async (pkg: string) => (JSON.parse(await readFile(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    return {
      dir,
      pages,
      astroVersion: await version('astro'),
      starlightVersion: await version('@astrojs/starlight'),
      async build(nodeArgs = []) {
        await rm(path.join(dir, 'dist'), { recursive: true, force: true });
        await rm(path.join(dir, 'node_modules/.astro'), { recursive: true, force: true });
        await runScript(path.join(dir, 'node_modules/astro/bin/astro.mjs'), ['build', '--force'], { cwd: dir, quiet: true, nodeArgs }, 'peer astro');
      },
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One subprocessor as a Starlight page: the facts our subprocessor page shows, as Markdown. */
function subprocessorPage(entry: ReturnType<typeof benchSubprocessor>): string {
  const { address } = entry;
  return `---
title: ${JSON.stringify(entry.name)}
description: ${JSON.stringify(entry.purpose.en)}
---

${entry.purpose.de}

## Legal entity

| | |
| --- | --- |
| Legal entity | ${entry.legalEntity} |
| Address | ${address.street}, ${address.postalCode} ${address.city}, ${countryName(address.country, 'en')} |
| Contact | ${entry.contact} |
| Website | <${entry.website}> |
| Group | ${entry.groups.map((group) => group.en).join(", ")} |
| Since | ${entry.since} |

## Processing

- Data categories: ${entry.dataCategories.join(', ')}
- Data subjects: ${entry.dataSubjects.join(', ')}
- Services: ${(entry.services ?? []).join(', ')}
- Certifications: ${(entry.certifications ?? []).join(', ') || 'none'}

## Locations and transfers

${entry.locations.map((location) => `- ${countryName(location.country, 'en')}${location.city ? `, ${location.city}` : ''}`).join('\n')}
${(entry.transfers ?? []).map((transfer) => `- Transfer to ${countryName(transfer.country, 'en')}: ${transfer.type}`).join('\n')}
`;
}

/** npm as npm runs us (npm_execpath), else the `npm` on PATH, with our pinned Node first on PATH. */
function npm(cwd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const viaExecPath = process.env.npm_execpath?.endsWith('.js');
    const command = viaExecPath ? process.execPath : 'npm';
    const child = spawn(command, viaExecPath ? [process.env.npm_execpath!, ...args] : args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: toolEnv({ PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} failed (exit ${code})\n${output}`))));
  });
}
