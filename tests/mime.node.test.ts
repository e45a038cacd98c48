import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime, bulkMime, encodeMailbox, quotedPrintable } from '../functions/mail/mime.ts';
import { dotStuff } from '../functions/mail/dot-stuff.ts';

/** The MIME builder, checked by parsing its output with an independent parser (mailparser). */
describe('buildMime', () => {
  const base = {
    from: 'Wolkenwerk Trust Center <trust@wolkenwerk.example>',
    to: 'datenschutz@kunde.example',
    subject: 'Neuer Unterauftragsverarbeiter: Bärenstark Hosting GmbH – Widerspruch bis 07.01.2027',
    text: 'Grüße aus Köln.\nZweite Zeile mit Umlauten: äöüß€.',
  };

  it('encodes a UTF-8 subject and body that an independent parser reads back exactly', async () => {
    const { raw, messageId } = buildMime(base, new Date('2026-11-23T09:15:00Z'));
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(base.subject);
    expect(parsed.text?.trimEnd()).toBe(base.text);
    expect(parsed.from?.value[0]).toMatchObject({ address: 'trust@wolkenwerk.example', name: 'Wolkenwerk Trust Center' });
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe('datenschutz@kunde.example');
    expect(parsed.messageId).toBe(`<${messageId}>`);
    expect(messageId).toMatch(/@wolkenwerk\.example$/);
    expect(parsed.date?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    expect(parsed.headers.get('mime-version')).toBe('1.0');
  });

  it('is 7-bit with CRLF line ends only and no line over 78 characters', () => {
    const { raw } = buildMime({ ...base, text: `${'Sehr lange Zeile ohne Umbruch, '.repeat(20)}Ende.`, html: `<p>${'ä'.repeat(300)}</p>` });
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).not.toMatch(/\r(?!\n)/);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('builds multipart/alternative with both parts when there is HTML', async () => {
    const { raw } = buildMime({ ...base, html: '<p>Grüße <a href="https://trust.example/x?a=1&amp;b=2">Link</a></p>' });
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.html).toContain('<a href="https://trust.example/x?a=1&amp;b=2">Link</a>');
    expect(parsed.text?.trimEnd()).toBe(base.text);
  });

  it('passes extra headers through and encodes non-ASCII ones', async () => {
    const url = `https://trust.wolkenwerk.example/api/subscriptions/unsubscribe?s=sub_${'x'.repeat(22)}&t=${'y'.repeat(43)}`;
    const { raw } = buildMime({ ...base, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Note': 'Prüfung' } });
    const parsed = await simpleParser(raw);
    expect(raw).toContain(`\r\nList-Unsubscribe: <${url}>\r\n`);
    expect(parsed.headerLines.map((header) => header.line)).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // mailparser leaves unknown fields undecoded; decode the RFC 2047 word by hand.
    const note = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(String(parsed.headers.get('x-note')));
    expect(Buffer.from(note?.[1] ?? '', 'base64').toString('utf8')).toBe('Prüfung');
  });

  it('refuses header injection through values, names, addresses and the Message-ID', () => {
    expect(() => buildMime({ ...base, subject: 'Hi\r\nBcc: victim@example.com' })).toThrow(/single line/);
    expect(() => buildMime({ ...base, headers: { 'X-Evil': 'a\nBcc: x@example.com' } })).toThrow(/single line/);
    expect(() => buildMime({ ...base, headers: { 'Bad Name': 'x' } })).toThrow(/header name/);
    expect(() => buildMime({ ...base, to: 'a@example.com>\r\nBcc: <b@example.com' })).toThrow(/address/);
    expect(() => buildMime({ ...base, messageId: 'x@y>\r\nBcc: z' })).toThrow(/Message-ID/);
  });

  it('quotes or encodes display names as RFC 5322 requires', () => {
    expect(encodeMailbox('Müller, Anna <anna@example.com>')).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <anna@example\.com>$/);
    expect(encodeMailbox('Smith, John <john@example.com>')).toBe('"Smith, John" <john@example.com>');
    expect(encodeMailbox('plain@example.com')).toBe('plain@example.com');
  });
});

describe('quotedPrintable', () => {
  it('escapes "=", non-ASCII bytes, trailing whitespace and a leading dot', () => {
    expect(quotedPrintable('a=b')).toBe('a=3Db');
    expect(quotedPrintable('ä')).toBe('=C3=A4');
    expect(quotedPrintable('end \nnext')).toBe('end=20\r\nnext');
    expect(quotedPrintable('.hidden')).toBe('=2Ehidden');
  });

  it('soft-breaks long lines so that decoding restores them', async () => {
    const line = 'x'.repeat(200);
    const encoded = quotedPrintable(line);
    expect(encoded.split('\r\n').every((part) => part.length <= 76)).toBe(true);
    const parsed = await simpleParser(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}\r\n`);
    expect(parsed.text?.trimEnd()).toBe(line);
  });

  it('any text, with or without the characters it must escape, decodes back to itself in lines of at most 76', async () => {
    const character = fc.constantFrom('a', 'Z', '0', '-', '=', '.', ' ', '\t', 'ä', '€', '§', '\n');
    await fc.assert(
      fc.asyncProperty(fc.array(character, { maxLength: 240 }).map((chars) => chars.join('')), async (text) => {
        const encoded = quotedPrintable(text);
        expect(encoded.split('\r\n').every((part) => part.length <= 76 && !/[ \t]$/.test(part))).toBe(true);
        const parsed = await simpleParser(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`);
        expect(parsed.text ?? '').toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

/** A fan-out encodes the shared parts once; every mail must still be what buildMime makes of it whole. */
describe('bulkMime', () => {
  const date = new Date('2026-11-23T09:15:00Z');
  const character = fc.constantFrom('a', 'Z', '0', '-', '=', '.', ' ', '\t', 'ä', '€', '§', '\n', '\r');
  const text = (maxLength: number) => fc.array(character, { maxLength }).map((chars) => chars.join(''));

  it('makes byte for byte the message buildMime makes of the whole text, for any head and tail', () => {
    fc.assert(
      fc.property(text(300), text(120), fc.boolean(), fc.constantFrom('Änderung – Frist 07.01.2027', 'Subprocessor change'), (textHead, textTail, withReplyTo, subject) => {
        const shared = { from: 'Wolkenwerk Trust Center <trust@wolkenwerk.example>', subject, textHead, headers: { 'Content-Language': 'de' }, ...(withReplyTo && { replyTo: 'Datenschutz Müller <privacy@wolkenwerk.example>' }) };
        const recipient = { to: 'leser@kunde.example', messageId: 'nd_0123456789abcdef@wolkenwerk.example', textTail, headers: { 'List-Unsubscribe': '<https://trust.example/u?s=1&t=x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
        const whole = buildMime(
          { from: shared.from, to: recipient.to, subject, text: textHead + textTail, headers: { ...recipient.headers, ...shared.headers }, messageId: recipient.messageId, ...(withReplyTo && { replyTo: shared.replyTo }) },
          date,
        );
        expect(bulkMime(shared)(recipient, date)).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('encodes each recipient on its own: address, Message-ID and tail never leak into the next mail', async () => {
    const encode = bulkMime({ from: 'trust@wolkenwerk.example', subject: 'Hinweis', textHead: 'Gemeinsamer Text.\n' });
    const first = encode({ to: 'a@kunde.example', messageId: 'nd_a@wolkenwerk.example', textTail: 'Abmelden: https://trust.example/u?s=a\n' }, date);
    const second = encode({ to: 'b@kunde.example', messageId: 'nd_b@wolkenwerk.example', textTail: 'Abmelden: https://trust.example/u?s=b\n' }, date);
    const parsed = await simpleParser(second.raw);
    expect(parsed.text).toBe('Gemeinsamer Text.\nAbmelden: https://trust.example/u?s=b\n');
    expect(parsed.messageId).toBe('<nd_b@wolkenwerk.example>');
    expect(second.raw).not.toContain('a@kunde.example');
    expect(first.raw).toContain('u?s=3Da');
    expect(() => encode({ to: 'c@kunde.example', messageId: 'bad>\r\nBcc: x', textTail: '' })).toThrow(/Message-ID/);
  });
});

describe('dotStuff', () => {
  it('doubles a leading dot on any line and ends with CRLF', () => {
    expect(dotStuff('a\r\n.b\r\n..c')).toBe('a\r\n..b\r\n...c\r\n');
    expect(dotStuff('.first')).toBe('..first\r\n');
  });
});
