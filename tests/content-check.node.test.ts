import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, scratchDir } from './support/astro-build.ts';

const root = resolve(import.meta.dirname, '..');
const fixture = join(root, 'tests/fixtures/minimal-content');

/** Runs `npm run check` as a user would (the script itself, with the pinned Node). */
function check(args: string[]): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['src/cli/check.ts', '--build-date', '2026-11-23', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => resolvePromise({ exitCode: code ?? 1, stdout }));
  });
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

/** The fixture with one mistake in each of five files, as authors make them. */
async function treeWithFiveBrokenFiles(): Promise<{ dir: string; expected: string[] }> {
  const dir = await scratchDir('check-five');
  await cp(fixture, dir, { recursive: true });
  const at = (file: string) => relative(root, join(dir, file));
  await edit(join(dir, 'vendor.yaml'), 'dataProtectionOfficer: { name: Erika Muster, email: dsb@testfirma.example }\n', '');
  await edit(join(dir, 'avv/1.0.md'), 'version: "1.0"', 'version: 1.0');
  await edit(join(dir, 'subprocessors/mailer-us.yaml'), 'groups: [{ de: E-Mail-Versand, en: Email delivery }]', 'group: { de: E-Mail-Versand, en: Email delivery }');
  await edit(join(dir, 'changes/2025-03-mailer-update.md'), 'kind: update', 'kind: swap');
  await edit(join(dir, 'subprocessors/support-neu.yaml'), 'locations: [{ country: DE }]', 'locations: [{ country: de }]');
  return {
    dir,
    // Files in the order the check reads them: vendor, AVV, subprocessors, changes.
    expected: [
      `  ${at('vendor.yaml')} › dataProtectionOfficer: missing: write \`not-stated\` if the AVV does not say`,
      `  ${at('avv/1.0.md')} › version: write the version in quotes, e.g. version: "1.0" (YAML reads an unquoted number and drops ".0")`,
      `  ${at('subprocessors/mailer-us.yaml')} › group: the first format's \`group\` is now \`groups\`, a list, because a subprocessor may be in several groups: write \`groups: [<the group>]\``,
      `  ${at('subprocessors/support-neu.yaml')} › locations[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA for a region-wide location`,
      `  ${at('changes/2025-03-mailer-update.md')} › kind: expected one of add, replace, remove, update, got "swap"`,
    ],
  };
}

/** A copy of the example content (its lock included) and Zahlwerk's file in it, in force on every locked day. */
async function exampleWithLockedSubprocessor(name: string): Promise<{ dir: string; file: string; text: string }> {
  const dir = await scratchDir(name);
  await cp(join(root, 'content'), dir, { recursive: true });
  const file = join(dir, 'subprocessors/zahlwerk.yaml');
  return { dir, file, text: await readFile(file, 'utf8') };
}

/** The lines of the report that name a file. */
const problemLines = (output: string) => output.split('\n').filter((line) => line.startsWith('  ') && line.includes(' › '));

