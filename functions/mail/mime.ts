import { envelopeAddress, type MailAttachment, type MailMessage } from './message.ts';

/**
 * RFC 5322 / RFC 2045-2047 encoding of a MailMessage: UTF-8 bodies as quoted-printable (readable
 * in the raw message, 7-bit safe for any relay), non-ASCII header text as encoded-words, CRLF
 * line ends, multipart/alternative when there is an HTML part, multipart/mixed with base64
 * attachments.
 */
export interface BuiltMime {
  /** The whole message, ready for SMTP DATA (before dot-stuffing). */
  raw: string;
  /** Message-ID without angle brackets. */
  messageId: string;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();

export function buildMime(message: MailMessage, date: Date = new Date()): BuiltMime {
  const messageId = message.messageId ?? `${crypto.randomUUID()}@${domainOf(message.from)}`;
  checkMessageId(messageId);
  const headers = [...leadingHeaders(senderHeaders(message), encodeMailbox(message.to), messageId, date), ...extraHeaders(message.headers)];
  const content = contentPart(message);
  let body: string;
  if (!message.attachments?.length) {
    headers.push(...content.headers);
    body = content.body;
  } else {
    const boundary = `=_mixed_${crypto.randomUUID().replace(/-/g, '')}`;
    headers.push(['Content-Type', `multipart/mixed;${CRLF} boundary="${boundary}"`]);
    body = [
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      ...content.headers.map(([name, value]) => `${name}: ${value}`),
      '',
      content.body,
      ...message.attachments.flatMap((attachment) => [`--${boundary}`, ...attachmentPart(attachment)]),
      `--${boundary}--`,
      '',
    ].join(CRLF);
  }
  return { raw: assemble(headers, body), messageId };
}

/** What a fan-out's mails share: everything but the recipient, its Message-ID and its own lines. */
export interface BulkMail {
  from: string;
  replyTo?: string;
  subject: string;
  /** The shared start of the plain-text body; the recipient's `textTail` follows it. */
  textHead: string;
  /** Header fields every recipient's mail carries (after the recipient's own). */
  headers?: Record<string, string>;
}

/** One recipient's parts of a BulkMail. */
export interface BulkRecipient {
  to: string;
  messageId: string;
  /** The end of the body that differs per recipient, e.g. their unsubscribe link. */
  textTail: string;
  /** Header fields of this recipient, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

/**
 * A fan-out's MIME encoder: the shared header fields and the shared part of the body are encoded
 * once, each mail then costs only its recipient's parts. The result is byte for byte what
 * `buildMime` makes of the whole message (`text: textHead + textTail`, the recipient's header
 * fields first), tested; quoted-printable works line by line, so a head that ends a line encodes
 * the same alone as within the whole text.
 */
export function bulkMime(mail: BulkMail): (recipient: BulkRecipient, date?: Date) => BuiltMime {
  const shared = extraHeaders(mail.headers);
  const content = textPartHeaders('plain');
  const head = mail.textHead;
  const encodedHead = head === '' || head.endsWith('\n') ? quotedPrintable(head) : null;
  const sender = senderHeaders(mail);
  return (recipient, date = new Date()) => {
    checkMessageId(recipient.messageId);
    const headers = [...leadingHeaders(sender, encodeMailbox(recipient.to), recipient.messageId, date), ...extraHeaders(recipient.headers), ...shared, ...content];
    const body = encodedHead === null ? quotedPrintable(head + recipient.textTail) : encodedHead + quotedPrintable(recipient.textTail);
    return { raw: assemble(headers, body), messageId: recipient.messageId };
  };
}

interface SenderHeaders {
  from: string;
  replyTo: string | undefined;
  subject: string;
}

/** From, Reply-To and Subject as encoded header values (the same for every recipient of a fan-out). */
function senderHeaders(message: Pick<MailMessage, 'from' | 'replyTo' | 'subject'>): SenderHeaders {
  return { from: encodeMailbox(message.from), replyTo: message.replyTo === undefined ? undefined : encodeMailbox(message.replyTo), subject: encodeText(message.subject, 'Subject: '.length) };
}

/** From, To, Reply-To, Subject, Date, Message-ID and MIME-Version, in this order. */
function leadingHeaders(sender: SenderHeaders, to: string, messageId: string, date: Date): Array<[string, string]> {
  return [
    ['From', sender.from],
    ['To', to],
    ...(sender.replyTo !== undefined ? [['Reply-To', sender.replyTo] as [string, string]] : []),
    ['Subject', sender.subject],
    ['Date', rfc5322Date(date)],
    ['Message-ID', `<${messageId}>`],
    ['MIME-Version', '1.0'],
  ];
}

function checkMessageId(messageId: string): void {
  if (!/^[!-;=?-~]+@[!-;=?-~]+$/.test(messageId)) throw new Error(`invalid Message-ID ${JSON.stringify(messageId)}`);
}

function extraHeaders(fields: Record<string, string> | undefined): Array<[string, string]> {
  return Object.entries(fields ?? {}).map(([name, value]) => {
    if (!/^[!-9;-~]+$/.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    return [name, encodeText(value, name.length + 2)];
  });
}

function assemble(headers: Array<[string, string]>, body: string): string {
  const head = headers.map(([name, value]) => `${name}: ${value}`).join(CRLF);
  return `${head}${CRLF}${CRLF}${body}${body.endsWith(CRLF) ? '' : CRLF}`;
}

/** The readable part: plain text, or plain text and HTML as multipart/alternative. */
function contentPart(message: MailMessage): { headers: Array<[string, string]>; body: string } {
  if (message.html === undefined) return { headers: textPartHeaders('plain'), body: quotedPrintable(message.text) };
  const boundary = `=_alt_${crypto.randomUUID().replace(/-/g, '')}`;
  return {
    headers: [['Content-Type', `multipart/alternative;${CRLF} boundary="${boundary}"`]],
    body: [
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      ...textPartHeaders('plain').map(([name, value]) => `${name}: ${value}`),
      '',
      quotedPrintable(message.text),
      `--${boundary}`,
      ...textPartHeaders('html').map(([name, value]) => `${name}: ${value}`),
      '',
      quotedPrintable(message.html),
      `--${boundary}--`,
    ].join(CRLF),
  };
}

/** An attachment's header lines, blank line and base64 body (RFC 2045 § 6.8, 76-character lines). */
function attachmentPart(attachment: MailAttachment): string[] {
  if (!/^[\w.+-]+$/.test(attachment.filename)) throw new Error(`invalid attachment file name ${JSON.stringify(attachment.filename)}`);
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(attachment.contentType)) throw new Error(`invalid attachment type ${JSON.stringify(attachment.contentType)}`);
  const bytes = typeof attachment.content === 'string' ? encoder.encode(attachment.content) : attachment.content;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return [
    `Content-Type: ${attachment.contentType}; name="${attachment.filename}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${attachment.filename}"`,
    '',
    ...(btoa(binary).match(/.{1,76}/g) ?? []),
  ];
}

function textPartHeaders(subtype: 'plain' | 'html'): Array<[string, string]> {
  return [
    ['Content-Type', `text/${subtype}; charset=utf-8`],
    ['Content-Transfer-Encoding', 'quoted-printable'],
  ];
}

/** RFC 5322 §3.3 date in UTC, e.g. "Mon, 23 Nov 2026 09:15:00 +0000". */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function domainOf(mailbox: string): string {
  const address = envelopeAddress(mailbox);
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1) : 'localhost';
}

/**
 * `Name <addr>` with the display name quoted or encoded as needed; the address itself must be
 * ASCII (the transport does not offer SMTPUTF8).
 */
export function encodeMailbox(mailbox: string): string {
  const address = envelopeAddress(mailbox);
  if (!/^[!-~]+@[!-~]+$/.test(address) || /[<>()[\]\\,;:"]/.test(address)) throw new Error(`invalid mail address ${JSON.stringify(address)}`);
  const match = /^(.*?)\s*<[^<>]+>\s*$/.exec(mailbox);
  const name = match?.[1]?.trim().replace(/^"(.*)"$/, '$1') ?? '';
  if (name === '') return address;
  if (/[^\x20-\x7e]/.test(name)) return `${encodedWords(name, 'From: '.length)} <${address}>`;
  // RFC 5322 atext plus spaces may stand bare; anything else is a quoted string.
  const display = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return `${display} <${address}>`;
}

/** Unstructured header text: ASCII stays as it is, anything else becomes encoded-words. */
/** A CR or LF in a value would start a new header field (header injection), so it is refused. */
function encodeText(value: string, used: number): string {
  if (/[\r\n]/.test(value)) throw new Error('header values must be a single line');
  return /[^\x20-\x7e\t]/.test(value) ? encodedWords(value, used) : value;
}

/**
 * RFC 2047 "B" encoded-words, split between whole characters (never inside a UTF-8 sequence)
 * and joined by folding whitespace so that no line exceeds 76 characters: the first word
 * shares its line with the field name (`used` characters), later ones start a line.
 */
function encodedWords(value: string, used: number): string {
  const prefix = '=?UTF-8?B?';
  const suffix = '?=';
  const bytesFor = (room: number) => Math.floor((room - prefix.length - suffix.length) / 4) * 3;
  const bytes = encoder.encode(value);
  let maxBytes = bytesFor(76 - used);
  const words: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = Math.min(bytes.length, start + maxBytes);
    // Back up to the start of a character (UTF-8 continuation bytes are 10xxxxxx)…
    while (end > start && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    // …unless not even one character fits: then that character alone.
    if (end === start) for (end = start + 1; end < bytes.length && (bytes[end]! & 0xc0) === 0x80; end++);
    words.push(prefix + btoa(String.fromCharCode(...bytes.subarray(start, end))) + suffix);
    start = end;
    maxBytes = bytesFor(75);
  }
  return words.join(`${CRLF} `);
}

/**
 * RFC 2045 §6.7 quoted-printable of UTF-8 text: line breaks become CRLF hard breaks, lines are
 * soft-broken at 76 characters, `=` and non-ASCII bytes are escaped, and so is whitespace at a
 * line end (relays may strip it). A leading "." is escaped too, so no line is ever SMTP's
 * end-of-data marker even for a transport that forgot to dot-stuff.
 */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines.map(encodeLine).join(CRLF);
}

/** `=XX` for every byte value, so encoding a byte is a lookup (a fan-out encodes thousands of mails). */
const ESCAPED = Array.from({ length: 256 }, (_, byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
/** A line that quoted-printable leaves as it is: printable ASCII but "=", inner blanks only, not starting with ".", at most 75 characters. */
const UNCHANGED_LINE = /^(?:[!-\-/-<>-~](?:[\t !-<>-~]{0,73}[!-<>-~])?)?$/;

function encodeLine(line: string): string {
  if (UNCHANGED_LINE.test(line)) return line;
  const bytes = encoder.encode(line);
  // Soft breaks keep every physical line at ≤ 76 characters including the trailing "=", and
  // never split an "=XX".
  const out: string[] = [];
  let current = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    const last = index === bytes.length - 1;
    const plain = (byte >= 33 && byte <= 126 && byte !== 61 && !(index === 0 && byte === 46)) || ((byte === 32 || byte === 9) && !last);
    const token = plain ? String.fromCharCode(byte) : ESCAPED[byte]!;
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = '';
    }
    current += token;
  }
  out.push(current);
  return out.join(CRLF);
}
