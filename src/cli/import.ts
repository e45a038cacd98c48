import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { contentTree } from '../importer/emit/content-tree.ts';
import { importAvv } from '../importer/import-document.ts';
import { readDocument } from '../importer/read/read-document.ts';

/**
 * `npm run import -- path/to/avv.(pdf|docx|txt|md) [--out content-draft/] [--vendor-name "…"] [--lines]`:
 * reads the AVV, writes a draft content tree and IMPORT-REVIEW.md into --out (which must not
 * hold files yet, so nothing is overwritten). `--lines` only prints the text as read, with the
 * line numbers the review refers to.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: 'content-draft' },
    'vendor-name': { type: 'string' },
    lines: { type: 'boolean', default: false },
  },
});

// npm runs scripts in the package root; paths are meant relative to where the user typed them.
const cwd = process.env.INIT_CWD ?? process.cwd();

if (positionals.length !== 1) {
  console.error('usage: npm run import -- path/to/avv.(pdf|docx|txt|md) [--out content-draft/] [--vendor-name "Beispiel GmbH"] [--lines]');
  process.exit(2);
}
const input = path.resolve(cwd, positionals[0]!);
let source;
try {
  source = await readDocument(input);
} catch (error) {
  console.error(`import: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
if (source.lines.every((line) => line.trim() === '')) {
  console.error(`import: ${path.basename(input)} has no text${source.format === 'pdf' ? ' layer (a scan?): run OCR first or export the PDF from the original document' : ''}`);
  process.exit(2);
}
if (values.lines) {
  const width = String(source.lines.length).length;
  for (const [index, line] of source.lines.entries()) console.log(`${String(index + 1).padStart(width)}  ${line}`);
  process.exit(0);
}

const outDir = path.resolve(cwd, values.out);
const existing = await readdir(outDir).catch(() => [] as string[]);
if (existing.length > 0) {
  console.error(`import: ${path.relative(cwd, outDir) || outDir} is not empty; choose another --out or remove it (nothing was written)`);
  process.exit(2);
}

const imported = importAvv(source);
const files = contentTree(imported, { sourceName: path.basename(input), ...(values['vendor-name'] ? { vendorName: values['vendor-name'] } : {}) });
for (const [file, content] of files) {
  await mkdir(path.dirname(path.join(outDir, file)), { recursive: true });
  await writeFile(path.join(outDir, file), content);
}

const relative = path.relative(cwd, outDir);
const shown = relative === '' ? '.' : relative.startsWith('..') ? outDir : relative;
console.log(`Imported ${path.basename(input)} (${source.format}, ${source.lines.length} lines) into ${shown}/`);
console.log(`  ${imported.structure.clauses.filter((clause) => clause.level === 2).length} clauses, ${imported.structure.annexes.length} annexes, ${imported.toms?.sections.length ?? 0} TOMs sections, ${imported.subprocessors.entries.length} subprocessor entries`);
const statedName = imported.vendor.legalName.found ? imported.vendor.legalName.value : undefined;
if (values['vendor-name'] && statedName !== undefined && statedName !== values['vendor-name']) {
  console.warn(`  --vendor-name "${values['vendor-name']}" not used: the party block names "${statedName}" (edit vendor.yaml if the AVV's name is wrong)`);
}
const regime = imported.changeRegime;
console.log(`  change regime: ${regime.right.found ? regime.right.value : 'not stated'}${regime.noticePeriod.found ? `, notice "${regime.noticePeriod.value.wording}"` : ''}${regime.clause.found ? ` (${regime.clause.value.heading})` : ''}`);
console.log(`\nNext: read ${shown}/IMPORT-REVIEW.md, fill in what it lists, then\n  npm run check -- --content-dir ${shown}`);
