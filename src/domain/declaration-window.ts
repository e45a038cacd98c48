import type { ChangeTerms } from './change-terms.ts';
import { responseDeadlineFor } from './change-terms.ts';

/**
 * Which declarations a change's terms call for, and whether one customer's window for them is
 * still open on a given day. Pure, and built only on the change's computed terms and on
 * `responseDeadlineFor` — the one deadline computation (src/domain/change-terms.ts) — so the
 * change page, the Worker's check and the stored record cannot disagree about a date.
 */

/**
 * What a customer declares about one change:
 * - `objection`: against a change under an objection or tacit-consent rule;
 * - `consent` / `refusal`: yes or no where the rule needs prior consent;
 * - `withdrawal`: takes back the customer's earlier objection or consent, where the AVV allows it.
 */
export const DECLARATION_KINDS = ['objection', 'consent', 'refusal', 'withdrawal'] as const;
export type DeclarationKind = (typeof DECLARATION_KINDS)[number];

/**
 * The declarations the terms call for, in the order the page offers them: none for changes no
 * rule governs or only information is due; `withdrawal` only where the AVV says `withdrawable:
 * true` (not where it is silent: the site does not claim a right the AVV does not grant).
 */
export function declarationKindsFor(terms: Pick<ChangeTerms, 'basis' | 'right' | 'declaration'>): DeclarationKind[] {
  if (terms.basis !== 'rule' || terms.right === undefined || terms.right === 'information') return [];
  const kinds: DeclarationKind[] = terms.right === 'consent' ? ['consent', 'refusal'] : ['objection'];
  if (terms.declaration?.withdrawable === true) kinds.push('withdrawal');
  return kinds;
}

/** The declarations a customer makes within a window (all but the withdrawal of one). */
export type WindowedKind = Exclude<DeclarationKind, 'withdrawal'>;

/**
 * What one customer's response period was counted from:
 * - `notice-receipt`: the day the delivery evidence shows the notice reached them;
 * - `announcement`: the rule counts from the announcement day;
 * - `announcement-without-receipt-evidence`: the rule counts from receipt, but no delivery
 *   evidence names this customer, so the earliest day a notice can have reached anyone stands in
 *   (it gives the customer the shortest period, never a longer one than the AVV grants).
 */
export type CountedFrom = 'notice-receipt' | 'announcement' | 'announcement-without-receipt-evidence';

export type DeclarationWindow =
  | {
      /** A fixed period applies: the deadline computed for this customer. */
      period: 'fixed';
      /** Last day the declaration may be made (inclusive, Europe/Berlin). */
      deadline: string;
      countedFrom: CountedFrom;
      /** The day the period was counted from. */
      countedFromDay: string;
      /** Whether `today` is on or before the deadline. */
      open: boolean;
    }
  | {
      /** The AVV states no fixed period (not at all, or only in words such as "vorab"): no date can make a declaration late. */
      period: 'none';
      open: true;
    };

/**
 * One customer's window on `today`. `receivedOn` is the earliest day the delivery evidence shows
 * the notice reached them (null when it shows none).
 */
export function declarationWindow(terms: ChangeTerms, announcedDate: string, receivedOn: string | null, today: string): DeclarationWindow {
  const response = terms.response;
  if (response?.stated !== 'fixed') return { period: 'none', open: true };
  const countedFrom: CountedFrom = response.countedFrom.from === 'announcement' ? 'announcement' : receivedOn !== null ? 'notice-receipt' : 'announcement-without-receipt-evidence';
  const countedFromDay = countedFrom === 'notice-receipt' ? receivedOn! : announcedDate;
  const deadline = responseDeadlineFor(terms, countedFromDay)!;
  return { period: 'fixed', deadline, countedFrom, countedFromDay, open: today <= deadline };
}

/**
 * Whether the change page offers the declaration form on `day` (the build day): while a window
 * can still be open for someone. With a period counted from receipt, a customer whose notice
 * came late is still in time after the announcement day's deadline, so the form stays until the
 * change takes effect and the Worker checks each customer's own deadline.
 */
export function declarationOffered(terms: ChangeTerms, effectiveDate: string, day: string): boolean {
  if (declarationKindsFor(terms).length === 0) return false;
  const response = terms.response;
  if (response?.stated !== 'fixed') return true;
  if (day <= response.deadlineForAnnouncementDay) return true;
  return response.countedFrom.from === 'receipt' && day < effectiveDate;
}
