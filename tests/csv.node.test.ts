import { describe, expect, it } from 'vitest';
import { csvCell, toCsv, UTF8_BOM } from '../src/domain/csv.ts';

/*
 * Console exports open in Excel and LibreOffice: a cell someone else typed must never run as
 * a formula (OWASP CSV injection), quoting must follow RFC 4180, and umlauts must survive.
 */
describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("https://attacker.example","Klick")', `"'=HYPERLINK(""https://attacker.example"",""Klick"")"`],
    ['+49 40 123', "'+49 40 123"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['=cmd|\' /C calc\'!A0', "'=cmd|' /C calc'!A0"],
  ])('neutralises %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    ['Müller & Söhne GmbH', 'Müller & Söhne GmbH'],
    ['Beispiel, Handels GmbH', '"Beispiel, Handels GmbH"'],
    ['Sie sagte "nein"', '"Sie sagte ""nein"""'],
    ['Zeile 1\nZeile 2', '"Zeile 1\nZeile 2"'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('quotes %j as RFC 4180 demands', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers as numbers, empty for null, and negative numbers unprefixed', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  const rows = [
    { company: '=1+1', signer: 'Erika Müller', count: 2 },
    { company: 'Nord, Süd AG', signer: null, count: 0 },
  ];

  it('has a header, CRLF line ends and a final CRLF', () => {
    expect(toCsv(['company', 'signer', 'count'], rows)).toBe(`company,signer,count\r\n'=1+1,Erika Müller,2\r\n"Nord, Süd AG",,0\r\n`);
  });

  it('starts with the UTF-8 byte order mark when asked, for Excel', () => {
    const csv = toCsv(['company'], rows, { bom: true });
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
