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

/** An open, greeted (and authenticated) SMTP connection that submits messages one after another. */
export interface SmtpSession {
  /**
   * Submits one message: MAIL FROM, RCPT TO, DATA. Resolves with the server's final reply text
   * (often a queue id). A refused message (4xx/5xx reply) raises MailTransportError with that
   * code and leaves the session usable for the next message (RSET); a broken connection or
   * timeout raises a retryable one, and so does every later call on the same session.
   */
  send(envelope: SmtpEnvelope): Promise<string>;
  /**
   * Submits `take()`'s envelopes until it returns undefined, calling `done` once for each with
   * the final reply or the error; a refusal does not stop the rest. With PIPELINING a message
   * costs one round trip instead of two. Returns early (after reporting every envelope it took)
   * when the connection breaks, leaving the rest to another connection.
   */
  sendEach(take: () => SmtpEnvelope | undefined, done: (envelope: SmtpEnvelope, outcome: { reply: string } | { error: MailTransportError }) => void): Promise<void>;
  /** QUIT and close; never throws. */
  close(): Promise<void>;
}

/**
 * Submits one message over SMTP (RFC 5321) with the Workers TCP sockets API: EHLO, optional
 * STARTTLS, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA. Any reply outside the expected code
 * raises MailTransportError with that code (4xx retryable, 5xx permanent); a broken connection
 * or timeout is retryable. Returns the server's final reply text (often a queue id).
 */
export async function smtpSend(config: SmtpConfig, envelope: SmtpEnvelope): Promise<string> {
  const session = await openSmtpSession(config);
  try {
    return await session.send(envelope);
  } finally {
    await session.close();
  }
}

/**
 * Connects, greets and authenticates once, for many messages (the notice fan-out sends a
 * queue batch per connection: the handshake is most of the cost of a single small message).
 */
