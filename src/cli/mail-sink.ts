import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { root } from './lib/run.ts';
import { escapeHtml } from '../lib/escape-html.ts';

/** Where `npm start` keeps delivered mail: one .eml file per message (gitignored with .wrangler). */
export const LOCAL_MAIL_DIR = path.join(root, '.wrangler/mail');

/** One message as the sink received it, before parsing. */
export interface RawSinkMessage {
  /** File name under the sink's directory, e.g. "20261123T091500123Z-1.eml". */
  file: string;
  /** The bytes the client sent after DATA, as delivered (CRLF, un-dot-stuffed). */
  raw: string;
  /** SMTP envelope. */
  envelope: { from: string; to: string[] };
}

/** One message as the sink received it. */
export interface SinkMessage extends RawSinkMessage {
  parsed: ParsedMail;
}

/** How the sink answers the end of DATA: accept, 451 (try again later) or 550 (rejected). */
export type SinkFailure = 'none' | 'temporary' | 'permanent';

export interface MailSinkOptions {
  /** SMTP port on 127.0.0.1; 0 (default) picks a free one. */
  smtpPort?: number;
  /** Viewer port on 127.0.0.1; 0 picks a free one, null starts no viewer (default for tests). */
  httpPort?: number | null;
  /** Directory for the .eml files; created if missing. */
  dir: string;
}

