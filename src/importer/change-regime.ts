import { found, notStated, type Extracted, type Found, type LineSpan } from './model.ts';
import { periodsIn, type PeriodMention } from './periods.ts';
import type { Heading } from './structure.ts';
import { paragraphsOf, sentencesOf, spanInParagraph } from './text.ts';

/**
 * The proposed change regime: what the clause on subprocessors says about announcing a change
 * and about the customer's answer. Each part quotes the sentence it was read from; a part the
 * clause does not state is not stated. This is a proposal for the author to confirm against
 * the contract, which is why the review lists every sentence it used.
 */
export type CustomerRight = 'objection' | 'consent' | 'tacit-consent' | 'information';
export type DeclarationForm = 'schriftform' | 'textform' | 'any';
export type ChangeKind = 'add' | 'replace' | 'remove' | 'update';
export type PeriodQualifier = 'exactly' | 'at-least' | 'regularly' | 'at-the-latest';

export interface PeriodDraft {
  /** The AVV's words for the period. Example: "regelmäßig 14 Werktage". */
  wording: string;
  amount?: number;
  unit?: PeriodMention['unit'];
  qualifier?: PeriodQualifier;
  /** Where a response period starts, where the sentence says ("nach Zugang", "ab Mitteilung"). */
  countedFrom?: 'receipt' | 'announcement';
}

export interface ChangeRegimeDraft {
  /** The clause the regime was read from. */
  clause: Extracted<{ heading: string; number: string; anchor: string }>;
  scope: Extracted<ChangeKind[]>;
  right: Extracted<CustomerRight>;
  noticePeriod: Extracted<PeriodDraft>;
  responsePeriod: Extracted<PeriodDraft>;
  form: Extracted<DeclarationForm>;
  reasons: Extracted<string>;
  consequence: Extracted<string>;
}

interface Sentence {
  text: string;
  lines: LineSpan;
}

const CLAUSE_TITLE = /unterauftrag|subunternehm|sub-?dienstleister|weitere(?:r|n)? auftragsverarbeiter|sub-?processor|unterbeauftrag/i;
const ANNOUNCE = /informier|unterricht|mitteil|\bteil(?:t|en)\b[^.]*\bmit\b|benachrichtig|ankündig|in kenntnis|anzeig|notif|inform/i;
const CHANGE = /änderung|neue|hinzuzieh|hinzuzuzieh|ersetz|austausch|weitere|beabsichtig|einsatz|beauftrag|change|new/i;
const OBJECTION = /widerspruch|widersprech|einspruch|einwend|einwände|einwand|object/i;
const TACIT = /gilt\s+(?:die\s+zustimmung\s+)?als\s+(?:erteilt|genehmigt|angenommen|zugestimmt|akzeptiert)|gilt\s+als\s+zustimmung|zustimmung\s+gilt\s+als|als\s+genehmigt|deemed\s+(?:to\s+have\s+been\s+)?(?:accepted|approved|consented)/i;
const CONSENT = /(?<!allgemeine[n]?\s(?:schriftliche[n]?\s)?)(?:vorherige[n]?\s+(?:ausdrückliche[n]?\s+)?(?:schriftliche[n]?\s+)?(?:zustimmung|genehmigung|einwilligung)|bedarf\s+der\s+(?:vorherigen\s+)?(?:ausdrücklichen\s+)?(?:schriftlichen\s+)?(?:zustimmung|genehmigung)|nur\s+mit\s+(?:vorheriger\s+)?(?:ausdrücklicher\s+)?(?:schriftlicher\s+)?(?:zustimmung|genehmigung)|prior\s+(?:written\s+)?(?:consent|approval))/i;
const CONSEQUENCE = /kündig|kündigung|sonderkündigung|terminat/i;
const REASONS = /aus wichtigem(?: \p{L}+)? grund|berechtigte[mn]? interesse|begründ|mit gründen|datenschutzrechtliche[nr]? gr(?:ü|u)nd|good cause|reasonable grounds/iu;
const RECEIPT = /nach\s+(?:dem\s+)?(?:zugang|erhalt|eingang)|ab\s+(?:zugang|erhalt)|after\s+receipt/i;
const FROM_ANNOUNCEMENT = /nach\s+(?:der\s+)?(?:mitteilung|ankündigung|information|benachrichtigung)|ab\s+(?:der\s+)?(?:mitteilung|ankündigung)/i;
const IN_ADVANCE = /\bvor\b|vorab|im voraus|vorher|vorfrist|before|in advance|prior/i;

