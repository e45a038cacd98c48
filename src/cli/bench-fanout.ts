import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withBenchWorker } from './lib/bench-worker.ts';
import { formatTable } from './lib/table.ts';
import { mailSinkVars, startMailSink } from './mail-sink.ts';

/**
 * The Cron Trigger fires on the test build's day (2026-11-23, 10:00 Berlin), when exactly one
 * change of content/ is newly announced: every subscriber gets one notice.
 */
const DISPATCH_TIME = Date.parse('2026-11-23T09:00:00Z');

export interface FanOutResult {
  subscribers: number;
  dispatchSeconds: number;
  deliveredSeconds: number;
  messages: number;
  distinctRecipients: number;
  evidenceRows: number;
  evidenceSent: number;
}

/**
 * `npm run bench -- --fanout 1000,10000`: for each N, a fresh local D1 with N confirmed
 * subscribers, the built Worker in `wrangler dev` (Queue and Cron simulated by Miniflare), and
 * the local SMTP sink. Fires the Cron Trigger once and measures until the sink holds N
 * messages; then counts the evidence rows through the admin export. Expects `dist/` built.
 */
export async function benchFanOut(counts: number[]): Promise<FanOutResult[]> {
  const results: FanOutResult[] = [];
  for (const count of counts) results.push(await fanOut(count));
  console.log('\nNotice fan-out: Cron Trigger → Queue → SMTP to the local mail sink (wrangler dev, local D1 in memory)\n');
  console.log(
    formatTable(
      ['confirmed subscribers', 'dispatch s', 'all delivered s', 'messages/s', 'messages in sink', 'distinct recipients', 'evidence rows', 'evidence sent'],
      results.map((r) => [r.subscribers, r.dispatchSeconds, r.deliveredSeconds, Math.round(r.messages / r.deliveredSeconds), r.messages, r.distinctRecipients, r.evidenceRows, r.evidenceSent]),
    ),
  );
  console.log('  dispatch s: the scheduled handler (find the event, write N delivery rows, enqueue N messages); all delivered s: from the trigger until the sink holds N messages.');
  return results;
}

async function fanOut(count: number): Promise<FanOutResult> {
  const mailDir = await mkdtemp(path.join(tmpdir(), 'trust-center-bench-mail-'));
  const sink = await startMailSink({ dir: mailDir, httpPort: null });
  try {
    const vars = { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development' };
    return await withBenchWorker({ name: 'fanout', vars, seedSql: seedSql(count) }, async (server, secrets) => {
      const started = performance.now();
      const trigger = await fetch(`${server.url}/cdn-cgi/local/scheduled?time=${DISPATCH_TIME}&format=json`);
      const outcome = await trigger.text();
      if (!trigger.ok) throw new Error(`the scheduled handler failed: HTTP ${trigger.status} ${outcome}`);
      const dispatchSeconds = (performance.now() - started) / 1000;
      for (;;) {
        const received = (await sink.messages()).length;
        if (received >= count) break;
        if (performance.now() - started > 30 * 60_000) throw new Error(`only ${received} of ${count} notices arrived within 30 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const deliveredSeconds = (performance.now() - started) / 1000;
      // Late duplicates would show up here: give the queue a moment to drain before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const messages = await sink.messages();
      const evidence = await fetch(`${server.url}/api/notices/evidence`, { headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}` } });
      if (!evidence.ok) throw new Error(`evidence export failed: HTTP ${evidence.status}`);
      const rows = ((await evidence.json()) as { deliveries: Array<{ state: string }> }).deliveries;
      return {
        subscribers: count,
        dispatchSeconds: round2(dispatchSeconds),
        deliveredSeconds: round2(deliveredSeconds),
        messages: messages.length,
        distinctRecipients: new Set(messages.map((message) => message.envelope.to.join(','))).size,
        evidenceRows: rows.length,
        evidenceSent: rows.filter((row) => row.state === 'sent').length,
      };
    });
  } finally {
    await sink.close();
    await rm(mailDir, { recursive: true, force: true });
  }
}

/** N confirmed subscribers of subprocessor changes, half German, half English. */
function seedSql(count: number): string {
  const lines: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const values = [];
    for (let index = start; index < Math.min(count, start + 500); index++) {
      const id = `bench-${String(index).padStart(6, '0')}`;
      values.push(`('${id}', '${id}@bench.example', '${index % 2 === 0 ? 'de' : 'en'}', '["subprocessor-changes"]', 'confirmed', '2026-11-01T10:00:00.000Z', '2026-11-01T10:05:00.000Z')`);
    }
    lines.push(`INSERT INTO subscribers (id, email, lang, topics, status, created_at, confirmed_at) VALUES\n${values.join(',\n')};`);
  }
  return `${lines.join('\n')}\n`;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
