import { earliestEffectiveDateFor, type ChangeTerms, type DeclarationTerms, type PeriodDescription } from '../domain/change-terms.ts';
import type { ChangeScope, CustomerRight, DeclarationForm, PeriodQualifier } from '../schemas/change-rules.ts';
import type { Lang } from '../lib/paths.ts';
import { formatPeriod, holidayRegionName } from './period.ts';
import { formatDate, t, type UiKey } from './ui.ts';

/**
 * Words for the computed change terms, in one place: the change page, the change log, the AVV
 * page, feeds, the calendar and the Worker's notice mails all call these, so they say the same
 * thing about the same rule. Every date comes with what it is counted from.
 */

/**
 * A piece of a fact's value: our own words, or the AVV's words quoted as the contract states
 * them. Those are German on every page, so HTML marks them `lang="de"` (screen readers,
 * hyphenation) where the page is not German; plain text (mails) just quotes them.
 */
export type FactPart = string | { avvWording: string };

/** One labelled fact, rendered as a <dt>/<dd> pair, a feed list item or a mail line. */
export interface TermsFact {
  label: string;
  /** The value as plain text: `parts` joined, the AVV's words in German quotation marks. */
  value: string;
  /** The same value in pieces, for HTML that marks the AVV's words as German. */
  parts: readonly FactPart[];
}

/** The AVV's words as quoted in plain text. */
export function quotedWording(wording: string): string {
  return `„${wording}“`;
}

/** A fact made of pieces; its plain-text value is derived from them, never written twice. */
export function fact(label: string, ...parts: FactPart[]): TermsFact {
  const pieces = parts.filter((part) => part !== '');
  return { label, value: pieces.map((part) => (typeof part === 'string' ? part : quotedWording(part.avvWording))).join(''), parts: pieces };
}

const RIGHT: Record<CustomerRight, UiKey> = {
  objection: 'rightObjection',
  consent: 'rightConsent',
  'tacit-consent': 'rightTacitConsent',
  information: 'rightInformation',
};

const FORM: Record<Exclude<DeclarationForm, 'not-stated'>, UiKey> = { schriftform: 'formSchriftform', textform: 'formTextform', any: 'formAny' };

const QUALIFIER: Record<PeriodQualifier, UiKey | undefined> = { exactly: undefined, 'at-least': 'qualifierAtLeast', regularly: 'qualifierRegularly', 'at-the-latest': 'qualifierAtTheLatest' };

const KIND: Record<ChangeScope['kinds'][number], UiKey> = { add: 'kindAdd', replace: 'kindReplace', remove: 'kindRemove', update: 'kindUpdate' };

/** What the customer may do, as one sentence; covers changes no rule governs. */
export function rightText(terms: Pick<ChangeTerms, 'basis' | 'right'>, lang: Lang): string {
  if (terms.basis === 'outside-scope') return t(lang, 'rightOutsideScope');
  if (terms.basis === 'rules-not-stated') return t(lang, 'rightRulesNotStated');
  return t(lang, RIGHT[terms.right!]);
}

/** `true` / `false` / `not-stated` in words. */
export function yesNoText(value: boolean | 'not-stated', lang: Lang): string {
  if (value === 'not-stated') return t(lang, 'notStated');
  return value ? t(lang, 'yes') : lang === 'de' ? 'nein' : 'no';
}

export function formText(form: DeclarationForm, lang: Lang): string {
  return form === 'not-stated' ? t(lang, 'notStated') : t(lang, FORM[form]);
}

/** "mindestens 30 Kalendertage – „mindestens 30 Kalendertage vor …“"; the AVV's words always shown. */
function periodParts(period: PeriodDescription, lang: Lang): FactPart[] {
  if (period.stated === 'not-stated') return [t(lang, 'notStated')];
  if (period.stated === 'wording') return [{ avvWording: period.wording }, ` (${t(lang, 'noFixedPeriod')})`];
  const qualifier = QUALIFIER[period.qualifier];
  const amount = `${qualifier ? `${t(lang, qualifier)} ` : ''}${formatPeriod(period, lang)}`;
  return [`${amount} – `, { avvWording: period.wording }];
}

/** § 193 and the holiday region of a fixed period, in one sentence. */
export function dayCountingText(period: PeriodDescription, kind: 'notice' | 'response', lang: Lang): string | undefined {
  if (period.stated !== 'fixed') return undefined;
  const shift = period.bgb193.source === 'avv'
    ? t(lang, period.bgb193.applies ? 'bgb193Applies' : 'bgb193Excluded')
    : t(lang, kind === 'response' || period.bgb193.applies ? 'bgb193StatuteApplies' : 'bgb193StatuteNotApplied');
  const region = `${t(lang, 'holidaysOf')}: ${holidayRegionName(period.holidayRegion.region, lang)}${period.holidayRegion.source === 'vendor' ? ` (${t(lang, 'holidaysVendorFallback')})` : ''}`;
  return `${shift}. ${region}.`;
}

