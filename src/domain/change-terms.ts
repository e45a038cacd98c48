import { z } from 'zod';
import type { AvvVersion } from '../schemas/avv.ts';
import type { Change } from '../schemas/change.ts';
import {
  ChangeKindSchema,
  CustomerRightSchema,
  DeclarationFormSchema,
  PeriodQualifierSchema,
  type ChangeRule,
  type NoticePeriod,
  type ResponsePeriod,
  WithdrawalSchema,
} from '../schemas/change-rules.ts';
import { HolidayRegionSchema, PeriodUnitSchema, type DeadlineRules, type HolidayRegion } from '../schemas/notice-policy.ts';
import { NOT_STATED, NotStatedSchema } from '../schemas/not-stated.ts';
import { addPeriod, earliestEffectiveDate } from './deadlines.ts';
import { versionInForceOn } from './version-in-force.ts';

/**
 * The terms of one subprocessor change: which rule of the governing AVV applies, what the
 * customer may do, the periods with the dates they imply and from what each is counted, and the
 * status on the build day. Computed once (here) at build time and carried by the manifest; every
 * surface (change page, change log, feeds, calendar, notice mails, webhooks, evidence) reads it
 * from there, so no surface holds a second copy of any rule.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const yesNoOrNotStated = z.union([z.boolean(), NotStatedSchema]);

/** Where a fact used in the computation comes from: the AVV's words, or the statute because the AVV is silent. */
const SourceSchema = z.enum(['avv', 'statute']);

/** The holiday region a period ends in, and whether the rule named it or vendor.holidayRegion stood in. */
const RegionSchema = z.strictObject({ region: HolidayRegionSchema, source: z.enum(['rule', 'vendor']) });

const fixedPeriodFields = {
  /** The AVV's words for the period. Example: "regelmäßig 14 Werktage". */
  wording: z.string(),
  amount: z.number().int(),
  unit: PeriodUnitSchema,
  qualifier: PeriodQualifierSchema,
  /** BGB § 193 for this period: applied or not, and whether the AVV or the statute says so. */
  bgb193: z.strictObject({ applies: z.boolean(), source: SourceSchema }),
  holidayRegion: RegionSchema,
};

/** A period the AVV does not state. */
const UnstatedPeriodSchema = z.strictObject({ stated: z.literal('not-stated') });
/** A period stated only in words ("vorab", "unverzüglich"): no date is computed. */
const WordedPeriodSchema = z.strictObject({ stated: z.literal('wording'), wording: z.string() });

/** A period the AVV does not state, states only in words, or states as a number (with dates). */
export const NoticeTermsSchema = z.discriminatedUnion('stated', [
  UnstatedPeriodSchema,
  WordedPeriodSchema,
  z.strictObject({
    stated: z.literal('fixed'),
    ...fixedPeriodFields,
    /** First day the change may take effect: the notice period counted from the announcement day has run out. */
    earliestEffectiveDate: isoDate,
  }),
]);
export type NoticeTerms = z.output<typeof NoticeTermsSchema>;

/** Where the response period starts, and whether the AVV says so or § 130 BGB (receipt) stands in. */
const CountedFromTermsSchema = z.strictObject({ from: z.enum(['receipt', 'announcement']), source: SourceSchema });

export const ResponseTermsSchema = z.discriminatedUnion('stated', [
  UnstatedPeriodSchema,
  WordedPeriodSchema,
  z.strictObject({
    stated: z.literal('fixed'),
    ...fixedPeriodFields,
    countedFrom: CountedFromTermsSchema,
    /**
     * Last day of the period for a notice received on the announcement day (the earliest any
     * recipient can have it); per recipient see {@link responseDeadlineFor}.
     */
    deadlineForAnnouncementDay: isoDate,
  }),
]);
export type ResponseTerms = z.output<typeof ResponseTermsSchema>;

/** How the customer's declaration must be made, as the rule states it. */
export const DeclarationTermsSchema = z.strictObject({
  form: DeclarationFormSchema,
  reasonsRequired: yesNoOrNotStated,
  /** The AVV's words on which reasons count. */
  reasonsWording: z.string().optional(),
  withdrawable: yesNoOrNotStated,
  /** With `withdrawable: true`: how, until when and from when the AVV lets the customer withdraw. */
  withdrawal: WithdrawalSchema.optional(),
  lapsesAfterPeriod: yesNoOrNotStated,
  /** What follows an objection or refusal, in the AVV's words. */
  consequence: z.union([z.string(), NotStatedSchema]),
});
export type DeclarationTerms = z.output<typeof DeclarationTermsSchema>;

/**
 * Where a change stands on the build day:
 * - `response-open`: the customer's period to object or consent is running (for a notice
 *   received on the announcement day);
 * - `announced`: announced, not yet effective, no period running;
 * - `effective`: the change has taken effect.
 */
export const ChangeStatusSchema = z.enum(['response-open', 'announced', 'effective']);
export type ChangeStatus = z.output<typeof ChangeStatusSchema>;

