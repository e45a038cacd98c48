import { afterEach, describe, expect, it } from 'vitest';
import { berlinDateOf } from '../src/domain/calendar-date.ts';
import { objectionDeadline } from '../src/domain/deadlines.ts';
import { ManifestSchema, type Manifest } from '../src/domain/manifest.ts';
import { formatDate } from '../src/i18n/ui.ts';
import { startWorker, type WorkerHandle, type WorkerOptions } from './setup/worker-harness.ts';
import { claimDeliveries, insertDeliveries, recordOutcomes } from '../functions/notices/deliveries.ts';
import { recordStarted } from '../functions/notices/dispatches.ts';
import { DISPATCH_TIME, deliveries, makeRetriesDue, seedSubscribers, tempMailSink, waitForDeliveries } from './support/notices.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function setup(options: WorkerOptions = {}) {
  const sink = await tempMailSink();
  cleanup.push(() => sink.close());
  const w = await startWorker({ ...options, vars: { ...sink.vars, ...options.vars } });
  cleanup.push(() => w.dispose());
  return { sink, w };
}

async function manifestOf(w: WorkerHandle): Promise<Manifest> {
  return ManifestSchema.parse(await (await w.fetch('/manifest.json')).json());
}

/** A header's unfolded value as it was sent. */
function header(lines: ReadonlyArray<{ key: string; line: string }>, name: string): string {
  const line = lines.find((candidate) => candidate.key === name)?.line ?? '';
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** The change announced within NOTICE_MAX_AGE_DAYS of the test day (content/changes). */
const CHANGE_ID = '2026-11-ki-funktionen-sprachraum';

describe('dispatch (Cron Trigger → Queue → mail sink)', () => {
  it('sends each confirmed subscriber of the topic one notice, however often the dispatcher runs', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [
      { id: 'sub-a', email: 'anna@example.com', lang: 'de' },
      { id: 'sub-b', email: 'bob@example.com', lang: 'en' },
      { id: 'sub-c', email: 'carla@example.com', topics: ['avv-versions'] },
    ]);
    await w.db.prepare("INSERT INTO subscribers (id, email, lang, topics, status, created_at) VALUES ('sub-p', 'pending@example.com', 'de', '[\"subprocessor-changes\"]', 'pending', '2026-11-22T10:00:00.000Z')").run();

    await w.scheduled(DISPATCH_TIME);
    await w.scheduled(DISPATCH_TIME);
    const rows = await waitForDeliveries(w, (all) => all.length === 2 && all.every((row) => row.state === 'sent'));
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));

    const messages = await sink.messages();
    expect(messages.map((message) => message.envelope.to[0]).sort()).toEqual(['anna@example.com', 'bob@example.com']);
    expect(rows.map((row) => [row.recipient_id, row.channel, row.attempts])).toEqual([
      ['sub-a', 'email', 1],
      ['sub-b', 'email', 1],
    ]);
    expect((await deliveries(w)).length).toBe(2);
    const { results: dispatches } = await w.db.prepare('SELECT event_id, outcome, recipients FROM notice_dispatches ORDER BY event_id').all<{ event_id: string; outcome: string; recipients: number }>();
    const sent = dispatches.filter((row) => row.outcome === 'sent');
    expect(sent).toEqual([{ event_id: `tag:trust.wolkenwerk.example,2026-11-20:change/${CHANGE_ID}`, outcome: 'sent', recipients: 2 }]);
    // The history older than NOTICE_MAX_AGE_DAYS is recorded once and never sent.
    expect(dispatches.filter((row) => row.outcome === 'skipped').length).toBeGreaterThan(3);
  });

  it('counts the objection deadline from each recipient’s receipt day under the governing AVV', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [
      { id: 'sub-de', email: 'de@example.com', lang: 'de' },
      { id: 'sub-en', email: 'en@example.com', lang: 'en' },
    ]);
    await w.scheduled(DISPATCH_TIME);
    const rows = await waitForDeliveries(w, (all) => all.length === 2 && all.every((row) => row.state === 'sent'));
    const manifest = await manifestOf(w);
    const change = manifest.changes.find((candidate) => candidate.id === CHANGE_ID)!;
    const response = change.terms.response;
    if (response?.stated !== 'fixed') throw new Error('the example change has a fixed objection period');

    for (const row of rows) {
      // Receipt = the Berlin day of the attempt that delivered it (the mail says the same date).
      expect(row.received_on).toBe(berlinDateOf(row.last_attempt_at!));
      // Recomputed here with the deadline engine from the period the manifest states.
      expect(row.objection_deadline).toBe(objectionDeadline(row.received_on!, { amount: response.amount, unit: response.unit }, { holidayRegion: response.holidayRegion.region, shiftToNextWorkingDay: response.bgb193.applies }));
      expect(row.message_id).toBe(`${row.id}@trust.wolkenwerk.example`);
    }
    // Received after the announcement day, so later than the page's announcement-day deadline.
    expect(rows[0]!.objection_deadline! > response.deadlineForAnnouncementDay).toBe(true);

    const german = await sink.waitFor((message) => message.envelope.to[0] === 'de@example.com');
    const english = await sink.waitFor((message) => message.envelope.to[0] === 'en@example.com');
    const deadline = rows[0]!.objection_deadline!;
    expect(german.parsed.subject).toContain('Änderung bei Unterauftragsverarbeitern');
    expect(german.parsed.text).toContain(`Widerspruch möglich bis: ${formatDate(deadline, 'de')} (gerechnet ab Zugang dieser Mitteilung am ${formatDate(rows[0]!.received_on!, 'de')})`);
    expect(german.parsed.text).toContain('Form: Textform (§ 126b BGB), z. B. E-Mail');
    expect(german.parsed.text).toContain(`https://trust.wolkenwerk.example/changes/${CHANGE_ID}/#how-to-object`);
    expect(english.parsed.subject).toContain('Subprocessor change');
    expect(english.parsed.text).toContain(`Objection possible until: ${formatDate(deadline, 'en')} (counted from receipt of this notice on ${formatDate(rows[0]!.received_on!, 'en')})`);
    expect(english.parsed.text).toContain(`https://trust.wolkenwerk.example/en/changes/${CHANGE_ID}/#how-to-object`);
    for (const message of [german, english]) {
      // A reply objects to the right address.
      expect(header(message.parsed.headerLines, 'reply-to')).toBe(`${manifest.declarationContact.name} <${manifest.declarationContact.email}>`);
      const unsubscribe = header(message.parsed.headerLines, 'list-unsubscribe');
      expect(unsubscribe).toMatch(/^<https:\/\/trust\.wolkenwerk\.example\/api\/subscriptions\/unsubscribe\?s=sub-(de|en)&t=[^>]+>$/);
      expect(header(message.parsed.headerLines, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(message.parsed.text).toContain(unsubscribe.slice(1, -1));
      expect(message.parsed.messageId).toBe(`<${rows.find((row) => row.recipient_address === message.envelope.to[0])!.id}@trust.wolkenwerk.example>`);
    }
  });

  it('retries a temporary transport failure from the D1 schedule and delivers exactly once', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [{ id: 'sub-r', email: 'retry@example.com' }]);
    sink.failNext(1, 'temporary');
    await w.scheduled(DISPATCH_TIME);
    const [failed] = await waitForDeliveries(w, (all) => all[0]?.state === 'retry');
    expect(failed).toMatchObject({ attempts: 1, sent_at: null });
    expect(failed!.last_error).toMatch(/^451/);
    expect(sink.refused()).toBe(1);
    expect(await sink.messages()).toEqual([]);

    // Not due yet: a dispatcher run changes nothing.
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 60_000));
    expect((await deliveries(w))[0]!.state).toBe('retry');

    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    const [sent] = await waitForDeliveries(w, (all) => all[0]?.state === 'sent');
    expect(sent).toMatchObject({ attempts: 2, last_error: null });
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 30 * 60_000));
    expect((await sink.messages()).length).toBe(1);
    expect(sink.refused()).toBe(1);
  });

  it('records a permanent rejection as failed and does not retry it', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [{ id: 'sub-x', email: 'rejected@example.com' }]);
    sink.setFailure('permanent');
    await w.scheduled(DISPATCH_TIME);
    const [row] = await waitForDeliveries(w, (all) => all[0]?.state === 'failed');
    expect(row).toMatchObject({ attempts: 1, sent_at: null });
    expect(row!.last_error).toMatch(/^550/);
    sink.setFailure('none');
    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    expect((await deliveries(w))[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(await sink.messages()).toEqual([]);
  });

  it('sends a queue batch over shared SMTP connections; a refused message does not stop the others and is retried once', async () => {
    const { sink, w } = await setup();
    const subscribers = Array.from({ length: 45 }, (_, index) => ({ id: `sub-${String(index).padStart(2, '0')}`, email: `reader${index}@example.com` }));
    await seedSubscribers(w, subscribers);
    sink.failNext(2, 'temporary');
    await w.scheduled(DISPATCH_TIME);
    const first = await waitForDeliveries(w, (all) => all.length === 45 && all.every((row) => row.state === 'sent' || row.state === 'retry'));
    expect(first.filter((row) => row.state === 'retry').map((row) => row.last_error?.slice(0, 3))).toEqual(['451', '451']);
    expect((await sink.messages()).length).toBe(43);
    // Fewer connections than messages: the sessions carried several mails each, past the refusals.
    expect(sink.connections()).toBeLessThan(45);

    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    const rows = await waitForDeliveries(w, (all) => all.every((row) => row.state === 'sent'));
    expect(rows.map((row) => row.attempts).sort()).toEqual([...Array<number>(43).fill(1), 2, 2]);
    const recipients = (await sink.messages()).map((message) => message.envelope.to[0]).sort();
    expect(recipients).toEqual(subscribers.map((subscriber) => subscriber.email).sort());
  });

  it('a mailbox refused at RCPT fails for good without holding up the mails after it on the same connection', async () => {
    const { sink, w } = await setup();
    const subscribers = Array.from({ length: 14 }, (_, index) => ({ id: `sub-${String(index).padStart(2, '0')}`, email: `reader${index}@example.com` }));
    await seedSubscribers(w, subscribers);
    sink.refuseRecipients(['reader1@example.com', 'reader8@example.com']);
    await w.scheduled(DISPATCH_TIME);
    const rows = await waitForDeliveries(w, (all) => all.length === 14 && all.every((row) => row.state === 'sent' || row.state === 'failed'));
    expect(rows.filter((row) => row.state === 'failed').map((row) => [row.recipient_address, row.last_error?.slice(0, 3)])).toEqual([
      ['reader1@example.com', '550'],
      ['reader8@example.com', '550'],
    ]);
    const recipients = (await sink.messages()).map((message) => message.envelope.to[0]).sort();
    expect(recipients).toEqual(subscribers.map((subscriber) => subscriber.email).filter((email) => !['reader1@example.com', 'reader8@example.com'].includes(email)).sort());
    expect(sink.connections()).toBeLessThan(14);
  });

  it('does not send to a subscriber who unsubscribed between fan-out and sending', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [{ id: 'sub-u', email: 'gone@example.com' }]);
    // The first attempt fails, the subscriber leaves, then the retry comes due.
    sink.failNext(1, 'temporary');
    await w.scheduled(DISPATCH_TIME);
    await waitForDeliveries(w, (all) => all[0]?.state === 'retry');
    await w.db.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE id = 'sub-u'").run();
    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    const [row] = await waitForDeliveries(w, (all) => all[0]?.state === 'failed');
    expect(row!.last_error).toMatch(/unsubscribed/);
    expect(await sink.messages()).toEqual([]);
  });
});