export interface MailSink {
  smtpPort: number;
  /** The viewer's URL, when one runs. */
  viewerUrl: string | null;
  /** Messages received by this sink instance, oldest first. */
  messages(): Promise<SinkMessage[]>;
  /** The same without parsing them (a benchmark's 10,000 messages would cost seconds of CPU). */
  rawMessages(): RawSinkMessage[];
  /** Time spent storing messages (from the end of DATA to the reply), to tell whether the sink keeps up. */
  busyMs(): number;
  /** Resolves with the first message (received before or within `timeoutMs`) that matches. */
  waitFor(predicate: (message: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  /** Makes every following delivery fail (or succeed again with 'none'). */
  setFailure(mode: SinkFailure): void;
  /** Fails only the next `count` deliveries with `mode`, then accepts again. */
  failNext(count: number, mode: Exclude<SinkFailure, 'none'>): void;
  /** Deliveries refused so far (attempts the sink answered with 4xx/5xx). */
  refused(): number;
  /** SMTP connections opened so far (a client that reuses connections opens fewer than it sends). */
  connections(): number;
  /** Answers RCPT TO for these addresses with 550 (unknown mailbox) from now on. */
  refuseRecipients(addresses: string[]): void;
  /** Accepts these addresses again (after refuseRecipients), as a mailbox that came back. */
  acceptRecipients(addresses: string[]): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps every message whole as an .eml file, plus a small
 * HTTP viewer. The Worker submits to it over TCP with the same SMTP client it uses in
 * production, so tests assert on the MIME that was actually delivered.
 */
export async function startMailSink(options: MailSinkOptions): Promise<MailSink> {
  await mkdir(options.dir, { recursive: true });
  // Stored and acknowledged first, parsed only when a caller asks for parsed messages: the
  // sink must not be what limits a fan-out benchmark.
  const received: RawSinkMessage[] = [];
  const parsedCache = new Map<RawSinkMessage, Promise<SinkMessage>>();
  const parse = (message: RawSinkMessage) => {
    let parsed = parsedCache.get(message);
    if (!parsed) {
      parsed = simpleParser(message.raw).then((mail) => ({ ...message, parsed: mail }));
      parsedCache.set(message, parsed);
    }
    return parsed;
  };
  const parsedMessages = () => Promise.all(received.map(parse));
  let busy = 0;
  const waiters = new Set<() => void>();
  let failure: SinkFailure = 'none';
  let failures: { count: number; mode: Exclude<SinkFailure, 'none'> } | null = null;
  let refusedCount = 0;
  let connectionCount = 0;
  const refusedRecipients = new Set<string>();
  let sequence = 0;

  const smtp = new SMTPServer({
    // Loopback development sink: no TLS, any or no login, no size or rate limits.
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // Clients are on loopback: a reverse DNS lookup of 127.0.0.1 goes to the resolver and held up
    // every connection's greeting by ~100 ms (a queue batch's handshakes waited that long).
    disableReverseLookup: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'developer' }),
    onRcptTo: (address, _session, callback) => {
      if (!refusedRecipients.has(address.address)) return callback();
      refusedCount++;
      callback(Object.assign(new Error('Mail sink: no such mailbox'), { responseCode: 550 }));
    },
    onConnect: (_session, callback) => {
      connectionCount++;
      callback();
    },
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const started = performance.now();
        const mode = failures ? failures.mode : failure;
        if (failures && --failures.count <= 0) failures = null;
        if (mode !== 'none') {
          refusedCount++;
          const error = Object.assign(new Error(mode === 'temporary' ? 'Mail sink: temporary failure, try again later' : 'Mail sink: message rejected'), {
            responseCode: mode === 'temporary' ? 451 : 550,
          });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const file = `${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}-${++sequence}.eml`;
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        };
        try {
          // Synchronous: a small file into the page cache is quicker than the thread-pool round
          // trip of an async write, which a loaded machine turns into milliseconds per message.
          writeFileSync(path.join(options.dir, file), raw);
        } catch (error) {
          callback(Object.assign(new Error(`Mail sink could not store the message: ${String(error)}`), { responseCode: 451 }));
          return;
        }
        received.push({ file, raw, envelope });
        for (const wake of waiters) wake();
        busy += performance.now() - started;
        callback(null, `Queued as ${file}`);
      });
    },
  });
  // A client that drops its connection (a Worker torn down mid-batch) is its problem, not the sink's.
  // A port in use rejects the `listening` wait below, whose caller says what to do.
  smtp.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE' && error.code !== 'EADDRINUSE') console.error('mail sink:', error);
  });
  greetWithoutDelay(smtp);
  smtp.listen(options.smtpPort ?? 0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpAddress = smtp.server.address();
  if (smtpAddress === null || typeof smtpAddress === 'string') throw new Error('mail sink: no SMTP port');

  let viewer: Server | null = null;
  let viewerUrl: string | null = null;
  if (options.httpPort !== undefined && options.httpPort !== null) {
    viewer = createServer((request, response) => {
      serveViewer(options.dir, request.url ?? '/').then(
        ({ status, type, body, headers }) => response.writeHead(status, { 'content-type': type, ...headers }).end(body),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(String(error)),
      );
    });
    viewer.listen(options.httpPort, '127.0.0.1');
    await once(viewer, 'listening');
    const address = viewer.address();
    if (address === null || typeof address === 'string') throw new Error('mail sink: no HTTP port');
    viewerUrl = `http://127.0.0.1:${address.port}`;
  }

  return {
    smtpPort: smtpAddress.port,
    viewerUrl,
    messages: parsedMessages,
    rawMessages: () => [...received],
    busyMs: () => busy,
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let done = false;
        const check = () => {
          void parsedMessages().then((messages) => {
            const found = messages.find(predicate);
            if (!found || done) return;
            cleanup();
            resolve(found);
          }, (error: unknown) => {
            cleanup();
            reject(error instanceof Error ? error : new Error(String(error)));
          });
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`mail sink: no matching message within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        const cleanup = () => {
          done = true;
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    setFailure(mode) {
      failure = mode;
      failures = null;
    },
    failNext(count, mode) {
      failures = count > 0 ? { count, mode } : null;
    },
    refused: () => refusedCount,
    connections: () => connectionCount,
    refuseRecipients(addresses) {
      for (const address of addresses) refusedRecipients.add(address);
    },
    acceptRecipients(addresses) {
      for (const address of addresses) refusedRecipients.delete(address);
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (viewer) {
        viewer.closeAllConnections();
        await new Promise<void>((resolve) => viewer!.close(() => resolve()));
      }
    },
  };
}

/**
 * smtp-server greets each client only after 100 ms, to catch spam bots that talk before the
 * greeting (a defence for public port 25, not for a submission sink on loopback). Every queue
 * batch of notices opens its SMTP connections anew, so that delay alone was 10 s of a 10,000
 * notice fan-out. Here the greeting goes out at once; the delayed call then finds it done.
 */
function greetWithoutDelay(smtp: SMTPServer): void {
  const connect = smtp.connect.bind(smtp);
  smtp.connect = (socket, socketOptions) => {
    connect(socket, socketOptions);
    // connect() adds the new connection last and, without TLS to set up first, schedules its
    // greeting: send it now and make the scheduled call a no-op.
    const connection = [...smtp.connections].at(-1);
    if (!connection) return;
    const ready = connection.connectionReady.bind(connection);
    connection.connectionReady = () => {};
    ready();
  };
}

/** The Worker vars that point the SMTP transport at a sink on this machine. */
export function mailSinkVars(smtpPort: number): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    SMTP_SECURITY: 'none',
    SMTP_USER: '',
    MAIL_FROM: 'Trust Center <trust-center@localhost.localdomain>',
  };
}

interface ViewerResponse {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** Links in the text part become clickable (the confirm and unsubscribe links are why one opens it). */
const linkify = (escaped: string) => escaped.replace(/https?:\/\/[^\s<>"]+/g, (url) => `<a href="${url}">${url}</a>`);

const escape = escapeHtml;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#111}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem;overflow:auto}iframe{width:100%;height:32rem;border:1px solid #ccc}a{color:#0645ad}</style>
</head><body><main>${body}</main></body></html>`;
}

/** The viewer: `/` lists messages newest first, `/m/<file>` shows one, `/m/<file>/raw` and `/m/<file>/html` serve its parts. */
async function serveViewer(dir: string, url: string): Promise<ViewerResponse> {
  const pathname = decodeURIComponent(new URL(url, 'http://sink').pathname);
  const html = (body: string, status = 200): ViewerResponse => ({ status, type: 'text/html; charset=utf-8', body });
  if (pathname === '/') {
    const files = (await readdir(dir)).filter((file) => file.endsWith('.eml')).sort().reverse();
    const rows: string[] = [];
    for (const file of files.slice(0, 500)) {
      const parsed = await simpleParser(await readFile(path.join(dir, file)));
      rows.push(
        `<tr><td>${escape(parsed.date?.toISOString() ?? '')}</td><td>${escape(parsed.to ? [parsed.to].flat().map((to) => to.text).join(', ') : '')}</td><td><a href="/m/${encodeURIComponent(file)}">${escape(parsed.subject ?? '(no subject)')}</a></td></tr>`,
      );
    }
    return html(
      page(
        'Local mail sink',
        `<h1>Local mail sink</h1><p>${files.length} message(s) in <code>${escape(dir)}</code>. Nothing here left this machine.</p>` +
          (rows.length === 0 ? '<p>No mail yet.</p>' : `<table><caption>Messages, newest first</caption><thead><tr><th scope="col">Date</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows.join('')}</tbody></table>`),
      ),
    );
  }
  const match = /^\/m\/([^/]+\.eml)(\/raw|\/html)?$/.exec(pathname);
  if (!match || match[1]!.includes('..')) return html(page('Not found', '<h1>Not found</h1><p><a href="/">All messages</a></p>'), 404);
  const file = match[1]!;
  let raw: string;
  try {
    raw = await readFile(path.join(dir, file), 'utf8');
  } catch {
    return html(page('Not found', '<h1>No such message</h1><p><a href="/">All messages</a></p>'), 404);
  }
  if (match[2] === '/raw') return { status: 200, type: 'text/plain; charset=utf-8', body: raw };
  const parsed = await simpleParser(raw);
  if (match[2] === '/html') {
    // The mail's own HTML, sandboxed: no scripts, no same-origin access to the viewer.
    return { status: 200, type: 'text/html; charset=utf-8', body: parsed.html || '<p>(no HTML part)</p>', headers: { 'content-security-policy': "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:" } };
  }
  const headerRows = [...parsed.headerLines].map(({ line }) => `<tr><td><code>${escape(line)}</code></td></tr>`).join('');
  return html(
    page(
      parsed.subject ?? file,
      `<p><a href="/">All messages</a> · <a href="/m/${encodeURIComponent(file)}/raw">Raw (.eml)</a></p><h1>${escape(parsed.subject ?? '(no subject)')}</h1>` +
        `<h2>Text</h2><pre>${linkify(escape(parsed.text ?? ''))}</pre>` +
        (parsed.html ? `<h2>HTML</h2><iframe title="HTML part of the message" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/m/${encodeURIComponent(file)}/html"></iframe>` : '') +
        `<h2>Header</h2><table><tbody>${headerRows}</tbody></table>`,
    ),
  );
}
