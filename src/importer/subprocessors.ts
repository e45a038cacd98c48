import { parseAddress, type AddressDraft } from './address.ts';
import { placesInText, type Place } from './countries.ts';
import { companyAtStart, hasLegalForm } from './legal-forms.ts';
import { found, notStated, spanOf, type Extracted, type Found, type LineSpan } from './model.ts';
import { fieldOfLabel, type SubprocessorField } from './subprocessor-fields.ts';
import { isTitleLike } from './structure.ts';
import { plainLine } from './text.ts';
import { transferBasesIn, type TransferMention } from './transfer-basis.ts';

/**
 * The subprocessor list, from either of the two shapes AVVs use: a table (one row per
 * subprocessor, tab-separated or Markdown pipes, optionally grouped by rows holding only a
 * group name) or a record list (a name line followed by "Key: value" lines). Every value keeps
 * the line it was read from; a field the list has no column or key for is not stated.
 */
export interface SubprocessorDraft {
  lines: LineSpan;
  /** Group the list puts it in ("Public Cloud", "Backup"). */
  group?: Found<string>;
  /** The name as the list prints it. */
  name: Found<string>;
  /** The company with its legal form, where the list names one. */
  legalEntity: Extracted<string>;
  address: Extracted<AddressDraft>;
  purpose: Extracted<string>;
  /** Where data is processed, from a location column or key; the seat is not a processing location. */
  locations: Extracted<Place[]>;
  /** Transfer bases named for it. */
  transfers: Extracted<TransferMention[]>;
  certifications: Extracted<string>;
  /** The data categories as the list words them (not mapped to ids: that mapping is the author's). */
  dataCategories: Extracted<string>;
  /**
   * Where the list gives no location: a sentence elsewhere in the AVV that names this
   * subprocessor together with a country ("… bei den Subunternehmern Nexmo, Mixpanel und Zendesk
   * … in den Vereinigten Staaten gespeichert"). Not read as its locations (which of its data, and
   * whether that is all, is the author's reading), but it keeps `not-stated` from being written.
   */
  locationsMentioned?: Found<Place[]>;
}

interface Cell {
  text: string;
  line: number;
}

type Fields = Partial<Record<SubprocessorField, Cell[]>>;

/** Subprocessors listed in lines from..to (1-based, inclusive). */
export function findSubprocessors(lines: readonly string[], from: number, to: number): SubprocessorDraft[] {
  const table = fromTable(lines, from, to);
  if (table.length > 0) return table;
  return fromRecords(lines, from, to);
}

function cellsOf(line: string): string[] | undefined {
  if (line.includes('\t')) return line.split('\t').map((cell) => cell.trim());
  if (/^\s*\|.*\|\s*$/.test(line)) return line.trim().slice(1, -1).split('|').map((cell) => cell.trim());
  return undefined;
}

function fromTable(lines: readonly string[], from: number, to: number): SubprocessorDraft[] {
  let header: { columns: (SubprocessorField | undefined)[]; line: number } | undefined;
  const rows: { cells: Cell[]; group?: Found<string>; from: number; to: number }[] = [];
  let group: Found<string> | undefined;
  for (let number = from; number <= to; number += 1) {
    let line = lines[number - 1] ?? '';
    const rowStart = number;
    // A Markdown table row that wrapped (as PDF text does) continues until a line closes it.
    const open = (text: string): boolean => !/\|\s*$/.test(text) || (header !== undefined && (cellsOf(text)?.length ?? 0) < header.columns.length);
    while (/^\s*\|/.test(line) && open(line) && number < to && (lines[number] ?? '').trim() !== '' && !/^\s*\|/.test(lines[number]!)) {
      number += 1;
      line = `${line} ${lines[number - 1]!.trim()}`;
    }
    const cells = cellsOf(line);
    if (!header) {
      if (!cells) continue;
      const columns = cells.map((cell) => fieldOfLabel(cell));
      if (columns.filter(Boolean).length >= 2 && (columns.includes('name') || columns.includes('legalEntity'))) header = { columns, line: number };
      continue;
    }
    if (cells && /^[\s|:-]+$/.test(line.replace(/\t/g, ''))) continue; // Markdown separator row
    const filled = cells?.filter((cell) => cell !== '') ?? [];
    if (line.trim() === '') continue;
    if (cells && cells[0] === '' && rows.length > 0 && rows.at(-1)!.to === number - 1 - blankRunBefore(lines, number)) {
      // A cell that wrapped onto the next line in the source: continue the previous row.
      const previous = rows.at(-1)!;
      cells.forEach((text, index) => {
        if (text === '') return;
        const cell = previous.cells[index];
        previous.cells[index] = cell && cell.text ? { text: `${cell.text} ${text}`, line: cell.line } : { text, line: number };
      });
      previous.to = number;
      continue;
    }
    const label = groupLabel(cells ? (filled.length === 1 ? filled[0]! : undefined) : line);
    if (label !== undefined && (!cells || filled.length === 1)) {
      group = found(label, spanOf(number), plainLine(line));
      continue;
    }
    if (!cells) continue;
    if (filled.length < 2) continue;
    rows.push({ cells: cells.map((text) => ({ text, line: rowStart })), from: rowStart, to: number, ...(group ? { group } : {}) });
  }
  if (!header) return [];
  const columns = header.columns;
  return rows.flatMap((row) => {
    const fields: Fields = {};
    row.cells.forEach((cell, index) => {
      const field = columns[index];
      if (field === undefined || cell.text === '') return;
      (fields[field] ??= []).push(cell);
    });
    const draft = draftFromFields(fields, spanOf(row.from, row.to), row.group);
    return draft ? [draft] : [];
  });
}