describe('queue failures', () => {
  it('a message that keeps failing goes to the dead-letter queue, whose consumer reschedules it: the notice still arrives once', async () => {
    const { sink, w } = await setup();
    await seedSubscribers(w, [{ id: 'sub-d', email: 'dlq@example.com' }]);
    // D1 refuses every claim, as if it were down for the consumer: the handler throws, the
    // queue retries the message max_retries times and then dead-letters it.
    await w.db.prepare("CREATE TRIGGER inject_claim_failure BEFORE UPDATE ON notice_deliveries WHEN NEW.state = 'sending' BEGIN SELECT RAISE(ABORT, 'injected failure'); END").run();
    await w.scheduled(DISPATCH_TIME);
    const [rescheduled] = await waitForDeliveries(w, (all) => all[0]?.state === 'retry');
    expect(rescheduled).toMatchObject({ attempts: 0, last_error: 'dead-lettered by the queue' });
    expect(await sink.messages()).toEqual([]);

    await w.db.prepare('DROP TRIGGER inject_claim_failure').run();
    // Due "now" by the Worker's clock; the test's cron time is fixed, so make it due outright.
    await makeRetriesDue(w);
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 15 * 60_000));
    await waitForDeliveries(w, (all) => all[0]?.state === 'sent');
    await w.scheduled(new Date(DISPATCH_TIME.getTime() + 30 * 60_000));
    expect((await sink.messages()).map((message) => message.envelope.to[0])).toEqual(['dlq@example.com']);
  });
});