/** "gerechnet ab Zugang der Mitteilung" and friends. */
export function countedFromText(period: PeriodDescription, lang: Lang): string | undefined {
  if (period.stated !== 'fixed' || !period.countedFrom) return undefined;
  if (period.countedFrom.from === 'announcement') return t(lang, 'countedFromAnnouncement');
  return t(lang, period.countedFrom.source === 'avv' ? 'countedFromReceipt' : 'countedFromReceiptStatute');
}

function responseLabels(right: CustomerRight | undefined): { period: UiKey; deadline: UiKey } {
  if (right === 'consent') return { period: 'responsePeriodConsent', deadline: 'deadlineConsent' };
  if (right === 'tacit-consent') return { period: 'responsePeriodTacit', deadline: 'deadlineTacit' };
  return { period: 'responsePeriodObjection', deadline: 'deadlineObjection' };
}

/** Label of the response deadline for this right ("Widerspruch möglich bis", "Zustimmung bis"). */
export function deadlineLabel(terms: Pick<ChangeTerms, 'right'>, lang: Lang): string {
  return t(lang, responseLabels(terms.right).deadline);
}

/**
 * The response deadline with what it is counted from, for the site and feeds:
 * "07.12.2026 (gerechnet ab Zugang der Mitteilung; für eine am Tag der Ankündigung (20.11.2026)
 * zugegangene Mitteilung ist das der 07.12.2026)". Undefined without a fixed period.
 */
export function deadlineText(terms: ChangeTerms, announcedDate: string, lang: Lang): string | undefined {
  const response = terms.response;
  if (response?.stated !== 'fixed') return undefined;
  const deadline = formatDate(response.deadlineForAnnouncementDay, lang);
  if (response.countedFrom.from === 'announcement') return `${deadline} (${t(lang, 'countedFromAnnouncement')}, ${formatDate(announcedDate, lang)})`;
  return `${deadline} (${countedFromText(response, lang)}; ${t(lang, 'forAnnouncementDayReceipt').replace('{date}', formatDate(announcedDate, lang))} ${deadline})`;
}

/** The same for one recipient whose notice arrived on `receivedOn` (mail, webhook). */
export function recipientDeadlineText(terms: ChangeTerms, deadline: string, receivedOn: string, announcedDate: string, lang: Lang): string {
  const response = terms.response;
  if (response?.stated === 'fixed' && response.countedFrom.from === 'announcement') return `${formatDate(deadline, lang)} (${t(lang, 'countedFromAnnouncement')}, ${formatDate(announcedDate, lang)})`;
  return `${formatDate(deadline, lang)} (${t(lang, 'countedFromThisNotice')} ${formatDate(receivedOn, lang)})`;
}

/** The earliest effective date, counted from the announcement day. */
export function earliestEffectiveText(terms: ChangeTerms, announcedDate: string, lang: Lang): string | undefined {
  if (terms.notice?.stated !== 'fixed') return undefined;
  return `${formatDate(terms.notice.earliestEffectiveDate, lang)} (${t(lang, 'countedFromAnnouncement')}, ${formatDate(announcedDate, lang)})`;
}

/**
 * The earliest effective date for a recipient whose notice reached them on `receivedOn`: the
 * notice period runs from receipt, so a notice received after the announcement day names the
 * later date its recipient may rely on (the date the late-notice check also counts).
 */
export function recipientEarliestEffectiveText(terms: ChangeTerms, receivedOn: string, announcedDate: string, lang: Lang): string | undefined {
  if (receivedOn <= announcedDate) return earliestEffectiveText(terms, announcedDate, lang);
  const earliest = earliestEffectiveDateFor(terms, receivedOn);
  return earliest === null ? undefined : `${formatDate(earliest, lang)} (${t(lang, 'countedFromThisNotice')} ${formatDate(receivedOn, lang)})`;
}

/** Scope of a rule: "Neuer Unterauftragsverarbeiter, Austausch – nur bei … außerhalb von EU/EWR". */
export function scopeText(scope: ChangeScope, lang: Lang): string {
  const kinds = scope.kinds.map((kind) => t(lang, KIND[kind])).join(', ');
  const condition = scope.condition === 'third-country' ? t(lang, 'ruleConditionThirdCountry') : scope.condition === 'within-eea' ? t(lang, 'ruleConditionWithinEea') : undefined;
  return condition ? `${kinds} – ${condition}` : kinds;
}

