import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAcceptanceDocument, hashAcceptanceDocument } from '../src/domain/acceptance-document.ts';
import { canonicalJson } from '../src/domain/canonical-json.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { SubprocessorSchema } from '../src/schemas/subprocessor.ts';
import { TomVersionSchema } from '../src/schemas/tom.ts';
import { validAvv, validSubprocessor, validTomVersion } from './support/valid-entries.ts';

describe('canonicalJson (RFC 8785)', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 2, x: 1 } }, '{"z":{"x":1,"y":2}}'],
    [{ a: undefined, b: 0 }, '{"b":0}'],
    [{ 'ä': 1, z: 2, Z: 3 }, '{"Z":3,"z":2,"ä":1}'],
    [1e21, '1e+21'],
    [0.1, '0.1'],
    ['Straße "A"\n', '"Straße \\"A\\"\\n"'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value as never)).toBe(expected);
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
  });

  it('writes a part it was handed (by identity) as given, and gives the same bytes as serialising it', () => {
    const part = { y: [2, 1], x: 'a' };
    const copy = { y: [2, 1], x: 'a' };
    const document = { parts: [part, copy], head: { b: 1, a: 0 } };
    const known = new Map<object, string>([[part, canonicalJson(part)]]);
    expect(canonicalJson(document, known)).toBe(canonicalJson(document));
    // Only the very object is reused: an equal copy is serialised, so a marker shows which.
    expect(canonicalJson(document, new Map([[part, '"PART"']]))).toBe('{"head":{"a":0,"b":1},"parts":["PART",{"x":"a","y":[2,1]}]}');
    expect(canonicalJson(document, new Map([[part.y, '"Y"']]))).toBe('{"head":{"a":0,"b":1},"parts":[{"x":"a","y":"Y"},{"x":"a","y":[2,1]}]}');
  });
});

describe('acceptance document hash', () => {
  const input = () => ({
    asOf: '2026-11-23',
    avv: { ...AvvVersionSchema.parse(validAvv()), body: '## § 1 Gegenstand {#gegenstand}\r\n\r\nText.  \n' },
    toms: { ...TomVersionSchema.parse(validTomVersion()), body: 'Vorbemerkung.' },
    subprocessors: [
      { ...SubprocessorSchema.parse({ ...validSubprocessor(), name: 'Zeta' }), slug: 'zeta' },
      { ...SubprocessorSchema.parse(validSubprocessor()), slug: 'alpha' },
    ],
  });

  it('is SHA-256 over the canonical bytes, reproducible with any SHA-256 tool', async () => {
    const { canonical, sha256 } = await hashAcceptanceDocument(buildAcceptanceDocument(input()));
    expect(sha256).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(JSON.parse(canonical).avv.text).toBe('## § 1 Gegenstand {#gegenstand}\n\nText.');
  });

  it('does not depend on line endings or the order subprocessors were loaded in', async () => {
    const a = await hashAcceptanceDocument(buildAcceptanceDocument(input()));
    const reordered = input();
    reordered.subprocessors.reverse();
    reordered.avv.body = reordered.avv.body.replace(/\r\n/g, '\n');
    const b = await hashAcceptanceDocument(buildAcceptanceDocument(reordered));
    expect(b.sha256).toBe(a.sha256);
  });

  it.each<[string, (doc: ReturnType<typeof input>) => void]>([
    ['one word of the contract', (d) => { d.avv.body = d.avv.body.replace('Text', 'Texte'); }],
    ['a TOMs measure', (d) => { d.toms.sections[0]!.measures = ['Schlüssel']; }],
    ['a subprocessor location', (d) => { d.subprocessors[0]!.locations = [{ country: 'DE' }]; }],
    ['the subprocessor list', (d) => { d.subprocessors.pop(); }],
    ['the change rules', (d) => { (d.avv.changeRules as Array<{ noticePeriod: unknown }>)[0]!.noticePeriod = { wording: '31 Tage', amount: 31, unit: 'calendar-days', qualifier: 'exactly', shiftToNextWorkingDay: true }; }],
  ])('changes when %s changes', async (_name, mutate) => {
    const before = await hashAcceptanceDocument(buildAcceptanceDocument(input()));
    const changed = input();
    mutate(changed);
    const after = await hashAcceptanceDocument(buildAcceptanceDocument(changed));
    expect(after.sha256).not.toBe(before.sha256);
  });

  it('holds whether a declaration can be withdrawn, but not the reading of how (it came after states were accepted; the text holds it)', async () => {
    const withdrawable = (withdrawal?: Record<string, unknown>) => {
      const doc = input();
      const [rule] = doc.avv.changeRules as Array<Record<string, unknown>>;
      rule!.withdrawable = true;
      if (withdrawal) rule!.withdrawal = withdrawal;
      return buildAcceptanceDocument(doc);
    };
    const bare = withdrawable();
    const read = withdrawable({ clause: '§ 8 Abs. 7', wording: 'jederzeit widerruflich', period: 'any-time', takesEffect: 'future', form: 'not-stated', addressee: 'not-stated' });
    expect((await hashAcceptanceDocument(read)).sha256).toBe((await hashAcceptanceDocument(bare)).sha256);
    expect(JSON.stringify(read.avv.changeRules)).not.toContain('withdrawal"');
    expect((await hashAcceptanceDocument(bare)).sha256).not.toBe((await hashAcceptanceDocument(buildAcceptanceDocument(input()))).sha256);
  });
});
