import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { computeChangeTerms } from '../src/domain/change-terms.ts';
import { AvvVersionSchema } from '../src/schemas/avv.ts';
import { ChangeSchema } from '../src/schemas/change.ts';
import { validAvv, validChangeRule } from './support/valid-entries.ts';
import { retryDelayMs } from '../src/domain/delivery-backoff.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { noticeEventId, publishedNoticeEvents, recipientObjectionDeadline } from '../src/domain/notice-events.ts';
import { generateWebhookSecret, webhookHeaders, webhookSignature } from '../src/domain/standard-webhooks.ts';
import { checkResolvedAddresses, checkWebhookUrl } from '../src/domain/webhook-url.ts';
import { RETENTION_RULE_IDS } from '../src/schemas/legal.ts';

describe('Standard Webhooks signatures', () => {
  it('match the reference library byte for byte', async () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'subprocessor-change.announced', data: { title: 'Künstliche Intelligenz' } });
    const timestamp = new Date('2026-11-23T09:00:00Z');
    const reference = new Webhook(secret).sign('msg_1', timestamp, body);
    expect(await webhookSignature(secret, 'msg_1', Math.floor(timestamp.getTime() / 1000), body)).toBe(reference);
  });

  it('verify with the reference library, and fail for a changed body', async () => {
    const secret = generateWebhookSecret();
    const body = '{"a":1}';
    const headers = await webhookHeaders(secret, 'msg_x', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('refuse a secret without the whsec_ prefix', async () => {
    await expect(webhookSignature('abc', 'id', 1, '')).rejects.toThrow(RangeError);
  });
});

describe('checkWebhookUrl (SSRF guard)', () => {
  const production = { development: false };
  it.each([
    ['https://hooks.example.com/x', true],
    ['https://93.184.216.34/x', true],
    ['https://[2606:4700::1111]/x', true],
    ['http://hooks.example.com/x', false],
    ['ftp://hooks.example.com/x', false],
    ['https://127.0.0.1/x', false],
    ['https://0x7f.0.0.1/x', false],
    ['https://2130706433/x', false],
    ['https://0.0.0.0/x', false],
    ['https://10.0.0.1/x', false],
    ['https://100.64.0.1/x', false],
    ['https://172.16.5.4/x', false],
    ['https://172.32.0.1/x', true],
    ['https://192.168.1.1/x', false],
    ['https://169.254.169.254/latest', false],
    ['https://224.0.0.1/x', false],
    ['https://[::1]/x', false],
    ['https://[::ffff:127.0.0.1]/x', false],
    ['https://[fe80::1]/x', false],
    ['https://[fd12:3456::1]/x', false],
    ['https://localhost/x', false],
    ['https://api.localhost/x', false],
    ['https://nas.local/x', false],
    ['https://metadata.google.internal/x', false],
    ['https://intranet/x', false],
    ['https://u:p@hooks.example.com/x', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(checkWebhookUrl(url, production).ok).toBe(allowed);
  });

  it('allows http://localhost and loopback only in development', () => {
    for (const url of ['http://localhost:9000/hook', 'http://127.0.0.1:9000/hook', 'http://[::1]:9000/hook']) {
      expect(checkWebhookUrl(url, { development: true }).ok, url).toBe(true);
      expect(checkWebhookUrl(url, production).ok, url).toBe(false);
    }
    expect(checkWebhookUrl('http://10.0.0.1/hook', { development: true }).ok).toBe(false);
  });

  it.each([
    'https://localhost./x',
    'https://metadata.google.internal./x',
    'https://localhost.localdomain/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::127.0.0.1]/x',
    'https://[::ffff:0:7f00:1]/x',
    'https://[64:ff9b::169.254.169.254]/x',
    'https://[64:ff9b::7f00:1]/x',
    'https://[2002:a9fe:a9fe::]/x',
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x',
    'https://hooks.example.com/x\r\n\r\nInjected paragraph',
    'https://hooks.example.com/\tx',
  ])('refuses %j (trailing dots, local names, IPv6 forms embedding private IPv4, control characters)', (url) => {
    expect(checkWebhookUrl(url, production).ok).toBe(false);
  });

  it('keeps the canonical URL (trailing dot removed) and says whether the name still needs resolving', () => {
    const check = checkWebhookUrl('HTTPS://Hooks.Example.COM./a/../b', production);
    expect(check).toMatchObject({ ok: true, needsResolution: true });
    expect(check.ok && check.url.href).toBe('https://hooks.example.com/b');
    expect(checkWebhookUrl('https://93.184.216.34/x', production)).toMatchObject({ ok: true, needsResolution: false });
  });

  it.each([
    [['93.184.216.34'], true],
    [['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], true],
    [['93.184.216.34', '127.0.0.1'], false],
    [['169.254.169.254'], false],
    [['::1'], false],
    [['::ffff:10.0.0.1'], false],
    [['fd00::1'], false],
    [[], false],
  ])('resolved addresses %j → %s (every one must be public)', (addresses, allowed) => {
    expect(checkResolvedAddresses(addresses).ok).toBe(allowed);
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially, caps at a day, and spans more than three days over ten attempts', () => {
    const delays = Array.from({ length: 10 }, (_, index) => retryDelayMs(index + 1));
    for (let index = 1; index < delays.length; index++) expect(delays[index]).toBeGreaterThanOrEqual(delays[index - 1]!);
    expect(Math.max(...delays)).toBe(24 * 3600_000);
    expect(delays.slice(0, 9).reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(3 * 24 * 3600_000);
    expect(() => retryDelayMs(0)).toThrow(RangeError);
  });
});

describe('notice events', () => {
  // 14 calendar days from receipt, § 193 applies, Berlin holidays.
  const avv = AvvVersionSchema.parse({
    ...validAvv(),
    version: '1.0',
    effectiveDate: '2026-01-01',
    changeRules: [{ ...validChangeRule(), responsePeriod: { wording: 'binnen 14 Tagen nach Zugang', amount: 14, unit: 'calendar-days', qualifier: 'exactly', countedFrom: 'receipt', shiftToNextWorkingDay: true, holidayRegion: 'BE' } }],
  });
  const termsOf = (announcedDate: string, effectiveDate: string) =>
    computeChangeTerms(ChangeSchema.parse({ kind: 'add', title: 'Neu', subprocessors: ['a'], announcedDate, effectiveDate }), [avv], { vendorHolidayRegion: 'BE', thirdCountry: 'no', day: '2026-11-23' });
  const manifest = {
    format: 'trust-center/manifest@2',
    buildDate: '2026-11-23',
    siteUrl: 'https://trust.example.de',
    vendor: 'Beispiel GmbH',
    avvVersions: [
      { version: '1.0', title: 'AVV', effectiveDate: '2026-01-01', publishedDate: '2025-12-01', status: 'current', documentAsOf: '2026-01-01', documentSha256: '0'.repeat(64), documentPath: '/avv/1.0/document.json', tomsVersion: 't1', subprocessors: [], changeRules: avv.changeRules },
    ],
    documentStates: [],
    receiptKeys: [],
    acceptanceWording: { version: '1', effectiveDate: '2026-01-01', text: { de: 'x' }, sha256: '0'.repeat(64) },
    changes: [
      { id: 'c-now', kind: 'add', title: 'Neu', subprocessors: ['a'], announcedDate: '2026-11-20', effectiveDate: '2027-01-01', terms: termsOf('2026-11-20', '2027-01-01'), path: '/changes/c-now/' },
      { id: 'c-later', kind: 'add', title: 'Später', subprocessors: ['a'], announcedDate: '2026-12-01', effectiveDate: '2027-02-01', terms: termsOf('2026-12-01', '2027-02-01'), path: '/changes/c-later/' },
    ],
    tomsVersions: [{ version: 't1', effectiveDate: '2026-01-01' }],
    subprocessorNames: { a: 'A GmbH' },
    declarationContact: { name: 'Datenschutz', email: 'dsb@example.de' },
    acknowledgedFindings: [],
    retention: Object.fromEntries(RETENTION_RULE_IDS.map((rule) => [rule, { amount: 3, unit: 'years', countFrom: 'end-of-year' }])) as Manifest['retention'],
  } satisfies Manifest;

  it('holds events back until their day and ids never contain the title', () => {
    const ids = publishedNoticeEvents(manifest, '2026-11-23').map((event) => event.id);
    expect(ids).toEqual([
      'tag:trust.example.de,2025-12-01:avv/1.0',
      'tag:trust.example.de,2026-01-01:toms/t1',
      'tag:trust.example.de,2026-11-20:change/c-now',
    ]);
    expect(publishedNoticeEvents(manifest, '2026-12-01').map((event) => event.id)).toContain(noticeEventId(manifest.siteUrl, '2026-12-01', 'change', 'c-later'));
  });

  it('counts the deadline from the Berlin day of receipt (late evening UTC is the next day)', () => {
    const [change] = publishedNoticeEvents(manifest, '2026-11-23').filter((event) => event.topic === 'subprocessor-changes');
    // 23:30 UTC on 23 Nov is 00:30 on 24 Nov in Berlin; 14 days later is 8 Dec (a Tuesday).
    expect(recipientObjectionDeadline(manifest, change!, new Date('2026-11-23T23:30:00Z'))).toEqual({ receivedOn: '2026-11-24', deadline: '2026-12-08' });
    // Received on the 21st: 5 Dec is a Saturday, §193 moves it to Monday 7 Dec.
    expect(recipientObjectionDeadline(manifest, change!, new Date('2026-11-21T10:00:00Z'))).toEqual({ receivedOn: '2026-11-21', deadline: '2026-12-07' });
    const [avv] = publishedNoticeEvents(manifest, '2026-11-23');
    expect(recipientObjectionDeadline(manifest, avv!, new Date('2026-11-23T10:00:00Z')).deadline).toBeNull();
  });
});