describe('delivery rows (one statement per step of a batch)', () => {
  it('inserts each recipient once, claims each row once even when a batch names it twice, and records each outcome on its own row only', async () => {
    const { w } = await setup();
    const event = 'tag:test,2026-11-20:change/store';
    const now = new Date('2026-11-23T09:00:00Z');
    await recordStarted(w.db, event, 'subprocessor-changes', now);
    const recipients = ['r1', 'r2', 'r3', 'r4'].map((id) => ({ channel: 'email' as const, recipientId: id, recipientAddress: `${id}@example.com`, lang: 'de' as const }));
    const ids = await insertDeliveries(w.db, event, recipients, now);
    expect(await insertDeliveries(w.db, event, recipients.slice(0, 2), now)).toEqual(ids.slice(0, 2));
    expect((await deliveries(w)).map((row) => [row.recipient_id, row.state, row.recipient_address])).toEqual(recipients.map((r) => [r.recipientId, 'queued', r.recipientAddress]));

    // r4 is not due yet: it stays unclaimed.
    await w.db.prepare('UPDATE notice_deliveries SET next_attempt_at = ? WHERE id = ?').bind(now.getTime() + 60_000, ids[3]!).run();
    const claims = await claimDeliveries(w.db, [ids[0]!, ids[1]!, ids[0]!, ids[2]!, ids[3]!, 'nd_unknown'], now);
    expect(claims.map((claim) => claim?.recipientId ?? null)).toEqual(['r1', 'r2', null, 'r3', null, null]);
    expect(claims[0]).toMatchObject({ id: ids[0], eventId: event, channel: 'email', recipientAddress: 'r1@example.com', lang: 'de', attempts: 1 });
    // Claimed rows are not claimed again while their lease runs.
    expect(await claimDeliveries(w.db, [ids[0]!], now)).toEqual([null]);

    // r3's claim was taken over and finished elsewhere: this consumer's outcome must not touch it.
    await w.db.prepare("UPDATE notice_deliveries SET state = 'sent', sent_at = 'elsewhere' WHERE id = ?").bind(ids[2]!).run();
    const at = new Date('2026-11-23T09:00:05Z');
    await recordOutcomes(w.db, [
      { id: ids[0]!, outcome: { kind: 'sent', at, receivedOn: '2026-11-23', objectionDeadline: '2026-12-23', messageId: `${ids[0]}@example` } },
      { id: ids[1]!, outcome: { kind: 'retry', nextAttemptAt: new Date('2026-11-23T09:05:00Z'), error: '451 try later', httpStatus: 503 } },
      { id: ids[2]!, outcome: { kind: 'failed', error: '550 no such mailbox' } },
    ]);
    const rows = new Map((await deliveries(w)).map((row) => [row.recipient_id, row]));
    expect(rows.get('r1')).toMatchObject({ state: 'sent', sent_at: at.toISOString(), received_on: '2026-11-23', objection_deadline: '2026-12-23', message_id: `${ids[0]}@example`, http_status: null, last_error: null });
    expect(rows.get('r2')).toMatchObject({ state: 'retry', last_error: '451 try later', http_status: 503, sent_at: null });
    const { results: retry } = await w.db.prepare('SELECT next_attempt_at, lease_until FROM notice_deliveries WHERE id = ?').bind(ids[1]!).all<{ next_attempt_at: number; lease_until: number | null }>();
    expect(retry[0]).toEqual({ next_attempt_at: Date.parse('2026-11-23T09:05:00Z'), lease_until: null });
    expect(rows.get('r3')).toMatchObject({ state: 'sent', sent_at: 'elsewhere', last_error: null });
    expect(rows.get('r4')).toMatchObject({ state: 'queued', attempts: 0 });
  });
});

