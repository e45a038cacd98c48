import { z } from 'zod';
import { ALWAYS } from './always.ts';
import { HolidayRegionSchema, PeriodUnitSchema } from './notice-policy.ts';
import { NOT_STATED, NotStatedSchema, statedOr } from './not-stated.ts';

/** The four kinds of subprocessor change (see ChangeSchema `kind`). */
export const ChangeKindSchema = z.enum(['add', 'replace', 'remove', 'update']);
export type ChangeKind = z.output<typeof ChangeKindSchema>;

/**
 * What the customer may do about a change the rule covers:
 * - `objection`: the change goes ahead unless the customer objects within the period (opt-out);
 * - `consent`: the change needs the customer's prior consent; silence is no consent (opt-in);
 * - `tacit-consent`: silence within the period counts as consent ("gilt als Zustimmung");
 * - `information`: the customer is only informed, no declaration is foreseen.
 */
export const CustomerRightSchema = z.enum(['objection', 'consent', 'tacit-consent', 'information']);
export type CustomerRight = z.output<typeof CustomerRightSchema>;

/**
 * How the AVV qualifies a period's number, shown with it:
 * - `exactly`: "14 Werktage" — the period is that long;
 * - `at-least`: "mindestens 30 Tage" — a longer period is fine, a shorter one breaks the AVV;
 * - `regularly`: "regelmäßig 14 Werktage" — the usual period; a shorter one needs a reason
 *   (finding `notice-shorter-than-regular`) but is no breach by itself;
 * - `at-the-latest`: "spätestens 4 Wochen vorher" — the announcement comes that early at the latest.
 */
export const PeriodQualifierSchema = z.enum(['exactly', 'at-least', 'regularly', 'at-the-latest']);
export type PeriodQualifier = z.output<typeof PeriodQualifierSchema>;

/**
 * Form the customer's declaration must have:
 * - `schriftform`: written form, signed by hand (§ 126 BGB) — e-mail does not suffice;
 * - `textform`: text form, e.g. e-mail (§ 126b BGB);
 * - `any`: the AVV allows any form;
 * - `not-stated`: the AVV says nothing about the form.
 */
export const DeclarationFormSchema = z.enum(['schriftform', 'textform', 'any', NOT_STATED]);
export type DeclarationForm = z.output<typeof DeclarationFormSchema>;

/**
 * Where a customer's response period starts:
 * - `receipt`: on receipt of the notice (Zugang, § 130 BGB) — differs per recipient;
 * - `announcement`: on the announcement day, the same for everyone;
 * - `not-stated`: the AVV does not say; receipt is used (§ 130 BGB) and the page says so.
 */
export const CountedFromSchema = z.enum(['receipt', 'announcement', NOT_STATED]);
export type CountedFrom = z.output<typeof CountedFromSchema>;

/** `true`, `false` or `not-stated`: a yes/no fact the AVV may leave open. */
const yesNoOrNotStated = statedOr(z.boolean());

/**
 * How a customer takes a declaration back where the AVV allows it (`withdrawable: true`), as the
 * AVV states it. Every fact is written out, `not-stated` where the AVV says nothing, so the page
 * can tell a customer who consents what the AVV says about withdrawing and what it leaves open.
 * Example (AVV 2.0 § 8 Abs. 7): `{ clause: "§ 8 Abs. 7", wording: "Der Kunde kann eine erteilte
 * Zustimmung jederzeit mit Wirkung für die Zukunft widerrufen.", period: any-time, takesEffect:
 * future, form: not-stated, addressee: not-stated }`.
 */
export const WithdrawalSchema = z.strictObject({
  /** Where the AVV says it, or `not-stated`. Example: "§ 8 Abs. 7". */
  clause: statedOr(z.string().min(1)),
  /** The AVV's own sentence on withdrawing, quoted on the page. Example: "Der Kunde kann eine erteilte Zustimmung jederzeit … widerrufen." */
  wording: z.string({ error: (issue) => (issue.input === undefined ? 'missing: quote the AVV\'s own sentence on withdrawing' : undefined) }).min(1),
  /**
   * Until when the customer may withdraw: `any-time` ("jederzeit") or `not-stated`. A withdrawal
   * is never bound to the period for the declaration itself (declaration-check.ts).
   */
  period: z.enum(['any-time', NOT_STATED]),
  /**
   * From when the withdrawal takes effect: `future` ("mit Wirkung für die Zukunft": what was
   * done under the declaration until then stays covered) or `not-stated`.
   */
  takesEffect: z.enum(['future', NOT_STATED]),
  /** Form the withdrawal must have: `schriftform`, `textform`, `any` or `not-stated`. Example: `not-stated`. */
  form: DeclarationFormSchema,
  /** To whom the customer withdraws, in the AVV's words, or `not-stated`. Example: "an datenschutz@wolkenwerk.example". */
  addressee: statedOr(z.string().min(1)),
});
export type Withdrawal = z.output<typeof WithdrawalSchema>;

