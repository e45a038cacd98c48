/**
 * Statuses the privacy team's console shows, each decided here once so that page and export
 * agree. Dates are Europe/Berlin calendar days (YYYY-MM-DD), compared as strings.
 */

/** Whether an account's latest acceptance covers the AVV version in force. */
export type AcceptanceStatus = 'current' | 'outdated' | 'none';

export function acceptanceStatus(acceptedVersion: string | null, versionInForce: string | null): AcceptanceStatus {
  if (acceptedVersion === null) return 'none';
  return acceptedVersion === versionInForce ? 'current' : 'outdated';
}

/**
 * One recipient's response deadline on `today`: the deadline itself is the one the notice
 * consumer stored from the change's computed terms (src/domain/notice-events.ts); this only
 * says whether it has passed. `not-received`: the notice has not reached them yet;
 * `no-fixed-period`: the governing rule states none.
 */
export type RecipientDeadlineStatus = 'open' | 'passed' | 'not-received' | 'no-fixed-period';

export function recipientDeadlineStatus(receivedOn: string | null, deadline: string | null, today: string): RecipientDeadlineStatus {
  if (receivedOn === null) return 'not-received';
  if (deadline === null) return 'no-fixed-period';
  return today <= deadline ? 'open' : 'passed';
}
