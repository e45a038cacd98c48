import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { dotStuff } from '../../../functions/mail/dot-stuff.ts';
import { buildMime } from '../../../functions/mail/mime.ts';
import type { EncodedMail } from '../../../functions/mail/encoded-mail.ts';
import type { ClaimedNotice } from '../../../functions/notices/consumer.ts';
import { noticeMail } from '../../../functions/notices/notice-content.ts';
import { noticeMailEncoder } from '../../../functions/notices/notice-mail-encoder.ts';
import { unsubscribeHeadersFor, unsubscribeUrl } from '../../../functions/subscriptions/unsubscribe.ts';
import { berlinDateOf } from '../../domain/calendar-date.ts';
import { ManifestSchema } from '../../domain/manifest.ts';
import { publishedNoticeEvents, recipientObjectionDeadline, type NoticeEvent } from '../../domain/notice-events.ts';
import { startMailSink } from '../mail-sink.ts';
import { STATE_BASE } from './bench-worker.ts';
import { root } from './run.ts';

/** The fan-out's parts timed on their own in this Node process, with the Worker's own code. */
export interface FanOutParts {
  /** Composing and MIME-encoding every mail as the consumer does (once per event and language, then per recipient). */
  composeSeconds: number;
  /** The same mails composed and encoded whole, one by one (what the consumer did before). */
  composeWholeSeconds: number;
  /** The local sink taking the same mails from a pipelining client over as many connections as the consumer opens per batch. */
  sinkSeconds: number;
  /** CPU seconds of this process meanwhile (the sink and the client). */
  sinkCpuSeconds: number;
}

const MAIL_FROM = 'Trust Center <trust-center@localhost.localdomain>';

/**
 * Times the CPU of composing `count` notices (the built manifest's change announced on
 * `dispatchTime`, half German, half English) and the sink's cost of storing them, each apart
 * from the rest of the fan-out: the consumer's own step times cannot tell composing from
 * waiting, since Workers' clocks stand still during CPU work.
 */
export async function timeFanOutParts(count: number, dispatchTime: Date, connections: number): Promise<FanOutParts> {
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(path.join(root, 'dist/client/manifest.json'), 'utf8')));
  const day = berlinDateOf(dispatchTime);
  // The newest announced change: the one the bench's Cron Trigger fans out.
  const event = publishedNoticeEvents(manifest, day)
    .filter((candidate) => candidate.topic === 'subprocessor-changes')
    .reduce<NoticeEvent | undefined>((newest, candidate) => (newest && newest.publishedDate >= candidate.publishedDate ? newest : candidate), undefined);
  if (!event) throw new Error(`the built manifest announces no subprocessor change by ${day}`);
  const { receivedOn, deadline } = recipientObjectionDeadline(manifest, event, dispatchTime);
  const env = { SUBSCRIPTION_SECRET: 'bench-subscription-secret-0123456789abcdef' } as unknown as Env;
  const notices: ClaimedNotice[] = Array.from({ length: count }, (_, index) => {
    const id = `bench-${String(index).padStart(6, '0')}`;
    const lang = index % 2 === 0 ? 'de' : 'en';
    return { event, facts: { lang, receivedOn, objectionDeadline: deadline }, delivery: { id: `nd_${id}`, eventId: event.id, channel: 'email', recipientId: id, recipientAddress: `${id}@bench.example`, lang, attempts: 1 } };
  });

  let started = performance.now();
  const encode = noticeMailEncoder(env, manifest, MAIL_FROM);
  const mails: EncodedMail[] = [];
  for (const notice of notices) mails.push(await encode(notice));
  const composeSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const site = new URL(manifest.siteUrl);
  for (const { event: announced, facts, delivery } of notices) {
    const unsubscribe = await unsubscribeUrl(env, site.origin, delivery.recipientId);
    const mail = noticeMail(manifest, announced, facts);
    buildMime({
      from: MAIL_FROM,
      to: delivery.recipientAddress,
      replyTo: `${manifest.declarationContact.name} <${manifest.declarationContact.email}>`,
      subject: mail.subject,
      text: mail.textHead + mail.unsubscribeLine(unsubscribe),
      headers: { ...unsubscribeHeadersFor(unsubscribe), 'Content-Language': facts.lang },
      messageId: `${delivery.id}@${site.hostname}`,
    });
  }
  const composeWholeSeconds = (performance.now() - started) / 1000;

  const { seconds: sinkSeconds, cpuSeconds: sinkCpuSeconds } = await timeSink(mails, connections);
  return { composeSeconds: round2(composeSeconds), composeWholeSeconds: round2(composeWholeSeconds), sinkSeconds: round2(sinkSeconds), sinkCpuSeconds: round2(sinkCpuSeconds) };
}

/** Submits `mails` to a fresh local sink over `connections` pipelining connections (RFC 2920, one round trip per mail). */
async function timeSink(mails: EncodedMail[], connections: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const dir = await mkdtemp(path.join(STATE_BASE, 'trust-center-bench-sink-'));
  const sink = await startMailSink({ dir, httpPort: null });
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: connections }, () => submitAll(sink.smtpPort, () => mails[next++])));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (sink.rawMessages().length !== mails.length) throw new Error(`the sink holds ${sink.rawMessages().length} of ${mails.length} mails`);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One SMTP connection that pipelines `take()`'s mails: each mail's content goes out with the next envelope. */
async function submitAll(port: number, take: () => EncodedMail | undefined): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const reply = replies(socket);
  const envelope = (mail: EncodedMail) => `MAIL FROM:<${mail.envelope.from}>\r\nRCPT TO:<${mail.envelope.to}>\r\nDATA\r\n`;
  const expect = async (code: string) => {
    const line = await reply();
    if (!line.startsWith(code)) throw new Error(`sink answered ${line}, expected ${code}`);
  };
  await expect('220');
  socket.write('EHLO bench.localhost\r\n');
  await expect('250');
  let current = take();
  if (current) socket.write(envelope(current));
  while (current) {
    await expect('250');
    await expect('250');
    await expect('354');
    const following = take();
    socket.write(`${dotStuff(current.envelope.raw)}.\r\n${following ? envelope(following) : ''}`);
    await expect('250');
    current = following;
  }
  socket.write('QUIT\r\n');
  await expect('221');
  socket.end();
}

/** Final reply lines (`250 …`, not `250-…`) in order, as promises. */
function replies(socket: Socket): () => Promise<string> {
  let buffer = '';
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let failed: Error | null = null;
  const fail = (error: Error) => {
    failed = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the sink closed the connection')));
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line[3] === '-') continue;
      const waiter = waiting.shift();
      if (waiter) waiter.resolve(line);
      else lines.push(line);
    }
  });
  return () => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (failed) return Promise.reject(failed);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