/**
 * One period as the AVV states it. Either a fixed period (`amount` + `unit` + `qualifier` +
 * `shiftToNextWorkingDay`), for which the site computes dates, or only the AVV's words
 * (`wording` alone, e.g. "vorab", "rechtzeitig"), for which it computes none.
 * Example: `{ amount: 14, unit: werktage, qualifier: regularly, wording: "regelmäßig 14 Werktage", shiftToNextWorkingDay: not-stated }`.
 */
function periodSchema(kind: 'notice' | 'response') {
  return z
    .strictObject({
      /** The AVV's own words for the period, shown next to any computed date. Example: "regelmäßig 14 Werktage". */
      wording: z.string({ error: (issue) => (issue.input === undefined ? 'missing: quote the AVV\'s own words for the period, e.g. "innerhalb von 14 Tagen nach Zugang"' : undefined) }).min(1),
      /** How many units, a whole number ≥ 1; omit when the AVV names no number. Example: `14`. */
      amount: z.number().int().min(1).max(3650).optional(),
      /** Unit the amount is counted in. Example: `werktage`. */
      unit: PeriodUnitSchema.optional(),
      /** How the AVV qualifies the number. Example: `at-least`. */
      qualifier: PeriodQualifierSchema.optional(),
      /**
       * BGB § 193 for this period: `true` when the AVV lets a last day on a weekend or holiday
       * move to the next working day, `false` when it excludes that, `not-stated` when it says
       * nothing — then the statute decides (§ 193 applies to a period for a declaration, not
       * to a notice period), and the page says that the AVV is silent.
       */
      shiftToNextWorkingDay: yesNoOrNotStated.optional(),
      /** Whose public holidays count; omit to use `vendor.holidayRegion`. Example: `HH`. */
      holidayRegion: HolidayRegionSchema.optional(),
      ...(kind === 'response' && {
        /** Where the period starts: `receipt`, `announcement` or `not-stated`. Example: `receipt`. */
        countedFrom: CountedFromSchema.optional(),
      }),
    })
    .superRefine((period, ctx) => {
      const fixed = period.amount !== undefined || period.unit !== undefined;
      if (!fixed) {
        for (const field of ['qualifier', 'shiftToNextWorkingDay', 'countedFrom'] as const) {
          if (field in period && (period as Record<string, unknown>)[field] !== undefined) {
            ctx.addIssue({ code: 'custom', path: [field], message: `${field} only applies to a period with amount and unit; remove it or add them` });
          }
        }
        return;
      }
      const required: Array<[string, string]> = [
        ['amount', 'a whole number such as 14'],
        ['unit', 'calendar-days, weeks, months, werktage or business-days'],
        ['qualifier', 'exactly, at-least, regularly or at-the-latest — how the AVV qualifies the number'],
        ['shiftToNextWorkingDay', 'true, false or `not-stated` — whether BGB § 193 moves a last day on a weekend or holiday'],
        ...(kind === 'response' ? ([['countedFrom', 'receipt, announcement or `not-stated` — where the period starts']] as Array<[string, string]>) : []),
      ];
      for (const [field, expected] of required) {
        if ((period as Record<string, unknown>)[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `missing for a fixed period: ${expected}` });
        }
      }
    }, ALWAYS);
}

/** How far in advance the vendor announces a change, counted from the announcement day. */
export const NoticePeriodSchema = periodSchema('notice');
export type NoticePeriod = z.output<typeof NoticePeriodSchema>;

/** The window for the customer's objection or consent. */
export const ResponsePeriodSchema = periodSchema('response');
export type ResponsePeriod = z.output<typeof ResponsePeriodSchema>;

/**
 * Which changes a rule covers. A rule applies to a change when the change's kind is listed and
 * the condition (if any) holds. Example: `{ kinds: [add, replace], condition: third-country }`.
 */
export const ChangeScopeSchema = z.strictObject({
  /** Kinds of change the AVV's duty covers. Example: `[add, replace]` when removals need no notice. */
  kinds: z.array(ChangeKindSchema).min(1),
  /**
   * Narrower condition, where the AVV has one:
   * - `third-country`: only when a subprocessor concerned processes data outside the EU/EEA
   *   (its own locations or its onward transfers);
   * - `within-eea`: only when all processing stays inside the EU/EEA.
   * Omit when the rule covers every change of the listed kinds.
   */
  condition: z.enum(['third-country', 'within-eea']).optional(),
});
export type ChangeScope = z.output<typeof ChangeScopeSchema>;

/**
 * One rule of the AVV for subprocessor changes: which changes it covers, what the customer may
 * do, within which period, in which form and with what consequence. An AVV that distinguishes
 * (consent for third countries, objection otherwise) has several rules; the first rule in the
 * list that covers a change governs it, so write narrower rules first.
 */