describe('npm run check', { timeout: 120_000 }, () => {
  it('prints every problem of five broken files in one run and exits 1', async () => {
    const { dir, expected } = await treeWithFiveBrokenFiles();
    const result = await check(['--content-dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe('The content cannot be published: 5 errors, 0 unacknowledged findings.');
    expect(problemLines(result.stdout)).toEqual(expected);
    // No artefacts of zod's or Astro's own formatting.
    expect(result.stdout).not.toMatch(/\*\*: \*\*|Did not match union|Invalid input/);
  });

  it('refuses a category id declared twice and a country code nobody assigned, naming each', async () => {
    const dir = await scratchDir('check-ids');
    await cp(fixture, dir, { recursive: true });
    const categories = join(dir, 'data-categories.yaml');
    await writeFile(categories, `${await readFile(categories, 'utf8')}- { id: kontaktdaten, kind: data-subjects, label: { de: Ansprechpartner, en: Contacts } }\n`);
    await edit(join(dir, 'subprocessors/support-neu.yaml'), 'locations: [{ country: DE }]', 'locations: [{ country: ZZ }]');
    // A key twice: on line 7 of the file, line 6 of its front matter.
    const change = join(dir, 'changes/2025-03-mailer-update.md');
    await edit(change, 'effectiveDate: 2025-04-07\n', 'effectiveDate: 2025-04-07\nkind: add\n');
    const result = await check(['--content-dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(problemLines(result.stdout)).toEqual([
      `  ${relative(root, categories)} › [3].id: "kontaktdaten" is already the id of the category at [0]; give each category its own id`,
      `  ${relative(root, join(dir, 'subprocessors/support-neu.yaml'))} › locations[0].country: expected an assigned ISO 3166-1 alpha-2 code such as "DE", or EU / EEA for a region-wide location`,
    ]);
    expect(result.stdout).toMatch(new RegExp(`${relative(root, change).replace(/[.]/g, '\\.')}: not valid YAML \\(line 7, column 1\\): duplicated mapping key`));
  });

  it('refuses a folder the content model does not know (a misspelt subprocessors/ would publish nothing)', async () => {
    const dir = await scratchDir('check-folder');
    await cp(fixture, dir, { recursive: true });
    await mkdir(join(dir, 'subprocessor'));
    await writeFile(join(dir, 'subprocessor/neu.yaml'), 'name: Neu\n');
    const result = await check(['--content-dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`  ${relative(root, join(dir, 'subprocessor'))}: not part of the content model, so nothing reads it: rename or move it (expected avv, toms, subprocessors,`);
  });

  it('gives tools the same verdict as JSON', async () => {
    const { dir } = await treeWithFiveBrokenFiles();
    const result = await check(['--content-dir', dir, '--json']);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { publishable: boolean; errors: Array<{ file: string; field: string; message: string }> };
    expect(report.publishable).toBe(false);
    expect(report.errors.map((error) => `${error.file.split('/').slice(-2).join('/')} ${error.field}`)).toEqual([
      `${relative(root, dir).split('/').at(-1)}/vendor.yaml dataProtectionOfficer`,
      'avv/1.0.md version',
      'subprocessors/mailer-us.yaml group',
      'subprocessors/support-neu.yaml locations[0].country',
      'changes/2025-03-mailer-update.md kind',
    ]);
  });

  it('fails on an unacknowledged finding, passes once it is acknowledged with a reason', async () => {
    const dir = await scratchDir('check-finding');
    await cp(fixture, dir, { recursive: true });
    const file = join(dir, 'subprocessors/mailer-us.yaml');
    await edit(file, 'transfers: [{ type: eu-us-dpf }]', 'transfers: not-stated');
    const open = await check(['--content-dir', dir]);
    expect(open.exitCode).toBe(1);
    expect(open.stdout).toContain(`  ${relative(root, file)} › transfers: data goes to United States (US), outside the EU/EEA, and the AVV names no transfer mechanism [transfer-mechanism-missing, high, Art. 44, 46 DSGVO]`);
    expect(open.stdout).toContain('      fix: name the transfer mechanism the AVV states (`transfers`), or acknowledge the gap with a reason');

    await writeFile(file, `${await readFile(file, 'utf8')}acknowledgedFindings:\n  - rule: transfer-mechanism-missing\n    reason: Der Anbieter hat die Garantie noch nicht benannt; angefragt am 2. November.\n`);
    const acknowledged = await check(['--content-dir', dir]);
    expect(acknowledged.exitCode, acknowledged.stdout).toBe(0);
    expect(acknowledged.stdout).toContain('The content can be published (1 acknowledged finding).');
    expect(acknowledged.stdout).toContain('      reason: Der Anbieter hat die Garantie noch nicht benannt; angefragt am 2. November.');
  });

  it('lets a subprocessor of locked states end later (its `until` is in no state), but not on days already offered', async () => {
    const { dir, file, text } = await exampleWithLockedSubprocessor('check-until');
    await writeFile(file, `${text}until: 2027-03-31\n`);
    const removedLater = await check(['--content-dir', dir]);
    expect(removedLater.exitCode, removedLater.stdout).toBe(0);
    // Ending it on a day already offered takes it out of a locked state: refused.
    await writeFile(file, `${text}until: 2026-01-31\n`);
    const removedBack = await check(['--content-dir', dir]);
    expect(removedBack.exitCode).toBe(1);
    expect(removedBack.stdout).toContain(`${relative(root, file)}: `);
    expect(removedBack.stdout).toContain('[published-state-changed]');
  });

  it('lets a subprocessor of locked states be updated from a day on, keeping what the update replaced under `earlier`', async () => {
    const { dir, file, text } = await exampleWithLockedSubprocessor('check-update');
    const moved = text.replace('  - country: DE\n    city: Frankfurt am Main', '  - country: NL\n    city: Amsterdam');
    // In place alone, the update would rewrite every state already offered: refused.
    await writeFile(file, moved);
    const inPlace = await check(['--content-dir', dir]);
    expect(inPlace.exitCode).toBe(1);
    expect(inPlace.stdout).toContain(`${relative(root, file)}: edited in place`);
    // With the replaced values and their last day (the build day here), every offered state stays.
    const locations = text.slice(text.indexOf('locations:'), text.indexOf('certifications:')).replace(/^/gm, '  ').trimEnd().replace(/^ {2}locations:/, '    locations:');
    await writeFile(file, `${moved}earlier:\n  - until: 2026-11-23\n${locations}\n`);
    const updated = await check(['--content-dir', dir]);
    expect(updated.exitCode, updated.stdout).toBe(0);
  });

  it('passes the example content, listing its acknowledged findings', async () => {
    const result = await check([]);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain('content/subprocessors/helpdeskly.yaml › onwardTransfers[0].transfers:');
    expect(result.stdout).toContain('[transfer-basis-invalid, high, EuGH C-311/18 (Schrems II); Art. 44 DSGVO]');
  });
});

describe('npm run build prints the same report', { timeout: 180_000 }, () => {
  it('names all five broken files in one run, before Astro loads any content', async () => {
    const { dir, expected } = await treeWithFiveBrokenFiles();
    const result = await astroBuild({ outDir: await scratchDir('dist-five'), contentDir: dir });
    expect(result.exitCode).not.toBe(0);
    expect(problemLines(result.output)).toEqual(expected);
    expect(result.output).not.toContain('does not match collection schema');
    // The report and one line, not Astro's "unhandled error" with a stack trace into our code.
    expect(result.output).toContain('content check failed: nothing was built');
    expect(result.output).not.toMatch(/Stack trace|unhandled error/);
  });
});
