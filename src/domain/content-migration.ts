/**
 * Messages for content written in the first format (before change rules and `not-stated`), so
 * `npm run check` prints exactly what to change instead of "unrecognized key".
 * Pure: takes the old value as parsed from YAML.
 */

/** The `changeRules:` block that replaces an old `noticePolicy:`, with the facts it carried. */
export function noticePolicyMigration(old: unknown): string {
  const policy = (typeof old === 'object' && old !== null ? old : {}) as Record<string, unknown>;
  const rules = (policy.rules ?? {}) as Record<string, unknown>;
  const period = (value: unknown, extra: string) => {
    const p = value as { amount?: unknown; unit?: unknown } | undefined;
    if (!p || p.amount === undefined) return policy.noticeWording ? `{ wording: ${JSON.stringify(policy.noticeWording)} }` : 'not-stated';
    const region = rules.holidayRegion ? `, holidayRegion: ${String(rules.holidayRegion)}` : '';
    const shift = rules.shiftToNextWorkingDay === false ? 'false' : 'true';
    return `{ amount: ${String(p.amount)}, unit: ${String(p.unit)}, qualifier: <exactly|at-least|regularly|at-the-latest>, wording: "<the AVV's words>", shiftToNextWorkingDay: ${shift}${region}${extra} }`;
  };
  const consequence = typeof policy.objectionConsequence === 'string' ? JSON.stringify(policy.objectionConsequence) : 'not-stated';
  return [
    '`noticePolicy` is the old format; replace it with `changeRules` (README, "Change rules"), e.g.:',
    'changeRules:',
    '  - id: widerspruch',
    '    scope: { kinds: [add, replace, remove, update] }   # the kinds the AVV\'s duty covers',
    '    right: objection                                 # or consent, tacit-consent, information',
    `    noticePeriod: ${period(policy.noticePeriod, '')}`,
    `    responsePeriod: ${period(policy.objectionPeriod, ', countedFrom: receipt')}`,
    '    form: <schriftform|textform|any|not-stated>',
    '    reasonsRequired: <true|false|not-stated>',
    '    withdrawable: <true|false|not-stated>            # true: add withdrawal (clause, wording, period, takesEffect, form, addressee)',
    '    lapsesAfterPeriod: <true|false|not-stated>',
    `    consequence: ${consequence}`,
  ].join('\n');
}