/** Finds the clause governing subprocessor changes among the contract's top-level clauses and reads its regime. */
export function proposeChangeRegime(lines: readonly string[], clauses: readonly Heading[], mainTo: number): ChangeRegimeDraft {
  const topLevel = clauses.filter((clause) => clause.level === 2);
  const index = topLevel.findIndex((clause) => CLAUSE_TITLE.test(clause.title));
  if (index < 0) {
    const reason = 'no clause of the contract text is headed with subprocessors ("Unterauftragsverhältnisse", "Subunternehmer", "weitere Auftragsverarbeiter")';
    return { clause: notStated(reason), scope: notStated(reason), right: notStated(reason), noticePeriod: notStated(reason), responsePeriod: notStated(reason), form: notStated(reason), reasons: notStated(reason), consequence: notStated(reason) };
  }
  const heading = topLevel[index]!;
  const to = index + 1 < topLevel.length ? topLevel[index + 1]!.line - 1 : mainTo;
  const sentences: Sentence[] = paragraphsOf(lines, heading.line + 1, to).flatMap((paragraph) =>
    sentencesOf(paragraph).map((sentence) => ({ text: sentence.text, lines: spanInParagraph(paragraph, sentence.start, sentence.end) })),
  );
  const where = `not said in ${heading.text} (line ${heading.line})`;
  const first = (pattern: RegExp, among: readonly Sentence[] = sentences): Sentence | undefined => among.find((sentence) => pattern.test(sentence.text));
  const quoteOf = (sentence: Sentence, value: unknown, confidence: 'high' | 'medium' | 'low' = 'high'): Found<typeof value> => found(value, sentence.lines, sentence.text, confidence);

  const announcing = sentences.filter((sentence) => ANNOUNCE.test(sentence.text) && CHANGE.test(sentence.text));
  const objecting = sentences.filter((sentence) => OBJECTION.test(sentence.text));
  // "gilt als genehmigt" about the subprocessors at signing is no rule for changes: a tacit
  // consent rule ties the silence to a period or to not objecting.
  const tacit = sentences.find((sentence) => TACIT.test(sentence.text) && /innerhalb|binnen|frist|nicht\s+widersp|kein(?:en)?\s+(?:einspruch|widerspruch)|schweig|within|silence/i.test(sentence.text));
  const consent = first(CONSENT);

  let right: Extracted<CustomerRight> = notStated(where);
  if (tacit) right = quoteOf(tacit, 'tacit-consent') as Found<CustomerRight>;
  else if (consent) right = quoteOf(consent, 'consent') as Found<CustomerRight>;
  else if (objecting.length > 0) right = quoteOf(objecting[0]!, 'objection') as Found<CustomerRight>;
  else if (announcing.length > 0) right = quoteOf(announcing[0]!, 'information', 'medium') as Found<CustomerRight>;

  const noticePeriod = readNoticePeriod(announcing, where);
  const consenting = right.found && (right.value === 'consent' || right.value === 'tacit-consent') ? sentences.filter((sentence) => /zustimm|genehmig|einwillig|consent|approv/i.test(sentence.text)) : [];
  const responseSentences = right.found && right.value !== 'information' ? [...new Set([...(tacit ? [tacit] : []), ...(consent ? [consent] : []), ...consenting, ...objecting])] : [];
  const responsePeriod = right.found && right.value === 'information' ? notStated('the clause foresees no declaration by the customer') : readResponsePeriod(responseSentences, where, noticePeriod);

  const formSentence = responseSentences.find((sentence) => /schriftlich|schriftform|textform|in writing|per e-?mail/i.test(sentence.text));
  let form: Extracted<DeclarationForm> = notStated(`the form of the declaration is ${where}`);
  if (formSentence) {
    const value: DeclarationForm = /textform|per e-?mail|elektronisch/i.test(formSentence.text) ? 'textform' : 'schriftform';
    form = quoteOf(formSentence, value, /schriftlich(?!e genehmigung)/i.test(formSentence.text) && value === 'schriftform' ? 'medium' : 'high') as Found<DeclarationForm>;
  }
  const reasonsSentence = first(REASONS, responseSentences);
  // A phrase ("aus wichtigem Grund") is the AVV's words on which reasons count; a bare
  // "ist zu begründen" says only that reasons are needed, so the sentence is quoted whole.
  const reasonsMatch = reasonsSentence ? REASONS.exec(reasonsSentence.text)![0] : undefined;
  const reasonsWords = reasonsMatch && /^begründ/i.test(reasonsMatch) ? withoutItemNumber(reasonsSentence!.text) : reasonsMatch;
  const consequenceSentence = first(CONSEQUENCE);

  const scopeSentence = announcing[0] ?? consent ?? tacit;
  let scope: Extracted<ChangeKind[]> = notStated(`which changes the duty covers is ${where}`);
  if (scopeSentence) {
    const kinds: ChangeKind[] = [];
    if (/hinzuzieh|hinzuzuzieh|neue|weitere|zusätzlich|einsatz|beauftrag|new|additional|add/i.test(scopeSentence.text)) kinds.push('add');
    if (/ersetz|austausch|wechsel|replace/i.test(scopeSentence.text)) kinds.push('replace');
    if (/wegfall|entfern|beendig|streich|remov/i.test(scopeSentence.text)) kinds.push('remove');
    if (/jede[rns]?\s+(?:\p{L}+\s+)?änderung|alle\s+(?:\p{L}+\s+)?änderungen|any\s+(?:\p{L}+\s+)?change/iu.test(scopeSentence.text) && kinds.length === 0) kinds.push('add', 'replace', 'remove', 'update');
    if (kinds.length > 0) scope = found(kinds, scopeSentence.lines, scopeSentence.text, 'medium');
  }

  return {
    clause: found({ heading: heading.text, number: heading.number, anchor: heading.anchor }, { from: heading.line, to: heading.line }, lines[heading.line - 1]!.trim()),
    scope,
    right,
    noticePeriod,
    responsePeriod,
    form,
    reasons: reasonsSentence && reasonsWords ? found(reasonsWords, reasonsSentence.lines, reasonsSentence.text) : notStated(`whether reasons are needed is ${where}`),
    consequence: consequenceSentence ? found(withoutItemNumber(consequenceSentence.text), consequenceSentence.lines, consequenceSentence.text) : notStated(`the consequence of an objection is ${where}`),
  };
}

