/**
 * Canonical JSON after RFC 8785 (JCS): object members sorted by UTF-16 code units, no
 * whitespace, numbers and strings serialised as ECMAScript's JSON.stringify does. Two parties
 * who hold the same data get the same bytes, so a hash over them is reproducible by anyone
 * (`sha256sum` over the published document.json).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

/**
 * The canonical JSON of `value`. An object or array found in `known` (by identity) is not
 * serialised again but written as the string stored for it, which must be its canonical JSON:
 * a document hashed whole and then part by part serialises each part once.
 */
export function canonicalJson(value: JsonValue, known?: ReadonlyMap<object, string>): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value);
  }
  const serialised = known?.get(value);
  if (serialised !== undefined) return serialised;
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item, known)).join(',')}]`;
  }
  // Members whose value is undefined are absent, as in JSON.stringify; sorting by code units
  // is what the default sort does for strings.
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue, known)}`);
  return `{${members.join(',')}}`;
}