export async function openSmtpSession(config: SmtpConfig): Promise<SmtpSession> {
  let socket = connect({ hostname: config.host, port: config.port }, { secureTransport: config.security === 'tls' ? 'on' : config.security === 'starttls' ? 'starttls' : 'off', allowHalfOpen: false });
  let session = new Session(socket, config.timeoutMs);
  let pipelining = false;
  const closeSocket = async () => {
    session.release();
    await socket.close().catch(() => {});
  };
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
    pipelining = advertises(ehlo, 'PIPELINING');
  } catch (error) {
    await closeSocket();
    throw asTransportError(error, config);
  }

  let broken: MailTransportError | null = null;
  const sendOne = async (envelope: SmtpEnvelope): Promise<string> => {
    if (broken) throw new MailTransportError(`not sent: the SMTP connection failed earlier (${broken.message})`, null, true);
    try {
      const commands = envelopeCommands(envelope);
      if (pipelining) {
        // One round trip for the envelope instead of three.
        const [mail, rcpt, data] = await session.pipeline(commands);
        const accepted = mail!.code === 250 && (rcpt!.code === 250 || rcpt!.code === 251);
        // DATA accepted after a refused envelope (RFC 2920 says it must not be): drop the
        // connection, which aborts the transaction, rather than send anything.
        if (!accepted && data!.code === 354) throw new MailTransportError('the SMTP server accepted DATA after refusing the envelope', null, true);
        checkReply(mail!, 250, 'MAIL');
        checkReply(rcpt!, [250, 251], 'RCPT');
        checkReply(data!, 354, 'DATA');
      } else {
        await session.expect(commands[0]!, 250);
        await session.expect(commands[1]!, [250, 251]);
        await session.expect('DATA', 354);
      }
      const done = await session.expect(`${dotStuff(envelope.raw)}.`, 250, 'end of DATA');
      return done.lines.join(' ');
    } catch (error) {
      const failure = asTransportError(error, config);
      if (failure.code === null) broken = failure;
      // A refused message ends its transaction; RSET makes sure the next one starts clean.
      else await session.expect('RSET', 250).catch((reset: unknown) => (broken = asTransportError(reset, config)));
      throw failure;
    }
  };
  return {
    send: sendOne,
    async sendEach(take, done) {
      if (!pipelining) {
        for (let envelope = take(); envelope; envelope = take()) {
          try {
            done(envelope, { reply: await sendOne(envelope) });
          } catch (error) {
            done(envelope, { error: asTransportError(error, config) });
            if (broken) return;
          }
        }
        return;
      }
      // RFC 2920: each message's content goes out together with the next message's envelope,
      // so a message costs one round trip. Content is only ever sent after its own 354.
      let current = take();
      if (!current) return;
      let taken: SmtpEnvelope[] = [current];
      try {
        await session.write(envelopeCommands(current));
        let resetPending = false;
        for (;;) {
          if (resetPending) checkReply(await session.readReply(), 250, 'RSET');
          resetPending = false;
          const [mail, rcpt, data] = [await session.readReply(), await session.readReply(), await session.readReply()];
          const accepted = mail.code === 250 && (rcpt.code === 250 || rcpt.code === 251);
          if (!accepted && data.code === 354) throw new MailTransportError('the SMTP server accepted DATA after refusing the envelope', null, true);
          let following: SmtpEnvelope | undefined;
          try {
            checkReply(mail, 250, 'MAIL');
            checkReply(rcpt, [250, 251], 'RCPT');
            checkReply(data, 354, 'DATA');
          } catch (refused) {
            done(current, { error: asTransportError(refused, config) });
            taken = [];
            following = take();
            if (!following) return;
            taken = [following];
            // The refused transaction may hold a sender: RSET first, in the same write.
            await session.write(['RSET', ...envelopeCommands(following)]);
            resetPending = true;
            current = following;
            continue;
          }
          following = take();
          if (following) taken.push(following);
          await session.write([`${dotStuff(current.raw)}.`, ...(following ? envelopeCommands(following) : [])]);
          const end = await session.readReply();
          taken.shift();
          try {
            done(current, { reply: checkReply(end, 250, 'end of DATA').lines.join(' ') });
          } catch (refused) {
            done(current, { error: asTransportError(refused, config) });
          }
          if (!following) return;
          current = following;
        }
      } catch (error) {
        // The connection is gone or out of step: every mail it holds is reported, none lost.
        broken = asTransportError(error, config);
        for (const envelope of taken) done(envelope, { error: broken });
      }
    },
    async close() {
      // Waiting for the 221 lets the server close first, instead of seeing a reset connection.
      if (!broken) await session.expect('QUIT', 221).catch(() => {});
      await closeSocket();
    },
  };
}

function envelopeCommands(envelope: SmtpEnvelope): string[] {
  return [`MAIL FROM:<${envelope.from}>`, `RCPT TO:<${envelope.to}>`, 'DATA'];
}

function asTransportError(error: unknown, config: SmtpConfig): MailTransportError {
  if (error instanceof MailTransportError) return error;
  return new MailTransportError(`SMTP connection to ${config.host}:${config.port} failed: ${error instanceof Error ? error.message : String(error)}`, null, true, { cause: error });
}

/** The reply if its code is one of `codes`, else MailTransportError with that code (4xx retryable). */
function checkReply(reply: Reply, codes: number | number[], shown: string): Reply {
  const wanted = Array.isArray(codes) ? codes : [codes];
  if (wanted.includes(reply.code)) return reply;
  throw new MailTransportError(`SMTP ${shown} answered ${reply.code} ${reply.lines.join(' ')}`, reply.code, reply.code >= 400 && reply.code < 500);
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
    // Never echo credentials or message data into errors and logs: a label or the verb only.
    return checkReply(await this.readReply(), codes, label ?? (command === null ? 'greeting' : command.split(/\s|:/)[0]!));
  }

  /** RFC 2920 PIPELINING: all commands in one write, then one reply each, in order (unchecked). */
  async pipeline(commands: string[]): Promise<Reply[]> {
    await this.write(commands);
    const replies: Reply[] = [];
    for (const _ of commands) replies.push(await this.readReply());
    return replies;
  }

  /** Several commands (or a message's content) in one write; the replies are read separately. */
  async write(commands: string[]): Promise<void> {
    await this.writer.write(encoder.encode(commands.map((command) => `${command}\r\n`).join('')));
  }

  async readReply(): Promise<Reply> {
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
