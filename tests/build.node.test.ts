import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../src/domain/manifest.ts';
import { LANGS, paths } from '../src/lib/paths.ts';
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
    // The example's lock of published states holds every state offered by the test date: no error, no warning.
    expect(a.output).not.toContain('published-state');

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
    // The cron's retention periods are the privacy notice's, carried by the manifest.
    expect(manifestA.retention['unsubscribed-subscribers']).toEqual({ amount: 3, unit: 'years', countFrom: 'end-of-year' });
    expect(manifestA.retention['unconfirmed-sign-ups']).toEqual({ amount: 72, unit: 'hours', countFrom: 'event' });
    // The privacy page names the cookie the accept form sets, with the lifetime the Worker gives it.
    const privacyPage = await readFile(join(first, 'client/datenschutz/index.html'), 'utf8');
    expect(privacyPage).toContain('<code>tc_accept_browser</code>');
    expect(privacyPage).toContain('<strong>1 Tag</strong> nach dem Setzen');

    const files = await listFiles(join(first, 'client'));
    const feeds = ['changes.atom', 'changes.rss', 'changes.json', 'calendar.ics'].flatMap((file) => [`feeds/${file}`, `en/feeds/${file}`]);
    for (const page of ['index.html', 'avv/index.html', 'avv/versions/index.html', 'toms/index.html', 'subprocessors/index.html', 'subprocessors/matrix/index.html', 'changes/index.html', 'sitemap.xml', '.well-known/security.txt', 'en/index.html', 'en/avv/index.html', ...feeds]) {
      expect(files, page).toContain(page);
    }
    const [older, newer] = manifestA.avvVersions;
    expect(files).toContain(`avv/compare/${older!.version}/${newer!.version}/index.html`);
    // The redline's jump list links every clause that changed, and no other.
    const compare = await readFile(join(first, 'client', `avv/compare/${older!.version}/${newer!.version}/index.html`), 'utf8');
    const changedClauses = [...compare.matchAll(/<section class="diff-clause (added|removed|changed)"[^>]*id="([^"]+)"/g)].map((match) => match[2]);
    const jumpList = /data-testid="diff-jump-list"[\s\S]*?<\/nav>/.exec(compare)?.[0] ?? '';
    expect(changedClauses.length).toBeGreaterThan(3);
    expect([...jumpList.matchAll(/href="#([^"]+)"/g)].map((match) => match[1])).toEqual(changedClauses);
    expect(files.filter((file) => file.startsWith('og/') && file.endsWith('.png')).length).toBeGreaterThan(20);
    // One PDF per document state, named by the hash the manifest gives each version.
    for (const version of manifestA.avvVersions) expect(files).toContain(`avv/documents/${version.documentSha256}.pdf`);

    // The sitemap lists exactly the pages the routes built (src/pages/[...lang]/), each in both
    // languages at the same path below /en/, except the "mail sent" page a form leads to; the
    // 404 page is rendered per request, not built.
    const unlisted = LANGS.map((lang) => paths.subscribeSent(lang));
    const site = manifestA.siteUrl.replace(/\/$/, '');
    const sitemap = await readFile(join(first, 'client/sitemap.xml'), 'utf8');
    const listed = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!.slice(site.length)).sort();
    const built = files.filter((file) => file.endsWith('index.html')).map((file) => `/${file.slice(0, -'index.html'.length)}`).filter((path) => !unlisted.includes(path)).sort();
    expect(listed).toEqual(built);
    const german = listed.filter((path) => !path.startsWith('/en/'));
    expect(listed.filter((path) => path.startsWith('/en/'))).toEqual(german.map((path) => `/en${path}`).sort());
    expect(files).not.toContain('404.html');

    // JavaScript only where a form or the search needs it; Pagefind's index is built with the site.
    const scripted: string[] = [];
    for (const file of files.filter((name) => name.endsWith('.html'))) {
      if ((await readFile(join(first, 'client', file), 'utf8')).includes('<script')) scripted.push(`/${file.slice(0, -'index.html'.length)}`);
    }
    expect(scripted.sort()).toEqual(LANGS.flatMap((lang) => [paths.avvAccept(lang), paths.search(lang), paths.verifyReceipt(lang)]).sort());
    expect(files).toContain('pagefind/pagefind.js');
    const searchIndex = JSON.parse(await readFile(join(first, 'client/pagefind/pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    expect(Object.keys(searchIndex.languages).sort()).toEqual(['de', 'en']);
    // Pagefind got every HTML page as it was rendered (none read back from disk), and the two
    // builds, whose pages finished in their own orders, wrote the same index.
    const htmlPages = files.filter((file) => file.endsWith('.html')).length;
    expect(a.output).toContain(`search index of ${htmlPages} pages written to`);
    expect(a.output).toContain('(0 of them read from disk after rendering)');
    const indexFiles = files.filter((file) => file.startsWith('pagefind/'));
    expect(indexFiles.length).toBeGreaterThan(10);
    const differingIndex: string[] = [];
    for (const file of indexFiles) {
      const [x, y] = await Promise.all([readFile(join(first, 'client', file)), readFile(join(second, 'client', file))]);
      if (!x.equals(y)) differingIndex.push(file);
    }
    expect(differingIndex).toEqual([]);

    // Every HTML page, feed and PDF is byte-identical across the two builds (no timestamps, no random ids).
    const differing: string[] = [];
    for (const file of [...files.filter((name) => name.endsWith('.html') || name.endsWith('.pdf')), ...feeds]) {
      const [x, y] = await Promise.all([readFile(join(first, 'client', file)), readFile(join(second, 'client', file))]);
      if (!x.equals(y)) differing.push(file);
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

  it('refuses a site without Impressum and privacy notice', async () => {
    const content = await scratchDir('content-no-legal');
    await cp(fixture, content, { recursive: true });
    await rm(join(content, 'legal'), { recursive: true });
    const result = await astroBuild({ outDir: await scratchDir('dist-bad'), contentDir: content });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`${relative(root, content)}/legal/imprint.yaml: the Impressum is missing`);
    expect(result.output).toContain(`${relative(root, content)}/legal/privacy.yaml: the privacy notice is missing`);
  });

  it('refuses a privacy notice that leaves out the cookie the Worker sets or a retention period the cron enforces', async () => {
    const content = await scratchDir('content-no-cookie');
    await cp(fixture, content, { recursive: true });
    const file = join(content, 'legal/privacy.yaml');
    const text = await readFile(file, 'utf8');
    const withoutCookies = text.replace(/^cookies:\n(?:  .*\n)+/m, 'cookies: []\n').replace(/^ {6}- \{ rule: disabled-webhooks.*\n/m, '');
    expect(withoutCookies).not.toBe(text);
    await writeFile(file, withoutCookies);
    const result = await astroBuild({ outDir: await scratchDir('dist-bad'), contentDir: content });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`  ${relative(root, file)} › cookies: the site sets "tc_accept_browser", which the notice does not name`);
    expect(result.output).toContain(`  ${relative(root, file)} › processing: no retention period for "disabled-webhooks" (webhooks)`);
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