/**
 * A change rule as the AVV itself refers to it: its clause and version ("§ 7 Abs. 3 bis 6 der
 * AVV 2.0"). The rule's `id` is the author's slug for it, not a word of the contract, so it is
 * shown only where the author stated no clause, and then says so. The change page, the AVV
 * page, feeds and mails all name a rule through this.
 */
export function ruleReference(rule: { id: string; clause?: string | undefined; avvVersion: string }, lang: Lang): string {
  if (rule.clause) return t(lang, 'ruleOfAvv').replace('{clause}', rule.clause).replace('{version}', rule.avvVersion);
  return t(lang, 'ruleWithoutClause').replace('{id}', rule.id).replace('{version}', rule.avvVersion);
}

/**
 * Whether and how the customer may take the declaration back, as the AVV states it: "ja,
 * jederzeit, mit Wirkung für die Zukunft. Form: in der AVV nicht angegeben. Gegenüber wem: in
 * der AVV nicht angegeben. § 8 Abs. 7: „…“". Everything the AVV leaves open is said to be open.
 * The change page, the declaration form, its receipt, feeds, the calendar and mails all word it
 * through this.
 */
export function withdrawalParts(declaration: Pick<DeclarationTerms, 'withdrawable' | 'withdrawal'>, lang: Lang): FactPart[] {
  const { withdrawable, withdrawal } = declaration;
  if (withdrawable !== true || withdrawal === undefined) return [yesNoText(withdrawable, lang)];
  const notStated = t(lang, 'notStated');
  const when = withdrawal.period === 'any-time' ? `, ${t(lang, 'withdrawalAnyTime')}` : `; ${t(lang, 'withdrawalUntilWhen')}: ${notStated}`;
  const effect = withdrawal.takesEffect === 'future' ? `, ${t(lang, 'withdrawalForTheFuture')}` : `; ${t(lang, 'withdrawalFromWhen')}: ${notStated}`;
  return [
    `${t(lang, 'yes')}${when}${effect}. ${t(lang, 'withdrawalForm')}: ${formText(withdrawal.form, lang)}. ${t(lang, 'withdrawalAddressee')}: `,
    ...(withdrawal.addressee === 'not-stated' ? [notStated] : [{ avvWording: withdrawal.addressee }]),
    `. ${withdrawal.clause === 'not-stated' ? t(lang, 'withdrawalClauseNotStated') : withdrawal.clause}: `,
    { avvWording: withdrawal.wording },
  ];
}

/** Whether and how the declaration can be taken back, as one labelled fact ("Erklärung widerruflich: ja, jederzeit, …"). */
export function withdrawalFact(declaration: Pick<DeclarationTerms, 'withdrawable' | 'withdrawal'>, lang: Lang): TermsFact {
  return fact(t(lang, 'withdrawable'), ...withdrawalParts(declaration, lang));
}

/**
 * How a consent to this change can be withdrawn, where the change asks for consent and the AVV
 * lets the customer withdraw it (`withdrawable: true`); undefined otherwise. The calendar and
 * the receipt mail of a consent carry only this one fact of the declaration: a customer who
 * consents learns there, too, that the consent is not final and how to take it back.
 */
export function consentWithdrawalFact(terms: Pick<ChangeTerms, 'right' | 'declaration'>, lang: Lang): TermsFact | undefined {
  if (terms.right !== 'consent' || terms.declaration?.withdrawable !== true) return undefined;
  return withdrawalFact(terms.declaration, lang);
}

/** Form, reasons, withdrawal, lapse and consequence, as facts. */
export function declarationFacts(declaration: DeclarationTerms, lang: Lang): TermsFact[] {
  return [
    fact(t(lang, 'declarationForm'), formText(declaration.form, lang)),
    fact(t(lang, 'reasonsRequired'), yesNoText(declaration.reasonsRequired, lang), ...(declaration.reasonsWording ? [' – ', { avvWording: declaration.reasonsWording }] : [])),
    withdrawalFact(declaration, lang),
    fact(t(lang, 'lapsesAfterPeriod'), yesNoText(declaration.lapsesAfterPeriod, lang)),
    fact(t(lang, 'consequence'), declaration.consequence === 'not-stated' ? t(lang, 'notStated') : { avvWording: declaration.consequence }),
  ];
}

/** "mindestens 30 Kalendertage – „…“, gerechnet ab …. Fällt das Fristende …" */
function periodFact(label: string, period: FactPart[], countedFrom: string | undefined, dayCounting: string | undefined): TermsFact {
  return fact(label, ...period, countedFrom ? `, ${countedFrom}` : '', dayCounting ? `. ${dayCounting}` : '');
}

