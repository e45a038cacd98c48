import { describe, expect, it } from 'vitest';
import { signingKeyRefusal, type PublishedKeyPeriod } from '../src/domain/signing-key-validity.ts';

const published: PublishedKeyPeriod[] = [
  { keyId: 'log+old', validFrom: '2025-01-01', validUntil: '2026-11-30' },
  { keyId: 'log+current', validFrom: '2026-12-01' },
  { keyId: 'log+next', validFrom: '2027-01-01' },
];
const at = (iso: string) => new Date(iso);

describe('signingKeyRefusal: a key signs only on the days its publication states', () => {
  it.each([
    ['log+current', '2026-12-01T00:00:00.000Z', null],
    ['log+current', '2030-05-05T12:00:00.000Z', null],
    ['log+old', '2026-11-30T23:59:59.999Z', null],
    ['log+old', '2025-01-01T00:00:00.000Z', null],
    ['log+unpublished', '2026-12-02T00:00:00.000Z', null],
  ])('%s at %s may sign', (keyId, now, expected) => {
    expect(signingKeyRefusal(published, keyId, at(now))).toBe(expected);
  });

  it('refuses a retired key from the day after validUntil, naming the date', () => {
    expect(signingKeyRefusal(published, 'log+old', at('2026-12-01T00:00:00.000Z'))).toBe('the signing key log+old is published as retired after 2026-11-30, and today is 2026-12-01');
  });

  it('refuses a key before its validFrom', () => {
    expect(signingKeyRefusal(published, 'log+next', at('2026-12-31T23:59:59.000Z'))).toBe('the signing key log+next is published as valid from 2027-01-01, and today is 2026-12-31');
  });
});
