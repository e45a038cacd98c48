import type { ChangeRegimeDraft, PeriodDraft } from '../change-regime.ts';
import { slugify } from '../text.ts';
import type { Gap } from './gaps.ts';
import { NOT_STATED } from '../../schemas/not-stated.ts';


/**
 * `changeRules` of the AVV frontmatter (content model: src/schemas/change-rules.ts) from the
 * proposed regime: one rule read from the clause on subprocessors. Facts the clause does not
 * state are `not-stated`; the rule's scope or right, which have no `not-stated`, are left out
 * (with a gap) when the clause does not make them clear.
 */
export function changeRulesOf(regime: ChangeRegimeDraft, file: string): { changeRules: unknown; gaps: Gap[] } {
  if (!regime.clause.found || (!regime.right.found && !regime.noticePeriod.found)) return { changeRules: NOT_STATED, gaps: [] };
  const gaps: Gap[] = [];
  const rule: Record<string, unknown> = { id: slugify(regime.clause.value.anchor, 4) || 'unterauftragsverhaeltnisse', clause: regime.clause.value.heading };
  if (regime.scope.found) rule.scope = { kinds: regime.scope.value };
  else gaps.push({ file, field: 'changeRules[0].scope', why: `${regime.scope.reason}; write the kinds of change it covers, e.g. { kinds: [add, replace] }` });
  if (regime.right.found) rule.right = regime.right.value;
  else gaps.push({ file, field: 'changeRules[0].right', why: `${regime.right.reason}; write objection, consent, tacit-consent or information` });
  rule.noticePeriod = regime.noticePeriod.found ? periodOf(regime.noticePeriod.value, 'notice') : NOT_STATED;
  if (!regime.right.found || regime.right.value !== 'information') {
    rule.responsePeriod = regime.responsePeriod.found ? periodOf(regime.responsePeriod.value, 'response') : NOT_STATED;
    rule.form = regime.form.found ? regime.form.value : NOT_STATED;
    rule.reasonsRequired = regime.reasons.found ? true : NOT_STATED;
    if (regime.reasons.found) rule.reasonsWording = regime.reasons.value;
    rule.withdrawable = NOT_STATED;
    rule.lapsesAfterPeriod = NOT_STATED;
    rule.consequence = regime.consequence.found ? regime.consequence.value : NOT_STATED;
  }
  return { changeRules: [rule], gaps };
}

function periodOf(period: PeriodDraft, kind: 'notice' | 'response'): Record<string, unknown> {
  if (period.amount === undefined || period.unit === undefined) return { wording: period.wording };
  return {
    wording: period.wording,
    amount: period.amount,
    unit: period.unit,
    ...(period.qualifier ? { qualifier: period.qualifier } : {}),
    // Whether § 193 BGB moves a last day is a contract term the clause rarely states.
    shiftToNextWorkingDay: NOT_STATED,
    ...(kind === 'response' ? { countedFrom: period.countedFrom ?? NOT_STATED } : {}),
  };
}