function blankRunBefore(lines: readonly string[], number: number): number {
  let count = 0;
  while (number - 2 - count >= 0 && (lines[number - 2 - count] ?? '').trim() === '') count += 1;
  return count;
}

/** A row or line that only names a group: "Public Cloud:", "<i>Backup</i>", "Hosting". */
function groupLabel(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const italic = /<i>|<em>|^\*[^*]/.test(text.trim());
  const label = plainLine(text).replace(/^\*|\*$/g, '').replace(/:$/, '').trim();
  if (!label || hasLegalForm(label) || /:\s/.test(label)) return undefined;
  if (!isTitleLike(label, italic ? 100 : 60)) return undefined;
  if (!italic && label.split(/\s+/).length > 6) return undefined;
  return label;
}

const RECORD_KEY = /^([\p{L}][^:]{0,60}?):\s*(.*)$/u;
const NUMBERED_NAME = /^(?:\d{1,3}[.)]|[a-z][.)])\s+(.+)$/;

function fromRecords(lines: readonly string[], from: number, to: number): SubprocessorDraft[] {
  const records: { fields: Fields; name?: Cell; from: number; to: number; group?: Found<string> }[] = [];
  let current: (typeof records)[number] | undefined;
  let lastField: SubprocessorField | undefined;
  let group: Found<string> | undefined;
  let pendingGroup: { label: string; line: number; quote: string } | undefined;
  for (let number = from; number <= to; number += 1) {
    const raw = lines[number - 1] ?? '';
    const plain = plainLine(raw);
    if (plain === '') continue;
    const key = RECORD_KEY.exec(plain);
    const field = key ? fieldOfLabel(key[1]!) : undefined;
    if (key && field !== undefined) {
      if (field === 'name' || !current) {
        if (pendingGroup) group = found(pendingGroup.label, spanOf(pendingGroup.line), pendingGroup.quote);
        pendingGroup = undefined;
        current = { fields: {}, from: number, to: number, ...(group ? { group } : {}) };
        records.push(current);
      }
      if (key[2]!.trim() !== '') (current.fields[field] ??= []).push({ text: key[2]!.trim(), line: number });
      current.to = number;
      lastField = field;
      continue;
    }
    const numbered = NUMBERED_NAME.exec(plain);
    const nameText = numbered ? numbered[1]!.trim() : plain;
    const looksLikeName = (numbered !== null || hasLegalForm(plain)) && !key && nameText.length <= 120 && !/[.;]$/.test(nameText.replace(/\b(Inc|Ltd|Corp|Co|S\.A|B\.V|N\.V|e\.K|e\.V|S\.à r\.l|S\.p\.A|S\.r\.l|L\.L\.C)\.$/, ''));
    if (looksLikeName && nextIsKey(lines, number, to)) {
      if (pendingGroup) group = found(pendingGroup.label, spanOf(pendingGroup.line), pendingGroup.quote);
      pendingGroup = undefined;
      current = { fields: {}, name: { text: nameText, line: number }, from: number, to: number, ...(group ? { group } : {}) };
      records.push(current);
      lastField = undefined;
      continue;
    }
    const label = groupLabel(raw);
    if (label !== undefined && !key && nextIsRecordStart(lines, number, to)) {
      pendingGroup = { label, line: number, quote: plain };
      continue;
    }
    // A value that wrapped onto the next line continues the last key.
    if (current && lastField !== undefined && !key && number === current.to + 1) {
      (current.fields[lastField] ??= []).push({ text: plain, line: number });
      current.to = number;
    }
  }
  return records.flatMap((record) => {
    const fields = { ...record.fields };
    if (record.name) fields.name = [record.name, ...(fields.name ?? [])];
    const draft = draftFromFields(fields, spanOf(record.from, record.to), record.group);
    return draft ? [draft] : [];
  });
}

function nextNonEmpty(lines: readonly string[], number: number, to: number): string | undefined {
  for (let next = number + 1; next <= to; next += 1) {
    const text = plainLine(lines[next - 1] ?? '');
    if (text !== '') return text;
  }
  return undefined;
}

function nextIsKey(lines: readonly string[], number: number, to: number): boolean {
  const next = nextNonEmpty(lines, number, to);
  const key = next === undefined ? null : RECORD_KEY.exec(next);
  return key !== null && fieldOfLabel(key[1]!) !== undefined;
}

