import type { ImportedAvv } from '../import-document.ts';
import { formatSpan, type Extracted } from '../model.ts';
import type { Gap } from './gaps.ts';
import type { SubprocessorFile } from './subprocessor-files.ts';

interface ReviewContext {
  sourceName: string;
  vendorName?: string;
  files: string[];
  gaps: Gap[];
  subprocessors: SubprocessorFile[];
  avvPath: string;
  tomsPath: string | undefined;
}

/**
 * IMPORT-REVIEW.md: every extracted item with the source lines it came from and the importer's
 * confidence, every fact written as `not-stated` with where the importer looked, and every field
 * left for the author. The author checks this against the signed document before publishing.
 */
export function importReview(imported: ImportedAvv, context: ReviewContext): string {
  const out: string[] = [];
  const { structure } = imported;
  out.push(`# Import review: ${context.sourceName}`, '');
  out.push(`Read as ${imported.source.format}, ${imported.source.lines.length} lines. Line numbers below refer to that text`);
  out.push(`(for PDF and DOCX: the text the importer read, which \`npm run import -- FILE --lines\` prints).`, '');
  out.push('Confidence: **high** — a fixed form recognised exactly; **medium** — wording that usually means this; **low** — a structural guess. Every value is quoted from the document; nothing else is filled in.', '');
  out.push('## Files written', '', ...context.files.map((file) => `- \`${file}\``), '');

  out.push('## Clauses', '', `${structure.clauses.length} clause headings in the contract text (lines 1–${structure.mainTo}).`, '');
  out.push('| line | heading | anchor | confidence |', '| --- | --- | --- | --- |');
  for (const clause of structure.clauses) out.push(`| ${clause.line} | ${'&nbsp;'.repeat(clause.level === 3 ? 4 : 0)}${cell(clause.text)} | \`${clause.anchor}\` | ${clause.confidence} |`);
  out.push('', '## Annexes', '');
  if (structure.annexes.length === 0) out.push('No annex headings ("Anlage N", "Anhang N") found.');
  for (const annex of structure.annexes) {
    const target = annex.kind === 'toms' ? `→ \`${context.tomsPath}\`` : annex.kind === 'subprocessors' ? '→ `subprocessors/`' : `→ kept in \`${context.avvPath}\``;
    out.push(`- lines ${annex.from}–${annex.to}: ${annex.heading.text} ${target}`);
  }

  out.push('', '## Change regime (proposal: confirm against the contract)', '');
  const regime = imported.changeRegime;
  item(out, 'governing clause', regime.clause, (value) => value.heading);
  item(out, 'changes covered', regime.scope, (value) => value.join(', '));
  item(out, 'customer right', regime.right, String);
  item(out, 'notice period', regime.noticePeriod, (value) => periodText(value));
  item(out, 'period for the declaration', regime.responsePeriod, (value) => periodText(value));
  item(out, 'form', regime.form, String);
  item(out, 'reasons required', regime.reasons, (value) => `yes: "${value}"`);
  item(out, 'consequence', regime.consequence, (value) => value);
  out.push('- BGB § 193 per period, withdrawal, lapse: written as `not-stated` unless the clause says so — check the clause.');

  out.push('', '## Vendor', '');
  // As vendor.yaml has it (src/importer/emit/vendor-file.ts): the party block's name, else --vendor-name.
  if (imported.vendor.legalName.found) {
    item(out, 'legal name', imported.vendor.legalName, String);
    if (context.vendorName && context.vendorName !== imported.vendor.legalName.value) out.push(`- --vendor-name "${context.vendorName}" not used: the party block names the processor`);
  } else if (context.vendorName) {
    out.push(`- legal name: **${context.vendorName}** (given with --vendor-name)`);
  } else {
    item(out, 'legal name', imported.vendor.legalName, String);
  }
  item(out, 'address', imported.vendor.address, (value) => value.text);
  const { dpo, mentionedAt } = imported.dpo;
  if (dpo) out.push(`- data protection officer: **${dpo.name}** — ${formatSpan(dpo.lines)}, medium`);
  else out.push(`- data protection officer: ${mentionedAt === undefined ? '*not stated* — the AVV names none' : `mentioned at line ${mentionedAt}, not named in a form the importer reads`}`);

  out.push('', '## TOMs', '');
  if (!imported.toms) out.push('*not found* — no annex titled as technical and organisational measures.');
  else {
    out.push(`${imported.toms.sections.length} sections from ${imported.toms.annex.heading.text} (lines ${imported.toms.annex.from}–${imported.toms.annex.to}).`, '');
    out.push('| line | section | categories | measures | confidence |', '| --- | --- | --- | --- | --- |');
    for (const section of imported.toms.sections) {
      const categories = section.categories.found ? section.categories.value.join(', ') : '*not stated*';
      out.push(`| ${section.title.lines.from} | ${cell(section.title.value)} | ${categories} | ${section.measures.length} (lines ${section.measures[0]?.lines.from ?? '–'}–${section.measures.at(-1)?.lines.to ?? '–'}) | ${section.categories.found ? 'high' : '–'} |`);
    }
  }

  out.push('', '## Data categories', '');
  if (imported.dataCategories.length === 0) out.push('*not found as lists* — no list items under a clause on the kinds of data or data subjects; `data-categories.yaml` is empty.');
  for (const category of imported.dataCategories) {
    out.push(`- ${category.kind === 'data' ? 'data' : 'data subjects'}: **${category.label}**${category.description ? ` (${category.description})` : ''}${category.special ? ' — Art. 9 category' : ''} — line ${category.source.lines.from}, high → \`${category.id}\``);
  }
  out.push('', '## Subprocessors', '');
  const list = imported.subprocessors;
  if (list.entries.length === 0) out.push('*not found* — no subprocessor table or record list recognised.');
  else out.push(`${list.entries.length} entries${list.annex ? ` in ${list.annex.heading.text}` : ''}, written as ${context.subprocessors.length} files.`);
  for (const file of context.subprocessors) {
    out.push('', `### \`${file.path}\``, '');
    for (const entry of file.entries) {
      out.push(`Entry ${formatSpan(entry.lines)}${entry.group ? ` (group "${entry.group.value}", line ${entry.group.lines.from})` : ''}:`, '');
      out.push(`- name: **${entry.name.value}** — ${formatSpan(entry.name.lines)}`);
      item(out, 'legal entity', entry.legalEntity, String);
      item(out, 'address', entry.address, (value) => `${value.text}${value.country ? ` → ${value.country}` : ''}`);
      item(out, 'purpose', entry.purpose, String);
      item(out, 'locations', entry.locations, (value) => value.map((place) => `${place.name} → ${place.kind === 'country' ? place.code : place.region}`).join(', '));
      item(out, 'transfer basis', entry.transfers, (value) => value.map((mention) => `${mention.words} → ${mention.basis}${mention.sccModule ? ` (module ${mention.sccModule})` : ''}`).join(', '));
      item(out, 'certifications', entry.certifications, String);
      item(out, 'data categories (the list\'s words; left out for you to map)', entry.dataCategories, String);
      out.push('');
    }
  }

  out.push('', '## Left for you to fill in', '', 'The content model has no `not-stated` for these, so they are left out and `npm run check` names each:', '');
  for (const gap of context.gaps) out.push(`- \`${gap.file}\`${gap.field ? ` › ${gap.field}` : ''}: ${gap.why}`);
  out.push('', '## Next steps', '');
  out.push('1. Check every value above against the signed document; fix the draft files where the importer misread.');
  out.push('2. Fill in the fields listed above; map data categories in `data-categories.yaml` and the subprocessor files.');
  out.push('3. Run `npm run check` on the draft and fix or acknowledge (with a reason) each finding it lists.');
  return `${out.join('\n')}\n`;
}

function item<T>(out: string[], label: string, value: Extracted<T>, show: (value: T) => string): void {
  if (value.found) out.push(`- ${label}: **${show(value.value)}** — ${formatSpan(value.lines)}, ${value.confidence}; "${oneLine(value.quote)}"`);
  else out.push(`- ${label}: *not stated* — ${value.reason}`);
}

function periodText(period: { wording: string; amount?: number; unit?: string; qualifier?: string; countedFrom?: string }): string {
  if (period.amount === undefined) return `"${period.wording}" (no fixed period: no date is computed)`;
  return `${period.amount} ${period.unit}${period.qualifier ? `, ${period.qualifier}` : ''}${period.countedFrom ? `, from ${period.countedFrom}` : ''} ("${period.wording}")`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? `${flat.slice(0, 237)}…` : flat;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