function qualifierOf(mention: PeriodMention): PeriodQualifier | undefined {
  if (mention.qualifier === undefined) return 'exactly';
  if (/regelmäßig|in der regel|grundsätzlich/i.test(mention.qualifier)) return 'regularly';
  if (/mindestens|wenigstens|at least/i.test(mention.qualifier)) return 'at-least';
  if (/spätestens|no later than/i.test(mention.qualifier)) return 'at-the-latest';
  return undefined;
}

function periodDraft(mention: PeriodMention): PeriodDraft {
  const qualifier = qualifierOf(mention);
  return { wording: mention.words, amount: mention.amount, unit: mention.unit, ...(qualifier ? { qualifier } : {}) };
}

function readNoticePeriod(announcing: readonly Sentence[], where: string): Extracted<PeriodDraft> {
  for (const sentence of announcing) {
    const mention = periodsIn(sentence.text).find((period) => !RECEIPT.test(sentence.text.slice(period.end, period.end + 40)));
    if (mention) return found(periodDraft(mention), sentence.lines, sentence.text, mention.bareDays ? 'medium' : 'high');
  }
  for (const sentence of announcing) {
    const words = /\b(vorab|im voraus|rechtzeitig(?: vorab| vorher)?|vorher|in advance)\b/i.exec(sentence.text);
    if (words) return found({ wording: words[0] }, sentence.lines, sentence.text, 'high');
  }
  return notStated(`a notice period is ${where}`);
}

function readResponsePeriod(sentences: readonly Sentence[], where: string, notice: Extracted<PeriodDraft>): Extracted<PeriodDraft> {
  for (const sentence of sentences) {
    // The notice period's own mention is not also the response window.
    const mention = periodsIn(sentence.text).find((period) => !(notice.found && notice.quote === sentence.text && notice.value.wording === period.words));
    if (!mention) continue;
    const after = sentence.text.slice(mention.end, mention.end + 60);
    const before = sentence.text.slice(Math.max(0, mention.start - 30), mention.start);
    // "… 14 Tage vor dem Einsatz informieren" in an objection sentence is the notice, not the window.
    if (IN_ADVANCE.test(after.split(/[,;]/)[0] ?? '') && !/innerhalb|binnen|within/i.test(before)) continue;
    const draft = periodDraft(mention);
    const text = `${before}${mention.words}${after}`;
    if (RECEIPT.test(text)) draft.countedFrom = 'receipt';
    else if (FROM_ANNOUNCEMENT.test(text)) draft.countedFrom = 'announcement';
    const wording = /(?:innerhalb|binnen|within)\s+(?:von\s+|einer\s+frist\s+von\s+)?$/i.exec(before);
    draft.wording = wording ? `${wording[0]}${mention.words}` : mention.words;
    return found(draft, sentence.lines, sentence.text, mention.bareDays ? 'medium' : 'high');
  }
  for (const sentence of sentences) {
    const words = /(?:innerhalb|binnen)\s+(?:der|dieser)\s+(?:vorfrist|frist|ankündigungsfrist)|bis zum (?:geplanten )?(?:einsatz|wirksamwerden)|unverzüglich/i.exec(sentence.text);
    if (words) return found({ wording: words[0] }, sentence.lines, sentence.text, 'medium');
  }
  return notStated(`a period for the customer's declaration is ${where}`);
}

/** A sentence without the paragraph number it opens with ("(4) Kommt …" → "Kommt …"). */
function withoutItemNumber(text: string): string {
  return text.replace(/^(?:[-–]\s*)?(?:\(\d+\)|\d+(?:\.\d+)*\.?|[a-z][.)])\s+/, '');
}
