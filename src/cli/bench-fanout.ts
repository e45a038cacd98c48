import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { STATE_BASE, withBenchWorker } from './lib/bench-worker.ts';
import { timeFanOutParts, type FanOutParts } from './lib/fanout-parts.ts';
import { processGroupCpuSeconds } from './lib/process-cpu.ts';
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
  /** Where the consumer's time went, from its `notice batch` log lines (seconds summed over the batches). */
  consumer: { batches: number } & Record<BatchStep, number>;
  /** Composing and the sink, timed apart in this process (lib/fanout-parts.ts). */
  parts: FanOutParts;
  /** The local mail sink's own share: time storing messages, and how busy this process (which runs it) was. */
  sink: { busySeconds: number; eventLoopUtilization: number; cpuSeconds: number };
  /** CPU seconds of wrangler + workerd (the Worker, D1, the queue) from the trigger until all were delivered; null without /proc. */
  workerCpuSeconds: number | null;
}

/** The consumer's steps per queue batch (functions/notices/consumer.ts `phaseClock`). */
const BATCH_STEPS = ['claim', 'check', 'compose', 'connect', 'smtp', 'record'] as const;
type BatchStep = (typeof BATCH_STEPS)[number];

/** The consumer's log line per queue batch. */
interface BatchLog {
  message: 'notice batch';
  messages: number;
  ms: Partial<Record<BatchStep, number>>;
}

/**
 * `npm run bench -- --fanout 1000,10000 [--fanout-connections 6]`: for each N, a fresh local D1 with N confirmed
 * subscribers, the built Worker in `wrangler dev` (Queue and Cron simulated by Miniflare), and
 * the local SMTP sink. Fires the Cron Trigger once and measures until the sink holds N
 * messages; then counts the evidence rows through the admin export. Expects `dist/` built.
 */
export async function benchFanOut(counts: number[], connections: number): Promise<FanOutResult[]> {
  const results: FanOutResult[] = [];
  for (const count of counts) results.push(await fanOut(count, connections));
  console.log('\nNotice fan-out: Cron Trigger → Queue → SMTP to the local mail sink (wrangler dev, local D1 in memory)\n');
  console.log(
    formatTable(
      ['confirmed subscribers', 'dispatch s', 'all delivered s', 'messages/s', 'messages in sink', 'distinct recipients', 'evidence rows', 'evidence sent'],
      results.map((r) => [r.subscribers, r.dispatchSeconds, r.deliveredSeconds, Math.round(r.messages / r.deliveredSeconds), r.messages, r.distinctRecipients, r.evidenceRows, r.evidenceSent]),
    ),
  );
  console.log('  dispatch s: the scheduled handler (find the event, write N delivery rows, enqueue N messages); all delivered s: from the trigger until the sink holds N messages.');
  console.log(`\nWhere the fan-out time goes (consumer steps summed over its batches, which Miniflare runs one after another; ${connections} SMTP connections per batch)\n`);
  console.log(
    formatTable(
      ['confirmed subscribers', 'all delivered s', 'dispatch s', 'queue batches', ...BATCH_STEPS.map((step) => `${step} s`), 'workerd CPU s', 'sink storing s', 'sink process CPU s', 'sink process busy'],
      results.map((r) => [r.subscribers, r.deliveredSeconds, r.dispatchSeconds, r.consumer.batches, ...BATCH_STEPS.map((step) => r.consumer[step]), r.workerCpuSeconds ?? '', r.sink.busySeconds, r.sink.cpuSeconds, `${Math.round(r.sink.eventLoopUtilization * 100)} %`]),
    ),
  );
  console.log(
    '  claim / check / record: one D1 statement (or batch) each per queue batch; compose: the mails of the batch; connect: what is left of the SMTP handshakes (opened before composing);' +
      ' smtp: sending them pipelined over the batch\'s connections. Workers clocks stand still during CPU work, so composing mostly counts into "connect"; the next table times it on its own.' +
      ' workerd CPU close to "all delivered" means the run is CPU-bound in the Worker. The sink runs in this bench process: "busy" near 100 % would mean it limits the run.',
  );
  console.log(`\nThe same mails timed apart in this process (Node, the Worker's code): composing, and the sink alone over ${connections} pipelining connections\n`);
  console.log(
    formatTable(
      ['mails', 'compose once per language s', 'compose each mail whole s', 'sink alone s', 'sink alone msg/s', 'sink + client CPU s'],
      results.map((r) => [r.subscribers, r.parts.composeSeconds, r.parts.composeWholeSeconds, r.parts.sinkSeconds, Math.round(r.subscribers / r.parts.sinkSeconds), r.parts.sinkCpuSeconds]),
    ),
  );
  return results;
}

async function fanOut(count: number, connections: number): Promise<FanOutResult> {
  // In memory like the bench's D1: the sink's fsyncs would otherwise be what is measured.
  const mailDir = await mkdtemp(path.join(STATE_BASE, 'trust-center-bench-mail-'));
  const sink = await startMailSink({ dir: mailDir, httpPort: null });
  try {
    const vars = { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development', NOTICE_SMTP_CONNECTIONS: String(connections) };
    const measured = await withBenchWorker({ name: 'fanout', vars, seedSql: seedSql(count) }, async (server, secrets): Promise<Omit<FanOutResult, 'parts'>> => {
      const batches: BatchLog[] = [];
      let pending = '';
      server.child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const start = line.indexOf('{"message":"notice batch"');
          if (start >= 0) batches.push(JSON.parse(line.slice(start)) as BatchLog);
        }
      });
      const loopBefore = performance.eventLoopUtilization();
      const cpuBefore = process.cpuUsage();
      const workerCpuBefore = await processGroupCpuSeconds(server.child.pid ?? 0);
      const started = performance.now();
      const trigger = await fetch(`${server.url}/cdn-cgi/local/scheduled?time=${DISPATCH_TIME}&format=json`);
      const outcome = await trigger.text();
      if (!trigger.ok) throw new Error(`the scheduled handler failed: HTTP ${trigger.status} ${outcome}`);
      const dispatchSeconds = (performance.now() - started) / 1000;
      for (;;) {
        const received = sink.rawMessages().length;
        if (received >= count) break;
        if (performance.now() - started > 30 * 60_000) throw new Error(`only ${received} of ${count} notices arrived within 30 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const deliveredSeconds = (performance.now() - started) / 1000;
      const loop = performance.eventLoopUtilization(loopBefore);
      const cpu = process.cpuUsage(cpuBefore);
      const workerCpuAfter = await processGroupCpuSeconds(server.child.pid ?? 0);
      // Late duplicates would show up here: give the queue a moment to drain before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const messages = sink.rawMessages();
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
        consumer: { batches: batches.length, ...(Object.fromEntries(BATCH_STEPS.map((step) => [step, round2(sum(batches, step) / 1000)])) as Record<BatchStep, number>) },
        sink: { busySeconds: round2(sink.busyMs() / 1000), eventLoopUtilization: loop.utilization, cpuSeconds: round2((cpu.user + cpu.system) / 1e6) },
        workerCpuSeconds: workerCpuBefore === null || workerCpuAfter === null ? null : round2(workerCpuAfter - workerCpuBefore),
      };
    });
    // Timed after the Worker stopped, so neither competes with the other for the CPU.
    return { ...measured, parts: await timeFanOutParts(count, new Date(DISPATCH_TIME), connections) };
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
const sum = (batches: BatchLog[], step: keyof BatchLog['ms']) => batches.reduce((total, batch) => total + (batch.ms[step] ?? 0), 0);
