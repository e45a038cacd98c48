import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docxOfText } from '../src/cli/lib/avv-test-documents.ts';
import { scratchDir } from './support/astro-build.ts';

const root = path.resolve(import.meta.dirname, '..');
const fixture = path.join(root, 'tests/fixtures/avv-import/paragraphen-tabelle.txt');

function runImport(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'src/cli/import.ts'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, INIT_CWD: root } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each test starts Node on the CLI; on a loaded machine that takes seconds.
describe('npm run import', { timeout: 60_000 }, () => {
  it('writes the draft tree and the review from a DOCX, and says what to run next', async () => {
    const dir = await scratchDir('import-cli');
    const docx = path.join(dir, 'avv.docx');
    await writeFile(docx, await docxOfText(await readFile(fixture, 'utf8')));
    const out = path.join(dir, 'draft');
    const run = runImport([docx, '--out', out, '--vendor-name', 'Lindgrün Software GmbH']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('10 clauses, 2 annexes, 10 TOMs sections, 4 subprocessor entries');
    expect(run.stdout).toContain(`npm run check -- --content-dir ${path.relative(root, out)}`);
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      'IMPORT-REVIEW.md', 'avv', 'avv/entwurf.md', 'data-categories.yaml',
      'subprocessors', 'subprocessors/ahornblatt-analytics-ltd.yaml', 'subprocessors/nordkap-mail-as.yaml', 'subprocessors/pazifik-support-inc.yaml', 'subprocessors/spreewolke-hosting-gmbh.yaml',
      'toms', 'toms/entwurf.md', 'vendor.yaml',
    ]);
    // The party block names the processor: the review quotes it with its line.
    expect(await readFile(path.join(out, 'IMPORT-REVIEW.md'), 'utf8')).toContain('- legal name: **Lindgrün Software GmbH** — line 9, high');
  });

  it('keeps the name the party block states over another --vendor-name, and says so', async () => {
    const out = path.join(await scratchDir('import-cli'), 'draft');
    const run = runImport([fixture, '--out', out, '--vendor-name', 'Beispiel GmbH']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('--vendor-name "Beispiel GmbH" not used: the party block names "Lindgrün Software GmbH"');
    expect(await readFile(path.join(out, 'vendor.yaml'), 'utf8')).toMatch(/^legalName: Lindgrün Software GmbH$/m);
  });

  it('refuses to write into a folder that holds files, and leaves them as they were', async () => {
    const dir = await scratchDir('import-cli');
    await writeFile(path.join(dir, 'vendor.yaml'), 'legalName: Meine GmbH\n');
    const run = runImport([fixture, '--out', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not empty; choose another --out or remove it (nothing was written)');
    expect(await readdir(dir)).toEqual(['vendor.yaml']);
    expect(await readFile(path.join(dir, 'vendor.yaml'), 'utf8')).toBe('legalName: Meine GmbH\n');
  });

  it('names the formats it reads when given another', async () => {
    const dir = await scratchDir('import-cli');
    const odt = path.join(dir, 'avv.odt');
    await writeFile(odt, 'x');
    const run = runImport([odt]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('import: avv.odt: cannot read this format; give a .pdf (with a text layer), .docx, .txt or .md file\n');
  });

  it('prints the text as read with the line numbers the review uses', () => {
    const run = runImport([fixture, '--lines']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[39]).toBe(' 40  § 6 Unterauftragsverhältnisse');
  });
});