export const ChangeTermsSchema = z.strictObject({
  /** AVV version in force on the announcement day, whose rules govern the change. */
  governingAvvVersion: z.string(),
  /**
   * Why the terms are what they are:
   * - `rule`: a rule of the AVV covers this change (`ruleId`);
   * - `outside-scope`: the AVV has rules, but none covers this kind of change (no notice duty);
   * - `rules-not-stated`: the AVV states no rules for changes.
   */
  basis: z.enum(['rule', 'outside-scope', 'rules-not-stated']),
  ruleId: z.string().optional(),
  /** The AVV's clause for the rule. Example: "§ 7 Abs. 4". */
  clause: z.string().optional(),
  changeKind: ChangeKindSchema,
  /** Whether a subprocessor concerned processes outside the EU/EEA (`unknown`: locations not stated). */
  thirdCountry: z.enum(['yes', 'no', 'unknown']),
  /** What the customer may do; absent unless `basis` is `rule`. */
  right: CustomerRightSchema.optional(),
  notice: NoticeTermsSchema.optional(),
  response: ResponseTermsSchema.optional(),
  declaration: DeclarationTermsSchema.optional(),
  status: ChangeStatusSchema,
});
export type ChangeTerms = z.output<typeof ChangeTermsSchema>;

/** What the terms computation needs besides the change and the AVV versions. */
export interface ChangeTermsContext {
  /** vendor.holidayRegion: the region of every period whose rule names none. */
  vendorHolidayRegion: HolidayRegion;
  /** Whether the subprocessors the change concerns process outside the EU/EEA. */
  thirdCountry: 'yes' | 'no' | 'unknown';
  /** The day the status is computed for (the build day). */
  day: string;
}

/**
 * The first rule of the governing AVV that covers the change: its kind is in the rule's scope,
 * and the condition holds. Where the third-country question cannot be answered (locations not
 * stated) a `third-country` rule is taken to apply: it is the stricter reading, and the page
 * says the location is not stated.
 */
export function governingRule(rules: readonly ChangeRule[], change: Pick<Change, 'kind'>, thirdCountry: ChangeTermsContext['thirdCountry']): ChangeRule | undefined {
  return rules.find((rule) => {
    if (!rule.scope.kinds.includes(change.kind)) return false;
    if (rule.scope.condition === 'third-country') return thirdCountry !== 'no';
    if (rule.scope.condition === 'within-eea') return thirdCountry === 'no';
    return true;
  });
}

/**
 * Day-counting rules for one period. § 193 BGB when the AVV is silent: it applies to a period
 * within which a declaration is to be made (the response period), but not to a notice period,
 * which protects the recipient and must not be shortened by a shift (see deadlines.ts).
 */
function resolveDayCounting(period: { shiftToNextWorkingDay?: boolean | 'not-stated' | undefined; holidayRegion?: HolidayRegion | undefined }, kind: 'notice' | 'response', vendorRegion: HolidayRegion) {
  const stated = period.shiftToNextWorkingDay !== undefined && period.shiftToNextWorkingDay !== NOT_STATED;
  const bgb193 = { applies: stated ? (period.shiftToNextWorkingDay as boolean) : kind === 'response', source: stated ? ('avv' as const) : ('statute' as const) };
  const holidayRegion = period.holidayRegion ? { region: period.holidayRegion, source: 'rule' as const } : { region: vendorRegion, source: 'vendor' as const };
  return { bgb193, holidayRegion };
}

/**
 * A period as the rule states it, without dates: what the AVV page shows for each rule. The
 * change terms add the dates a given announcement implies.
 */
export type PeriodDescription =
  | { stated: 'not-stated' }
  | { stated: 'wording'; wording: string }
  | ({ stated: 'fixed' } & Pick<NoticeTerms & { stated: 'fixed' }, 'wording' | 'amount' | 'unit' | 'qualifier' | 'bgb193' | 'holidayRegion'> & { countedFrom?: ResponseTermsFixed['countedFrom'] });

type ResponseTermsFixed = Extract<ResponseTerms, { stated: 'fixed' }>;

/** The period of a rule, resolved (§ 193, holiday region, counted from) but without dates. */
export function describePeriod(period: NoticePeriod | ResponsePeriod | 'not-stated', kind: 'notice' | 'response', vendorRegion: HolidayRegion): PeriodDescription {
  if (period === NOT_STATED) return { stated: 'not-stated' };
  if (period.amount === undefined || period.unit === undefined || period.qualifier === undefined) return { stated: 'wording', wording: period.wording };
  const { bgb193, holidayRegion } = resolveDayCounting(period, kind, vendorRegion);
  const countedFrom = 'countedFrom' in period ? period.countedFrom : undefined;
  return {
    stated: 'fixed',
    wording: period.wording,
    amount: period.amount,
    unit: period.unit,
    qualifier: period.qualifier,
    bgb193,
    holidayRegion,
    ...(kind === 'response' && {
      // § 130 BGB: a declaration to an absent person takes effect on receipt, so a period the
      // AVV does not anchor runs from receipt.
      countedFrom: countedFrom === 'announcement' || countedFrom === 'receipt' ? { from: countedFrom, source: 'avv' as const } : { from: 'receipt' as const, source: 'statute' as const },
    }),
  };
}

