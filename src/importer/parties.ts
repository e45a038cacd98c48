import { parseAddress, type AddressDraft } from './address.ts';
import { companyAtStart, hasLegalForm } from './legal-forms.ts';
import { found, notStated, spanOf, type Extracted } from './model.ts';
import { plainLine } from './text.ts';

/**
 * The processor (the vendor) as the contract's party block names it: the block of lines before
 * "nachfolgend „Auftragsverarbeiter“", or the same in one line ("der Beispiel GmbH, Straße 1,
 * 12345 Stadt, – nachfolgend „Auftragnehmer“ –"). Only the text before the first clause is read.
 */
export interface VendorDraft {
  legalName: Extracted<string>;
  address: Extracted<AddressDraft>;
}

const ROLE = /(?:(?:nachfolgend|nachstehend|im folgenden|hereinafter|als)\b[^\n]{0,40}?|\(\s*[„"“]?)(?:auftragsverarbeiter|auftragnehmer|processor)\b/i;
const BLOCK_START = /^(zwischen|und|between|and)$/i;

export function findVendor(lines: readonly string[], before: number): VendorDraft {
  const where = 'no party named as "Auftragsverarbeiter" / "Auftragnehmer" before the first clause';
  for (let index = 0; index < Math.min(before - 1, lines.length); index += 1) {
    if (!ROLE.test(plainLine(lines[index]!))) continue;
    // The role may close a party line that wrapped (PDF): read the whole paragraph up to it.
    let start = index;
    while (start > 0 && plainLine(lines[start - 1]!) !== '' && !BLOCK_START.test(plainLine(lines[start - 1]!)) && !hasLegalForm(plainLine(lines[start]!))) start -= 1;
    // Short lines are a party block (name, street, city: parts of one address); long ones a sentence that wrapped.
    const line = lines.slice(start, index + 1).map((text) => plainLine(text)).reduce((joined, text, offset) => {
      if (offset === 0) return text;
      const previous = plainLine(lines[start + offset - 1]!);
      return `${joined}${previous.length < 60 && text.length < 60 && !/[,;]$/.test(previous) ? ', ' : ' '}${text}`;
    }, '');
    // One line: "der Beispiel GmbH, Hafenweg 1, 20457 Hamburg – nachfolgend „Auftragnehmer“ –".
    // The vendor is the last party named before the role: "zwischen dem Kunden und der Beispiel GmbH, …".
    const beforeRole = line.slice(0, ROLE.exec(line)!.index);
    const [firstPart = '', ...others] = beforeRole.split(',');
    const lastArticle = [...firstPart.matchAll(/(?<=^|\s)(?:der|die|das|the|und|and|zwischen|between)\s+/gi)].at(-1);
    const inline = [lastArticle ? firstPart.slice(lastArticle.index! + lastArticle[0].length) : firstPart, ...others].join(',').replace(/^[-–\s]+/, '');
    const company = hasLegalForm(inline) ? companyAtStart(inline) : undefined;
    if (company) {
      const rest = inline.slice(inline.indexOf(company) + company.length).replace(/^[\s,]+/, '').replace(/[\s,–(-]+$/, '');
      const addressText = rest.split(/,\s*(?:eingetragen|vertreten|registered|represented)/i)[0]!.trim().replace(/[\s,(–-]+$/, '');
      return {
        legalName: found(company, spanOf(start + 1, index + 1), line),
        address: /\d/.test(addressText) ? found(parseAddress(addressText), spanOf(start + 1, index + 1), line) : notStated('the party line gives no address'),
      };
    }
    // Block: the lines above, back to a blank line or "Zwischen" / "und".
    const block: number[] = [];
    let cursor = index - 1;
    while (cursor >= 0 && plainLine(lines[cursor]!) === '') cursor -= 1;
    while (cursor >= 0 && plainLine(lines[cursor]!) !== '' && !BLOCK_START.test(plainLine(lines[cursor]!))) {
      block.unshift(cursor);
      cursor -= 1;
    }
    // A DOCX block has a blank line after each line: gather up to four such lines.
    if (block.length === 1) {
      let more = cursor;
      while (more >= 0 && block.length < 4) {
        while (more >= 0 && plainLine(lines[more]!) === '') more -= 1;
        if (more < 0 || BLOCK_START.test(plainLine(lines[more]!)) || ROLE.test(plainLine(lines[more]!))) break;
        block.unshift(more);
        more -= 1;
      }
    }
    const nameIndex = block.findIndex((number) => hasLegalForm(plainLine(lines[number]!)));
    if (nameIndex < 0) continue;
    const nameLine = block[nameIndex]!;
    const name = companyAtStart(plainLine(lines[nameLine]!)) ?? plainLine(lines[nameLine]!);
    const addressLines = block.slice(nameIndex + 1);
    const addressText = addressLines.map((number) => plainLine(lines[number]!)).join(', ');
    return {
      legalName: found(name, spanOf(nameLine + 1), lines[nameLine]!.trim()),
      address: addressLines.length > 0 ? found(parseAddress(addressText), spanOf(addressLines[0]! + 1, addressLines.at(-1)! + 1), addressLines.map((number) => lines[number]!.trim()).join('\n')) : notStated('the party block gives no address'),
    };
  }
  return { legalName: notStated(where), address: notStated(where) };
}

/** The contract's title: the first line before the parties that names an AVV. */
export function findTitle(lines: readonly string[], before: number): Extracted<string> {
  for (let index = 0; index < Math.min(before - 1, lines.length); index += 1) {
    const line = plainLine(lines[index]!);
    if (/^(zwischen|between)\b/i.test(line)) break;
    if (line.length <= 200 && /auftragsverarbeitung|auftragsverarbeitungsvertrag|\bAVV\b|datenverarbeitung im auftrag|verarbeitung (?:von )?personenbezogene[rn]? daten im auftrag|data processing agreement/i.test(line)) {
      return found(line, spanOf(index + 1), lines[index]!.trim());
    }
  }
  return notStated('no title line naming the AVV before the parties');
}

/** A version number the document prints ("Version 2.1", "Fassung 3"). */
export function findVersion(lines: readonly string[]): Extracted<string> {
  for (let index = 0; index < lines.length; index += 1) {
    const match = /\b(?:Version|Fassung|Vertragsversion)\s*:?\s*v?(\d+(?:\.\d+){0,2})\b/i.exec(lines[index]!);
    if (match) return found(match[1]!, spanOf(index + 1), lines[index]!.trim());
  }
  return notStated('the document prints no version number');
}

/** The data protection officer as the contract names them, with the lines read. */
export interface DpoDraft {
  name: string;
  organisation?: string;
  email?: string;
  lines: { from: number; to: number };
  quote: string;
}

/**
 * The DPO block after "Datenschutzbeauftragter … ist derzeit:" (name, firm, address, e-mail).
 * `mentioned` says whether the contract speaks of a DPO at all: one it mentions but does not
 * name in that shape is for the author to fill in, not `not-stated`.
 */
export function findDpo(lines: readonly string[], to: number): { dpo: DpoDraft | undefined; mentionedAt: number | undefined } {
  let mentionedAt: number | undefined;
  for (let index = 0; index < Math.min(to, lines.length); index += 1) {
    const line = plainLine(lines[index]!);
    if (!/datenschutzbeauftragte|data protection officer/i.test(line)) continue;
    mentionedAt ??= index + 1;
    if (!/(?:datenschutzbeauftragte[rn]?|data protection officer)\b[^:]{0,80}:\s*$|^(?:datenschutzbeauftragte[r]?|data protection officer)\s*:/i.test(line)) continue;
    const block: number[] = [];
    let cursor = index + 1;
    const rest = line.split(':').slice(1).join(':').trim();
    if (rest) block.push(index);
    while (cursor < lines.length && plainLine(lines[cursor]!) === '') cursor += 1;
    while (cursor < lines.length && plainLine(lines[cursor]!) !== '' && block.length < 6) block.push(cursor++);
    if (block.length === 0) continue;
    const texts = block.map((number) => (number === index ? rest : plainLine(lines[number]!)));
    const email = texts.join(' ').match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/)?.[0];
    const organisation = texts.slice(1).find((text) => hasLegalForm(text));
    return {
      dpo: { name: texts[0]!, ...(organisation ? { organisation } : {}), ...(email ? { email } : {}), lines: spanOf(block[0]! + 1, block.at(-1)! + 1), quote: block.map((number) => lines[number]!.trim()).join('\n') },
      mentionedAt,
    };
  }
  return { dpo: undefined, mentionedAt };
}
