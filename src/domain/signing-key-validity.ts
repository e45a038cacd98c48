/**
 * Whether the receipt-signing key may sign today. A published key (content/receipt-keys/)
 * states the days it signs: from `validFrom` through `validUntil` (UTC calendar days, both
 * included). A receipt signed outside them would name a key that its own publication says was
 * not in use — evidence a verifier must reject — so the Worker refuses to append instead.
 * A key not published yet is not refused: receipt-keys.json lists it as active and unarchived,
 * which tells the operator to publish it.
 */
export interface PublishedKeyPeriod {
  keyId: string;
  /** First day it signs, YYYY-MM-DD (UTC). */
  validFrom: string;
  /** Last day it signs, YYYY-MM-DD (UTC); absent while in use. */
  validUntil?: string | undefined;
  /** The local-development key, whose private half is public (content/receipt-keys/). */
  localDevelopment?: boolean | undefined;
}

/**
 * Why the key `keyId` must not sign at `now`, or null when it may. `development`: the Worker
 * runs with ENVIRONMENT=development (`npm start`), the only place the local-development key signs.
 */
export function signingKeyRefusal(published: readonly PublishedKeyPeriod[], keyId: string, now: Date, development = false): string | null {
  const period = published.find((key) => key.keyId === keyId);
  if (!period) return null;
  if (period.localDevelopment && !development) return `the signing key ${keyId} is the published local-development key, whose private key is in the repository; set RECEIPT_SIGNING_KEY to this deployment's own key`;
  const today = now.toISOString().slice(0, 10);
  if (today < period.validFrom) return `the signing key ${keyId} is published as valid from ${period.validFrom}, and today is ${today}`;
  if (period.validUntil !== undefined && today > period.validUntil) return `the signing key ${keyId} is published as retired after ${period.validUntil}, and today is ${today}`;
  return null;
}
