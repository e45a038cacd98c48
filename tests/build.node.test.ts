import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../src/domain/manifest.ts';
import { astroBuild, scratchDir } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');
const fixture = join(root, 'tests/fixtures/minimal-content');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

// Real builds take seconds each; these tests are about the build, so they wait for it.
describe('astro build of the example content', { timeout: 180_000 }, () => {
  it('publishes every page, the feeds, the manifest and document hashes, identically twice', async () => {
    const [first, second] = [await scratchDir('build-a'), await scratchDir('build-b')];
    const a = await astroBuild({ outDir: first });
    expect(a.exitCode, a.output).toBe(0);
    const b = await astroBuild({ outDir: second });
    expect(b.exitCode, b.output).toBe(0);

    const manifestA = ManifestSchema.parse(JSON.parse(await readFile(join(first, 'client/manifest.json'), 'utf8')));
    const manifestB = await readFile(join(second, 'client/manifest.json'), 'utf8');
    expect(JSON.parse(manifestB)).toEqual(manifestA);

    // Every version's canonical document hashes to what the manifest says.
    for (const version of manifestA.avvVersions) {
      const bytes = await readFile(join(first, 'client', version.documentPath));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(version.documentSha256);
    }
    expect(manifestA.avvVersions.length).toBeGreaterThanOrEqual(2);
    expect(manifestA.currentAvvVersion).toBe(manifestA.avvVersions.find((v) => v.status === 'current')?.version);
    expect(manifestA.changes.some((change) => change.terms.status === 'response-open')).toBe(true);

    const files = await listFiles(join(first, 'client'));
    const feeds = ['changes.atom', 'changes.rss', 'changes.json', 'calendar.ics'].flatMap((file) => [`feeds/${file}`, `en/feeds/${file}`]);
    for (const page of ['index.html', 'avv/index.html', 'avv/versions/index.html', 'toms/index.html', 'subprocessors/index.html', 'subprocessors/matrix/index.html', 'changes/index.html', '404.html', 'sitemap.xml', '.well-known/security.txt', 'en/index.html', 'en/avv/index.html', ...feeds]) {
      expect(files, page).toContain(page);
    }
    const [older, newer] = manifestA.avvVersions;
    expect(files).toContain(`avv/compare/${older!.version}/${newer!.version}/index.html`);
    expect(files.filter((file) => file.startsWith('og/') && file.endsWith('.png')).length).toBeGreaterThan(20);

    // Every HTML page and feed is byte-identical across the two builds (no timestamps, no random ids).
    const differing: string[] = [];
    for (const file of [...files.filter((name) => name.endsWith('.html')), ...feeds]) {
      const [x, y] = await Promise.all([readFile(join(first, 'client', file), 'utf8'), readFile(join(second, 'client', file), 'utf8')]);
      if (x !== y) differing.push(file);
    }
    expect(differing).toEqual([]);
  });

  it('keeps document hashes when only the build day moves on', async () => {
    const [today, tomorrow] = [await scratchDir('build-today'), await scratchDir('build-tomorrow')];
    for (const [outDir, buildDate] of [[today, '2026-11-23'], [tomorrow, '2026-11-24']] as const) {
      const result = await astroBuild({ outDir, buildDate });
      expect(result.exitCode, result.output).toBe(0);
    }
    const hashes = async (dir: string) => {
      const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(dir, 'client/manifest.json'), 'utf8')));
      return manifest.avvVersions.map(({ version, documentAsOf, documentSha256 }) => ({ version, documentAsOf, documentSha256 }));
    };
    // A customer who opened the accept page yesterday still accepts the same document today.
    expect(await hashes(tomorrow)).toEqual(await hashes(today));
  });
});

describe('astro build refuses content that would publish something legally wrong', { timeout: 120_000 }, () => {
  it('names file, field and reason for a cross-file problem', async () => {
    const content = await scratchDir('content-bad');
    await cp(fixture, content, { recursive: true });
    const changeFile = join(content, 'changes/2026-11-support-neu.md');
    const text = await readFile(changeFile, 'utf8');
    await writeFile(changeFile, text.replace('subprocessors: [support-neu]', 'subprocessors: [support-neu, gibt-es-nicht]').replace('effectiveDate: 2026-12-28', 'effectiveDate: 2026-12-21'));
    const result = await astroBuild({ outDir: await scratchDir('dist-bad'), contentDir: content });
    expect(result.exitCode).not.toBe(0);
    const relativeChange = relative(root, changeFile);
    expect(result.output).toContain(`${relativeChange} › subprocessors[1]: unknown subprocessor "gibt-es-nicht"`);
    expect(result.output).toContain(`${relativeChange} › effectiveDate: effective date 2026-12-21 is too early`);
  });

  it('names file, field and reason for a missing transfer basis, before Astro loads the content', async () => {
    const content = await scratchDir('content-bad');
    await cp(fixture, content, { recursive: true });
    const file = join(content, 'subprocessors/mailer-us.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('transfers: [{ type: eu-us-dpf }]\n', ''));
    const result = await astroBuild({ outDir: await scratchDir('dist-bad'), contentDir: content });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`  ${relative(root, file)} › transfers: missing: US is outside the EU/EEA; list the transfer mechanisms the AVV names (adequacy, eu-us-dpf, scc, bcr, art49, privacy-shield), or write \`not-stated\``);
    // Our report, not Astro's loader error.
    expect(result.output).not.toContain('does not match collection schema');
  });
});