export const ChangeRuleSchema = z
  .strictObject({
    /** Stable id of the rule within the AVV version, shown in the manifest. Example: "drittland". */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lowercase slug such as "drittland"'),
    /** Where the AVV says it. Example: "§ 7 Abs. 3". */
    clause: z.string().min(1).optional(),
    /** Which changes the rule covers. */
    scope: ChangeScopeSchema,
    /** What the customer may do. Example: `objection`. */
    right: CustomerRightSchema,
    /** How far in advance the change is announced; `not-stated` when the AVV says nothing. */
    noticePeriod: statedOr(NoticePeriodSchema),
    /** The customer's window to object or consent; absent for `information`. */
    responsePeriod: statedOr(ResponsePeriodSchema).optional(),
    /** Form of the customer's declaration; absent for `information`. Example: `textform`. */
    form: DeclarationFormSchema.optional(),
    /** Whether the declaration must give reasons: `true`, `false` or `not-stated`. */
    reasonsRequired: yesNoOrNotStated.optional(),
    /**
     * The AVV's words on which reasons count, when reasons are required.
     * Example: "aus wichtigem datenschutzrechtlichem Grund".
     */
    reasonsWording: z.string().min(1).optional(),
    /**
     * Whether the customer may withdraw the declaration (an objection, or a consent once given):
     * `true`, `false` or `not-stated`. For a consent rule `not-stated` is a finding
     * (`consent-withdrawal-not-stated`): a customer who consents cannot tell whether it binds for good.
     */
    withdrawable: yesNoOrNotStated.optional(),
    /** With `withdrawable: true`: how, until when and from when, as the AVV states it (see {@link WithdrawalSchema}). */
    withdrawal: WithdrawalSchema.optional(),
    /**
     * Whether the right lapses once the period has run out (Ausschlussfrist): `true`, `false` or
     * `not-stated`. For `tacit-consent` silence is consent anyway; state what the AVV says.
     */
    lapsesAfterPeriod: yesNoOrNotStated.optional(),
    /**
     * What follows an objection or a refused consent, in the AVV's words, or `not-stated`.
     * Example: "Kommt keine Einigung zustande, kann der Kunde … kündigen."
     */
    consequence: statedOr(z.string().min(1)).optional(),
  })
  .superRefine((rule, ctx) => {
    if (!CustomerRightSchema.safeParse(rule.right).success) return;
    const declarationFields = ['responsePeriod', 'form', 'reasonsRequired', 'withdrawable', 'lapsesAfterPeriod', 'consequence'] as const;
    if (rule.right === 'information') {
      for (const field of [...declarationFields, 'reasonsWording' as const, 'withdrawal' as const]) {
        if (rule[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `a rule with right "information" foresees no declaration by the customer; remove ${field}` });
        }
      }
      return;
    }
    const expected: Record<(typeof declarationFields)[number], string> = {
      responsePeriod: 'the period for the declaration',
      form: 'schriftform, textform, any',
      reasonsRequired: 'true or false',
      withdrawable: 'true or false',
      lapsesAfterPeriod: 'true or false',
      consequence: 'the AVV\'s words on what follows',
    };
    for (const field of declarationFields) {
      if (rule[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `missing for right "${rule.right}": ${expected[field]}, or \`not-stated\` if the AVV does not say` });
      }
    }
    if (rule.withdrawable === true && rule.withdrawal === undefined) {
      ctx.addIssue({ code: 'custom', path: ['withdrawal'], message: 'missing for withdrawable: true: clause, wording, period (any-time), takesEffect (future), form and addressee as the AVV states them, each `not-stated` where it does not say' });
    }
    if (rule.withdrawal !== undefined && rule.withdrawable !== true) {
      ctx.addIssue({ code: 'custom', path: ['withdrawal'], message: 'withdrawal only applies when withdrawable is true' });
    }
    if (rule.reasonsWording !== undefined && rule.reasonsRequired !== true) {
      ctx.addIssue({ code: 'custom', path: ['reasonsWording'], message: 'reasonsWording only applies when reasonsRequired is true' });
    }
  }, ALWAYS);
export type ChangeRule = z.output<typeof ChangeRuleSchema>;

/**
 * `changeRules` of an AVV version: its rules for subprocessor changes, most specific first, or
 * `not-stated` when the AVV has none (finding `change-rules-not-stated`).
 */
export const ChangeRulesSchema = z.union([NotStatedSchema, z.array(ChangeRuleSchema).min(1, 'list at least one rule, or write `not-stated` if the AVV has none')], {
  error: (issue) => (issue.input === undefined ? 'missing: list the AVV\'s rules for subprocessor changes, or write `not-stated` if the AVV has none' : undefined),
});
export type ChangeRules = z.output<typeof ChangeRulesSchema>;
