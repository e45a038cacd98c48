/**
 * CSV for spreadsheets (RFC 4180): fields separated by commas, records by CRLF, a field quoted
 * when it holds a comma, quote, CR or LF, quotes doubled inside.
 *
 * Formula injection (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell
 * that starts with `=`, `+`, `-` or `@` as a formula, and a leading TAB or CR can hide such a
 * start. Company names, signers, e-mail addresses and URLs are other people's input, so every
 * cell starting with one of these gets a leading apostrophe, which makes the spreadsheet show it
 * as text. Numbers are written as numbers (a negative number is not text anyone typed).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The UTF-8 byte order mark: without it Excel reads UTF-8 as Windows-1252 (Müller → MÃ¼ller). */
export const UTF8_BOM = '\uFEFF';

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document with a header row of `columns` and one record per row (values by column
 * name). `bom` prefixes the UTF-8 byte order mark, for files meant to be opened in Excel.
 */
export function toCsv<Row>(columns: readonly (keyof Row & string)[], rows: readonly Row[], options: { bom?: boolean } = {}): string {
  const lines = [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))];
  return `${options.bom ? UTF8_BOM : ''}${lines.join('\r\n')}\r\n`;
}
