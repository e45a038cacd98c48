import type { DeclarationRecord } from './declaration-record.ts';
import { declarationKindsFor, declarationWindow, type DeclarationKind, type DeclarationWindow } from './declaration-window.ts';
import type { ManifestChange } from './manifest.ts';

/**
 * Whether one declaration on a published change may be recorded, from the change's computed
 * terms (manifest) and the customer's own day of receipt: the kind must fit the regime, the
 * reasons be given where the rule requires them, and the window be open for this customer.
 * Pure: the Worker supplies the day and the delivery evidence; nothing here re-derives content.
 */

/** What the record states about the rule and the window it was checked against. */
export type CheckedTerms = Pick<DeclarationRecord, 'governingAvvVersion' | 'ruleId' | 'clause' | 'requiredForm' | 'deadline' | 'countedFrom' | 'countedFromDay' | 'withinWindow'>;

export type DeclarationCheck =
  | { outcome: 'accepted'; terms: CheckedTerms }
  /** The change calls for no declaration at all (information only, or no rule covers it). */
  | { outcome: 'no-declaration'; allowedKinds: [] }
  /** The regime calls for other kinds (an objection under a consent rule, say). */
  | { outcome: 'wrong-kind'; allowedKinds: DeclarationKind[] }
  /** A withdrawal where the AVV does not allow one (`false`) or does not say (`not-stated`). */
  | { outcome: 'withdrawal-not-allowed'; withdrawable: false | 'not-stated'; allowedKinds: DeclarationKind[] }
  /** The rule requires reasons and none were given. */
  | { outcome: 'reason-required'; reasonsWording: string | undefined }
  /** Too late for this customer: the window that applied, with what it was counted from. */
  | { outcome: 'late'; window: Extract<DeclarationWindow, { period: 'fixed' }> };

export interface DeclarationAttempt {
  kind: DeclarationKind;
  reason: string | undefined;
  /** Earliest day the delivery evidence shows the notice reached this customer, or null. */
  receivedOn: string | null;
  /** The day the declaration arrives (Europe/Berlin). */
  today: string;
}

export function checkDeclaration(change: ManifestChange, attempt: DeclarationAttempt): DeclarationCheck {
  const { terms } = change;
  const allowedKinds = declarationKindsFor(terms);
  if (allowedKinds.length === 0) return { outcome: 'no-declaration', allowedKinds: [] };
  if (!allowedKinds.includes(attempt.kind)) {
    if (attempt.kind === 'withdrawal') return { outcome: 'withdrawal-not-allowed', withdrawable: terms.declaration?.withdrawable === false ? false : 'not-stated', allowedKinds };
    return { outcome: 'wrong-kind', allowedKinds };
  }
  const declaration = terms.declaration!;
  // Reasons belong to the declaration against the change; a consent or a withdrawal needs none.
  const againstChange = attempt.kind === 'objection' || attempt.kind === 'refusal';
  if (againstChange && declaration.reasonsRequired === true && (attempt.reason ?? '') === '') return { outcome: 'reason-required', reasonsWording: declaration.reasonsWording };

  const rule = { governingAvvVersion: terms.governingAvvVersion, ruleId: terms.ruleId!, clause: terms.clause ?? null, requiredForm: declaration.form };
  // Taking back one's own objection or consent is not bound to the response period.
  if (attempt.kind === 'withdrawal') return { outcome: 'accepted', terms: { ...rule, deadline: null, countedFrom: null, countedFromDay: null, withinWindow: null } };
  const window = declarationWindow(terms, change.announcedDate, attempt.receivedOn, attempt.today);
  if (window.period === 'none') return { outcome: 'accepted', terms: { ...rule, deadline: null, countedFrom: null, countedFromDay: null, withinWindow: null } };
  if (!window.open) return { outcome: 'late', window };
  return { outcome: 'accepted', terms: { ...rule, deadline: window.deadline, countedFrom: window.countedFrom, countedFromDay: window.countedFromDay, withinWindow: true } };
}