function nextIsRecordStart(lines: readonly string[], number: number, to: number): boolean {
  const next = nextNonEmpty(lines, number, to);
  if (next === undefined) return false;
  const key = RECORD_KEY.exec(next);
  if (key) return fieldOfLabel(key[1]!) === 'name';
  return NUMBERED_NAME.test(next) || hasLegalForm(next);
}

/** "Name: what it does" → [name, what it does], where no column gives the purpose; else the text as the name. */
function splitNameAndPurpose(text: string, noPurposeColumn: boolean): [string, string | undefined] {
  const match = noPurposeColumn ? /^([^:]{2,60}):\s+(\S.{2,200})$/.exec(text) : null;
  return match ? [match[1]!.trim(), match[2]!.trim()] : [text, undefined];
}

function joined(cells: Cell[] | undefined): { text: string; lines: LineSpan } | undefined {
  if (!cells || cells.length === 0) return undefined;
  return { text: cells.map((cell) => cell.text).join(' '), lines: spanOf(Math.min(...cells.map((c) => c.line)), Math.max(...cells.map((c) => c.line))) };
}

function draftFromFields(fields: Fields, lines: LineSpan, group: Found<string> | undefined): SubprocessorDraft | undefined {
  const nameCells = fields.name ?? fields.legalEntity;
  if (!nameCells || nameCells.length === 0) return undefined;
  const nameCell = nameCells[0]!;
  // "SendGrid: E-Mail-Marketing-Plattform" in a list without a purpose column names the
  // subprocessor and, after the colon, what it does.
  const [name, purposeInName] = splitNameAndPurpose(plainLine(nameCell.text), fields.purpose === undefined || fields.purpose.length === 0);
  const where = `no such column or key in the list (${lines.from === lines.to ? `line ${lines.from}` : `lines ${lines.from}–${lines.to}`})`;

  // The legal entity: an explicit column, else the first name cell with a legal form, else a
  // second name column that starts with the company ("Hetzner Online GmbH, Industriestr. 25 …").
  let legalEntity: Extracted<string> = notStated('no company name with a legal form in its entry');
  let addressText: Cell | undefined;
  const candidates = [...(fields.legalEntity ?? []), ...nameCells];
  for (const cell of candidates) {
    const company = companyAtStart(plainLine(cell.text));
    if (!company) continue;
    if (!legalEntity.found) legalEntity = found(company, spanOf(cell.line), cell.text);
    const rest = plainLine(cell.text).slice(company.length).replace(/^[\s,]+/, '');
    if (/\d/.test(rest) && rest.length > 4) {
      addressText = { text: rest, line: cell.line };
      break;
    }
  }
  const addressField = joined(fields.address);
  const addressSource = addressField ?? (addressText ? { text: addressText.text, lines: spanOf(addressText.line) } : undefined);
  const address: Extracted<AddressDraft> = addressSource ? found(parseAddress(addressSource.text), addressSource.lines, addressSource.text) : notStated(where);

  const purposeField = joined(fields.purpose);
  const purpose = purposeField
    ? found(plainLine(purposeField.text), purposeField.lines, purposeField.text)
    : purposeInName
      ? found(purposeInName, spanOf(nameCell.line), nameCell.text, 'medium')
      : notStated(where);

  const locationField = joined(fields.location);
  let locations: Extracted<Place[]> = notStated(where);
  if (locationField) {
    const places = placesInText(locationField.text);
    if (places.length > 0) locations = found(places, locationField.lines, locationField.text);
    else if (/^(kein(e)?\s+(drittland|drittstaat)|nein|no|none|n\/a|-|–)$/i.test(plainLine(locationField.text))) {
      // "Kein Drittland": the AVV states EU/EEA processing without naming a country.
      locations = found([{ kind: 'region', region: 'EEA', name: plainLine(locationField.text) }], locationField.lines, locationField.text, 'medium');
    } else locations = notStated(`"${locationField.text}" names no country or region the importer knows`);
  }

  const transferField = joined(fields.transfer);
  const mentionedIn = transferField ?? joined(Object.values(fields).flat() as Cell[]);
  const mentions = mentionedIn ? transferBasesIn(mentionedIn.text) : [];
  const transfers: Extracted<TransferMention[]> =
    mentions.length > 0 && mentionedIn ? found(mentions, mentionedIn.lines, mentionedIn.text, transferField ? 'high' : 'medium') : notStated(transferField ? `"${transferField.text}" names no transfer mechanism` : where);

  const certificationField = joined(fields.certifications);
  const dataField = joined(fields.data);
  return {
    lines,
    ...(group ? { group } : {}),
    name: found(name, spanOf(nameCell.line), nameCell.text),
    legalEntity,
    address,
    purpose,
    locations,
    transfers,
    certifications: certificationField ? found(plainLine(certificationField.text), certificationField.lines, certificationField.text) : notStated(where),
    dataCategories: dataField ? found(plainLine(dataField.text), dataField.lines, dataField.text) : notStated(where),
  };
}
