import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mailSinkVars, startMailSink, type MailSink } from '../../src/cli/mail-sink.ts';
import type { WorkerHandle } from '../setup/worker-harness.ts';

/** The scheduled time tests dispatch at: the test build day, 10:00 in Berlin. */
export const DISPATCH_TIME = new Date('2026-11-23T09:00:00Z');

/** A mail sink in its own temp directory; `close()` removes it. */
export async function tempMailSink(): Promise<MailSink & { vars: Record<string, string> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'notices-sink-'));
  const sink = await startMailSink({ dir, httpPort: null });
  return {
    ...sink,
    vars: mailSinkVars(sink.smtpPort),
    close: async () => {
      await sink.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Confirmed subscribers inserted directly (the sign-up flow has its own tests). */
export async function seedSubscribers(w: Pick<WorkerHandle, 'db'>, subscribers: Array<{ id: string; email: string; lang?: 'de' | 'en'; topics?: string[] }>): Promise<void> {
  const statement = w.db.prepare(`INSERT INTO subscribers (id, email, lang, topics, status, created_at, confirmed_at) VALUES (?, ?, ?, ?, 'confirmed', ?, ?)`);
  const at = '2026-11-01T10:00:00.000Z';
  await w.db.batch(subscribers.map((s) => statement.bind(s.id, s.email, s.lang ?? 'de', JSON.stringify(s.topics ?? ['subprocessor-changes']), at, at)));
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  channel: string;
  recipient_id: string;
  recipient_address: string;
  state: string;
  attempts: number;
  last_attempt_at: string | null;
  sent_at: string | null;
  received_on: string | null;
  objection_deadline: string | null;
  message_id: string | null;
  http_status: number | null;
  last_error: string | null;
}

export async function deliveries(w: WorkerHandle): Promise<DeliveryRow[]> {
  const { results } = await w.db.prepare('SELECT * FROM notice_deliveries ORDER BY recipient_id').all<DeliveryRow>();
  return results;
}

/** Polls D1 until `predicate` holds for the deliveries (queue consumers run in the background). */
export async function waitForDeliveries(w: WorkerHandle, predicate: (rows: DeliveryRow[]) => boolean, timeoutMs = 15_000): Promise<DeliveryRow[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = await deliveries(w);
    if (predicate(rows)) return rows;
    if (Date.now() > end) throw new Error(`deliveries never reached the expected state: ${JSON.stringify(rows.map((row) => [row.recipient_id, row.state, row.attempts]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Makes every scheduled retry due now, as if its backoff had passed. */
export async function makeRetriesDue(w: WorkerHandle): Promise<void> {
  await w.db.prepare("UPDATE notice_deliveries SET next_attempt_at = 0 WHERE state = 'retry'").run();
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver for webhooks; `respond` decides each answer's status. */
export async function startReceiver(respond: (index: number) => number = () => 204): Promise<{ url: string; received: ReceivedHook[]; setResponder(next: (index: number) => number): void; close(): Promise<void> }> {
  const received: ReceivedHook[] = [];
  let responder = respond;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = responder(received.length - 1);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/trust-center`,
    received,
    setResponder: (next) => {
      responder = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
