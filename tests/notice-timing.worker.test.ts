import { afterEach, describe, expect, it } from 'vitest';
import { berlinDateOf } from '../src/domain/calendar-date.ts';
import { ManifestSchema, type Manifest } from '../src/domain/manifest.ts';
import { CURRENT_SUBSCRIPTION_WORDING } from '../src/domain/subscription-wording.ts';
import { formatDate } from '../src/i18n/ui.ts';
import { startWorker, type WorkerHandle } from './setup/worker-harness.ts';
import { DISPATCH_TIME, deliveries, tempMailSink, waitForDeliveries } from './support/notices.ts';

/**
 * One deadline truth on the Worker side: a late notice is caught before the change takes
 * effect, and a subscriber confirming while a change is pending gets its notice, with one date
 * in their mail and in the evidence export.
 */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function setup() {
  const sink = await tempMailSink();
  cleanup.push(() => sink.close());
  const w = await startWorker({ vars: { ...sink.vars, SUBSCRIPTION_RATE_LIMIT_PER_IP: '1000' } });
  cleanup.push(() => w.dispose());
  const manifest = ManifestSchema.parse(await (await w.fetch('/manifest.json')).json());
  return { sink, w, manifest };
}

/** content/changes: announced 2026-11-20, effective 2027-01-11, 30 calendar days' notice. */
const CHANGE_ID = '2026-11-ki-funktionen-sprachraum';
const EVENT_ID = `tag:trust.wolkenwerk.example,2026-11-20:change/${CHANGE_ID}`;

/** The change fanned out, and one recipient's notice delivered on `receivedOn`. */
async function seedDelivered(w: WorkerHandle, receivedOn: string): Promise<void> {
  await w.db.batch([
    w.db.prepare("INSERT INTO notice_dispatches (event_id, topic, started_at, completed_at, outcome, recipients) VALUES (?, 'subprocessor-changes', ?, ?, 'sent', 1)").bind(EVENT_ID, `${receivedOn}T08:00:00.000Z`, `${receivedOn}T08:00:00.000Z`),
    w.db
      .prepare(
        "INSERT INTO notice_deliveries (id, event_id, channel, recipient_id, recipient_address, lang, state, attempts, queued_at, next_attempt_at, sent_at, received_on, objection_deadline) VALUES ('nd_late', ?, 'email', 'sub-late', 'late@example.com', 'de', 'sent', 1, ?, 0, ?, ?, '2027-01-04')",
      )
      .bind(EVENT_ID, `${receivedOn}T08:00:00.000Z`, `${receivedOn}T09:00:00.000Z`, receivedOn),
  ]);
}

describe('notices that go out later than announced', () => {
  it('tell the privacy team once, by mail and on the admin endpoint, before the change takes effect', async () => {
    const { sink, w, manifest } = await setup();
    await seedDelivered(w, '2026-12-15');
    await w.scheduled(new Date('2026-12-16T09:00:00Z'));
    await w.scheduled(new Date('2026-12-16T09:15:00Z'));

    const contact = manifest.declarationContact;
    const mail = await sink.waitFor((message) => message.envelope.to.includes(contact.email));
    expect(mail.parsed.subject).toBe(`${manifest.vendor}: Ankündigungsfrist nicht gewahrt – ${CHANGE_ID} (wirksam ${formatDate('2027-01-11', 'de')})`);
    // 30 calendar days from receipt on 15 Dec end on 14 Jan; the change may take effect the day after.
    expect(mail.parsed.text).toContain(`frühestens am ${formatDate('2027-01-15', 'de')}`);
    expect((await sink.messages()).filter((message) => message.envelope.to.includes(contact.email))).toHaveLength(1);

    const auth = { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` };
    expect((await w.fetch('/api/notices/timing')).status).toBe(401);
    const listed = (await (await w.fetch('/api/notices/timing', { headers: auth })).json()) as { count: number; alerts: Array<Record<string, unknown>> };
    expect(listed.count).toBe(1);
    expect(listed.alerts[0]).toMatchObject({
      eventId: EVENT_ID,
      changeId: CHANGE_ID,
      effectiveDate: '2027-01-11',
      latestReceivedOn: '2026-12-15',
      earliestEffectiveDate: '2027-01-15',
      messageId: mail.parsed.messageId?.replace(/^<|>$/g, ''),
    });
  });

  it('stay quiet while the notice period counted from the real receipt still ends in time', async () => {
    const { sink, w } = await setup();
    await seedDelivered(w, '2026-11-23');
    await w.scheduled(new Date('2026-11-24T09:00:00Z'));
    const listed = (await (await w.fetch('/api/notices/timing', { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } })).json()) as { count: number };
    expect(listed.count).toBe(0);
    expect(await sink.messages()).toEqual([]);
  });
});

describe('a subscription confirmed while a change is pending', () => {
  it('gets the change’s notice, with the same own deadline in the mail and in the evidence export', async () => {
    const { sink, w, manifest } = await setup();
    await w.scheduled(DISPATCH_TIME); // fans the change out to nobody yet
    const email = `late-joiner-${crypto.randomUUID().slice(0, 8)}@kunde.example`;
    const signUp = await w.fetch('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' },
      body: JSON.stringify({ email, topics: ['subprocessor-changes'], lang: 'de', wordingVersion: CURRENT_SUBSCRIPTION_WORDING }),
    });
    expect(signUp.status).toBeLessThan(300);
    const confirmation = await sink.waitFor((message) => message.envelope.to.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(confirmation.parsed.text ?? '')![1]!;
    const confirmed = await w.fetch(`/subscribe/confirm/?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'cf-connecting-ip': '198.51.100.9' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(confirmed.status).toBe(200);

    const change = manifest.changes.find((candidate) => candidate.id === CHANGE_ID)!;
    // The Worker confirms at the real time: once the change has taken effect nothing is pending.
    if (change.effectiveDate <= berlinDateOf(new Date())) {
      expect((await deliveries(w)).filter((row) => row.recipient_address === email)).toEqual([]);
      return;
    }
    const [row] = await waitForDeliveries(w, (rows) => rows.some((candidate) => candidate.recipient_address === email && candidate.state === 'sent'));
    const notice = await sink.waitFor((message) => message.envelope.to.includes(email) && /Änderung bei Unterauftragsverarbeitern/.test(message.parsed.subject ?? ''));
    // The mail names this recipient's own deadline and the day of receipt it counts from.
    expect(notice.parsed.text).toContain(formatDate(row!.objection_deadline!, 'de'));
    expect(notice.parsed.text).toContain(formatDate(row!.received_on!, 'de'));
    const evidence = (await (await w.fetch(`/api/notices/evidence?event=${encodeURIComponent(EVENT_ID)}`, { headers: { authorization: `Bearer ${w.secrets.ADMIN_TOKEN}` } })).json()) as {
      deliveries: Array<{ recipient: string; receivedOn: string; objectionDeadline: string }>;
    };
    expect(evidence.deliveries.find((delivery) => delivery.recipient === email)).toMatchObject({ receivedOn: row!.received_on, objectionDeadline: row!.objection_deadline });
  });
});