/** The periods of a rule or a change, with what they count from and how days are counted. */
export function periodFacts(
  right: CustomerRight | undefined,
  notice: PeriodDescription | undefined,
  response: PeriodDescription | undefined,
  lang: Lang,
): TermsFact[] {
  const facts: TermsFact[] = [];
  if (notice) {
    facts.push(periodFact(t(lang, 'noticePeriod'), periodParts(notice, lang), notice.stated === 'fixed' ? t(lang, 'countedFromAnnouncement') : undefined, dayCountingText(notice, 'notice', lang)));
  }
  if (response) {
    facts.push(periodFact(t(lang, responseLabels(right).period), periodParts(response, lang), countedFromText(response, lang), dayCountingText(response, 'response', lang)));
  }
  return facts;
}

/**
 * Everything the terms of one change say, in order: right, governing rule, dates with what they
 * count from, periods, declaration. The change page, feed entries and mails show these facts;
 * a mail passes its `recipient`'s receipt day and deadline.
 */
export function termsFacts(terms: ChangeTerms, announcedDate: string, lang: Lang, recipient?: { receivedOn: string; deadline: string | null }): TermsFact[] {
  const facts: TermsFact[] = [fact(t(lang, 'customerRight'), rightText(terms, lang))];
  if (terms.basis !== 'rule') return facts;
  facts.push(fact(t(lang, 'governingRule'), ruleReference({ id: terms.ruleId!, clause: terms.clause, avvVersion: terms.governingAvvVersion }, lang)));
  const earliest = recipient ? recipientEarliestEffectiveText(terms, recipient.receivedOn, announcedDate, lang) : earliestEffectiveText(terms, announcedDate, lang);
  facts.push(fact(t(lang, 'earliestEffective'), earliest ?? t(lang, 'noFixedPeriod')));
  if (terms.right !== 'information') {
    // A notice tells its recipient their own deadline; the site, the one for announcement-day receipt.
    const deadline = recipient?.deadline ? recipientDeadlineText(terms, recipient.deadline, recipient.receivedOn, announcedDate, lang) : deadlineText(terms, announcedDate, lang);
    facts.push(fact(deadlineLabel(terms, lang), deadline ?? noDeadlineText(terms, lang)));
  }
  facts.push(...periodFacts(terms.right, terms.notice, terms.response, lang));
  if (terms.declaration) facts.push(...declarationFacts(terms.declaration, lang));
  return facts;
}

/** What stands in for a deadline the terms do not give: consent first, or why there is no date. */
export function noDeadlineText(terms: ChangeTerms, lang: Lang): string {
  if (terms.right === 'consent') return t(lang, 'consentBeforeEffective');
  return terms.response?.stated === 'not-stated' ? t(lang, 'notStated') : t(lang, 'noFixedPeriod');
}

/** One sentence for feed summaries and calendar descriptions. */
export function termsSentence(terms: ChangeTerms, announcedDate: string, lang: Lang): string {
  if (terms.basis !== 'rule' || terms.right === 'information') return `${rightText(terms, lang)}.`;
  const deadline = deadlineText(terms, announcedDate, lang);
  if (deadline) return `${rightText(terms, lang)}. ${deadlineLabel(terms, lang)} ${deadline}.`;
  return `${rightText(terms, lang)}. ${terms.right === 'consent' ? noDeadlineText(terms, lang) : `${deadlineLabel(terms, lang)}: ${noDeadlineText(terms, lang)}`}.`;
}

/** Heading of the "how to" section for the right: object or consent. */
export function howToHeading(terms: Pick<ChangeTerms, 'right'>, lang: Lang): string {
  return t(lang, terms.right === 'consent' ? 'howToConsent' : 'howToObject');
}

/** Text of the link to the declaration section: how to object, or how to consent. */
export function declarationDetailsLabel(terms: Pick<ChangeTerms, 'right'>, lang: Lang): string {
  return t(lang, terms.right === 'consent' ? 'consentDetails' : 'objectionDetails');
}

/** Subject prefix of the prefilled mail: "Widerspruch gegen Änderung" or "Zustimmung zu Änderung". */
export function declarationSubject(terms: Pick<ChangeTerms, 'right'>, lang: Lang): string {
  return t(lang, terms.right === 'consent' ? 'consentMailSubject' : 'objectionMailSubject');
}

/** Whether the terms give the customer a declaration to make (objection or consent). */
export function invitesDeclaration(terms: Pick<ChangeTerms, 'basis' | 'right'>): boolean {
  return terms.basis === 'rule' && terms.right !== 'information';
}