/** The deadline engine's rules for a resolved period. */
function rulesOf(period: { holidayRegion: { region: HolidayRegion }; bgb193: { applies: boolean } }): DeadlineRules {
  return { holidayRegion: period.holidayRegion.region, shiftToNextWorkingDay: period.bgb193.applies };
}

function noticeTerms(period: NoticePeriod | 'not-stated', announcedDate: string, vendorRegion: HolidayRegion): NoticeTerms {
  const described = describePeriod(period, 'notice', vendorRegion);
  if (described.stated !== 'fixed') return described;
  const { countedFrom: _noticeCountsFromAnnouncement, ...fixed } = described;
  return { ...fixed, earliestEffectiveDate: earliestEffectiveDate(announcedDate, fixed, rulesOf(fixed)) };
}

function responseTerms(period: ResponsePeriod | 'not-stated', announcedDate: string, vendorRegion: HolidayRegion): ResponseTerms {
  const described = describePeriod(period, 'response', vendorRegion);
  if (described.stated !== 'fixed') return described;
  return { ...described, countedFrom: described.countedFrom!, deadlineForAnnouncementDay: addPeriod(announcedDate, described, rulesOf(described)) };
}

/** How the customer's declaration must be made under `rule`; undefined for `information`. */
export function declarationOf(rule: ChangeRule): DeclarationTerms | undefined {
  if (rule.right === 'information') return undefined;
  return {
    form: rule.form ?? NOT_STATED,
    reasonsRequired: rule.reasonsRequired ?? NOT_STATED,
    ...(rule.reasonsWording !== undefined && { reasonsWording: rule.reasonsWording }),
    withdrawable: rule.withdrawable ?? NOT_STATED,
    ...(rule.withdrawal !== undefined && { withdrawal: rule.withdrawal }),
    lapsesAfterPeriod: rule.lapsesAfterPeriod ?? NOT_STATED,
    consequence: rule.consequence ?? NOT_STATED,
  };
}

/**
 * The terms of `change` under the AVV version in force on its announcement day.
 * Pure: the caller supplies the build day and the facts about the subprocessors concerned.
 * @throws Error when no AVV version is in force on the announcement day (validation reports that first)
 */
export function computeChangeTerms(change: Change, avvVersions: readonly AvvVersion[], context: ChangeTermsContext): ChangeTerms {
  const governing = versionInForceOn(avvVersions, change.announcedDate);
  if (!governing) throw new Error(`no AVV version is in force on ${change.announcedDate}, the announcement day`);
  const base = { governingAvvVersion: governing.version, changeKind: change.kind, thirdCountry: context.thirdCountry };
  const plainStatus: ChangeStatus = context.day < change.effectiveDate ? 'announced' : 'effective';
  if (governing.changeRules === NOT_STATED) return { ...base, basis: 'rules-not-stated', status: plainStatus };
  const rule = governingRule(governing.changeRules, change, context.thirdCountry);
  if (!rule) return { ...base, basis: 'outside-scope', status: plainStatus };

  const notice = noticeTerms(rule.noticePeriod, change.announcedDate, context.vendorHolidayRegion);
  const response = rule.right === 'information' || rule.responsePeriod === undefined ? undefined : responseTerms(rule.responsePeriod, change.announcedDate, context.vendorHolidayRegion);
  const declaration = declarationOf(rule);
  const status: ChangeStatus = response?.stated === 'fixed' && context.day <= response.deadlineForAnnouncementDay ? 'response-open' : plainStatus;
  return {
    ...base,
    basis: 'rule',
    ruleId: rule.id,
    ...(rule.clause !== undefined && { clause: rule.clause }),
    right: rule.right,
    notice,
    ...(response && { response }),
    ...(declaration && { declaration }),
    status,
  };
}

/**
 * The last day of one recipient's response period, for a notice that reached them on
 * `receivedOn` (Europe/Berlin calendar day): counted from receipt or from the announcement day,
 * as the terms say, with the same deadline engine. Null when the terms give no fixed period.
 */
export function responseDeadlineFor(terms: ChangeTerms, receivedOn: string): string | null {
  const response = terms.response;
  if (response?.stated !== 'fixed') return null;
  if (response.countedFrom.from === 'announcement') return response.deadlineForAnnouncementDay;
  return addPeriod(receivedOn, response, rulesOf(response));
}

/**
 * The first day a change may take effect when its notice reached a recipient only on
 * `receivedOn`: the notice period of the terms counted from that receipt, with the same engine
 * as `earliestEffectiveDate` on the announcement day. Null when the terms give no fixed period.
 */
export function earliestEffectiveDateFor(terms: ChangeTerms, receivedOn: string): string | null {
  const notice = terms.notice;
  if (notice?.stated !== 'fixed') return null;
  return earliestEffectiveDate(receivedOn, notice, rulesOf(notice));
}
