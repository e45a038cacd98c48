import { connect } from 'cloudflare:sockets';
import { dotStuff } from './dot-stuff.ts';
import { MailTransportError } from './transport-error.ts';

/** Where and how to submit mail. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** none: plain TCP (the local sink only); starttls: upgrade after EHLO (port 587); tls: implicit TLS (port 465). */
  security: 'none' | 'starttls' | 'tls';
  user?: string;
  password?: string;
  /** Name we greet with in EHLO. */
  heloName: string;
  /** Per-reply timeout. */
  timeoutMs: number;
}

/** One mail for the envelope: sender, one recipient, the encoded message. */
export interface SmtpEnvelope {
  from: string;
  to: string;
  raw: string;
}

interface Reply {
  code: number;
  lines: string[];
}

const encoder = new TextEncoder();

/**
 * Submits one message over SMTP (RFC 5321) with the Workers TCP sockets API: EHLO, optional
 * STARTTLS, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA. Any reply outside the expected code
 * raises MailTransportError with that code (4xx retryable, 5xx permanent); a broken connection
 * or timeout is retryable. Returns the server's final reply text (often a queue id).
 */
export async function smtpSend(config: SmtpConfig, envelope: SmtpEnvelope): Promise<string> {
  let socket = connect({ hostname: config.host, port: config.port }, { secureTransport: config.security === 'tls' ? 'on' : config.security === 'starttls' ? 'starttls' : 'off', allowHalfOpen: false });
  let session = new Session(socket, config.timeoutMs);
  try {
    await session.expect(null, 220);
    let ehlo = await session.expect(`EHLO ${config.heloName}`, 250);
    if (config.security === 'starttls') {
      if (!advertises(ehlo, 'STARTTLS')) throw new MailTransportError('the SMTP server does not offer STARTTLS', null, false);
      await session.expect('STARTTLS', 220);
      session.release();
      socket = socket.startTls();
      session = new Session(socket, config.timeoutMs);
      ehlo = await session.expect(`EHLO ${config.heloName}`, 250);
    }
    if (config.user) await authenticate(session, ehlo, config.user, config.password ?? '');
    await session.expect(`MAIL FROM:<${envelope.from}>`, 250);
    await session.expect(`RCPT TO:<${envelope.to}>`, [250, 251]);
    await session.expect('DATA', 354);
    const done = await session.expect(`${dotStuff(envelope.raw)}.`, 250, 'end of DATA');
    await session.send('QUIT').catch(() => {});
    return done.lines.join(' ');
  } catch (error) {
    if (error instanceof MailTransportError) throw error;
    throw new MailTransportError(`SMTP connection to ${config.host}:${config.port} failed: ${error instanceof Error ? error.message : String(error)}`, null, true, { cause: error });
  } finally {
    session.release();
    await socket.close().catch(() => {});
  }
}

function advertises(ehlo: Reply, keyword: string): boolean {
  return ehlo.lines.some((line) => line.toUpperCase().split(/\s+/)[0] === keyword);
}

async function authenticate(session: Session, ehlo: Reply, user: string, password: string): Promise<void> {
  const mechanisms = ehlo.lines.filter((line) => /^AUTH[ =]/i.test(line)).flatMap((line) => line.slice(5).toUpperCase().split(/\s+/));
  if (mechanisms.includes('PLAIN') || mechanisms.length === 0) {
    await session.expect(`AUTH PLAIN ${utf8Base64(`\0${user}\0${password}`)}`, 235, 'AUTH PLAIN');
  } else if (mechanisms.includes('LOGIN')) {
    await session.expect('AUTH LOGIN', 334);
    await session.expect(utf8Base64(user), 334, 'AUTH LOGIN user');
    await session.expect(utf8Base64(password), 235, 'AUTH LOGIN password');
  } else {
    throw new MailTransportError(`the SMTP server offers none of AUTH PLAIN/LOGIN (${mechanisms.join(' ')})`, null, false);
  }
}

function utf8Base64(text: string): string {
  return btoa(String.fromCharCode(...encoder.encode(text)));
}

/** Line-oriented request/reply over one socket. */
class Session {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly timeoutMs: number;

  constructor(socket: Socket, timeoutMs: number) {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
    this.timeoutMs = timeoutMs;
  }

  async send(command: string): Promise<void> {
    await this.writer.write(encoder.encode(`${command}\r\n`));
  }

  /** Sends `command` (none for the greeting) and checks the reply code. */
  async expect(command: string | null, codes: number | number[], label?: string): Promise<Reply> {
    if (command !== null) await this.send(command);
    const reply = await this.readReply();
    const wanted = Array.isArray(codes) ? codes : [codes];
    if (!wanted.includes(reply.code)) {
      // Never echo credentials or message data into errors and logs.
      const shown = label ?? (command === null ? 'greeting' : command.split(/\s|:/)[0]);
      throw new MailTransportError(`SMTP ${shown} answered ${reply.code} ${reply.lines.join(' ')}`, reply.code, reply.code >= 400 && reply.code < 500);
    }
    return reply;
  }

  private async readReply(): Promise<Reply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine();
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match) throw new MailTransportError(`malformed SMTP reply ${JSON.stringify(line.slice(0, 100))}`, null, true);
      lines.push(match[3]!);
      if (match[2] !== '-') return { code: Number(match[1]), lines };
    }
  }

  private async readLine(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return line;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new MailTransportError(`no SMTP reply within ${this.timeoutMs} ms`, null, true)), this.timeoutMs);
      });
      const chunk = await Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new MailTransportError('the SMTP server closed the connection', null, true);
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Lets go of the streams (before STARTTLS hands the socket over, and at the end). */
  release(): void {
    try {
      this.reader.releaseLock();
      this.writer.releaseLock();
    } catch {
      // Already released.
    }
  }
}