describe('GET /api/notices/evidence (admin)', () => {
  it('lists who was informed of which event, when, as JSON and CSV', async () => {
    const { w } = await setup();
    await seedSubscribers(w, [
      { id: 'sub-1', email: 'one@example.com' },
      { id: 'sub-2', email: '=cmd@example.com' },
    ]);
    await w.scheduled(DISPATCH_TIME);
    await waitForDeliveries(w, (all) => all.length === 2 && all.every((row) => row.state === 'sent'));
    const event = `tag:trust.wolkenwerk.example,2026-11-20:change/${CHANGE_ID}`;
    const auth = { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` };

    const none = await w.fetch(`/api/notices/evidence?event=${encodeURIComponent(event)}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await none.arrayBuffer();

    const json = await w.fetch(`/api/notices/evidence?event=${encodeURIComponent(event)}`, { headers: auth });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { count: number; deliveries: Array<Record<string, unknown>> };
    expect(body.count).toBe(2);
    expect(body.deliveries[0]).toMatchObject({ eventId: event, channel: 'email', recipientId: 'sub-1', recipient: 'one@example.com', state: 'sent', attempts: 1 });
    expect(body.deliveries[0]!.objectionDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.deliveries[0]!.messageId).toMatch(/^nd_[0-9a-f]{32}@/);

    const csv = await w.fetch(`/api/notices/evidence?event=${encodeURIComponent(event)}&format=csv`, { headers: auth });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('eventId,channel,recipientId,recipient,lang,state,attempts,queuedAt,sentAt,receivedOn,objectionDeadline,messageId,httpStatus,lastError');
    expect(lines.length).toBe(3);
    // A recipient that looks like a formula is neutralised for spreadsheets.
    expect(lines.find((line) => line.includes('sub-2'))).toContain(",'=cmd@example.com,");

    const bad = await w.fetch('/api/notices/evidence?format=xml', { headers: auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ invalidParams: [{ name: 'format' }] });
  });
});
