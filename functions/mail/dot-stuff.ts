/** RFC 5321 §4.5.2: a line starting with "." gets another; the data ends with CRLF . CRLF. */
export function dotStuff(raw: string): string {
  const normalized = raw.replace(/\r?\n/g, '\r\n');
  const stuffed = normalized.replace(/(^|\r\n)\./g, '$1..');
  return stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`;
}
