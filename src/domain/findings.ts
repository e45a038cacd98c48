import { NOT_STATED } from '../schemas/not-stated.ts';
import type { AcknowledgedFinding } from '../schemas/acknowledged-finding.ts';
import type { TransferMechanism } from '../schemas/subprocessor.ts';
import { REQUIRED_TOM_CATEGORIES, type TomCategory } from '../schemas/tom.ts';
import { hasAdequacyDecision, isInEea } from './countries.ts';
import { findingRule, type FindingRuleId, type FindingSeverity } from './finding-rules.ts';
import type { ContentProblem, PublicationSource } from './publication-source.ts';
import { mechanismsFor, thirdCountriesOf } from './subprocessor-facts.ts';
import { termsOfChanges } from './source-terms.ts';

/**
 * Legal findings: gaps in the vendor's paperwork, published truthfully but flagged. One named
 * function per rule (see finding-rules.ts for ids, severities and references); all findings
 * are returned at once. Pure: the caller loads the files.
 */

/**
 * What each rule's finding is about, as facts rather than sentences: the catalogue
 * (src/i18n/finding-text.ts) words them in the reader's language, so `npm run check` and a
 * German or English page say the same thing about the same gap.
 */
export interface FindingFactsByRule {
  'transfer-mechanism-missing': { country: string; /** The AVV names no mechanism at all, or none covering `country`. */ stated: 'none' | 'other-countries' };
  'transfer-basis-invalid': { country: string };
  'adequacy-decision-missing': { country: string };
  'dpf-outside-us': { country: string };
  'processing-location-not-stated': { subprocessor: string; seatCountry: string };
  'data-categories-not-stated': { subprocessor: string; field: 'dataCategories' | 'dataSubjects' };
  'dpo-not-named': Record<string, never>;
  'tom-category-not-covered': { category: TomCategory };
  'schriftform-without-postal-address': { changeRule: string; email: string };
  'change-rules-not-stated': { avvVersion: string };
  'consent-withdrawal-not-stated': { avvVersion: string; changeRule: string };
  'notice-shorter-than-regular': { effectiveDate: string; earliestEffectiveDate: string; wording: string };
  'notice-not-in-advance': { effectiveDate: string; wording: string };
  'translation-outdated': { source: string; /** SHA-256 of the German file now. */ sha256: string };
}

/** Which rule found what: the part of a finding that `findingMessage` words. */
export type FindingSubject = { [R in FindingRuleId]: { rule: R; /** What the finding is about. */ facts: FindingFactsByRule[R] } }[FindingRuleId];

/** One finding about one field of one file. */
export type Finding = FindingSubject & {
  severity: FindingSeverity;
  legalReference: string;
  file: string;
  field: string;
  fixHint: string;
};

/** A finding the author acknowledged in the file, with the reason they gave. */
export type AcknowledgedFindingReport = Finding & { reason: string };

/** Findings sorted into open and acknowledged; acknowledgements that match nothing are problems. */
export interface FindingsReport {
  open: Finding[];
  acknowledged: AcknowledgedFindingReport[];
  /** `acknowledgedFindings` entries that no longer match a finding: stale waivers are errors. */
  staleAcknowledgements: ContentProblem[];
}

function finding<R extends FindingRuleId>(rule: R, file: string, field: string, facts: FindingFactsByRule[R]): Finding {
  const { severity, legalReference, fixHint } = findingRule(rule);
  // TypeScript cannot tie a generic `R` to one member of the union; the signature does.
  return { rule, severity, legalReference, file, field, facts, fixHint } as Finding;
}

export function computeFindings(source: PublicationSource): Finding[] {
  return [
    ...findTransferGaps(source),
    ...findUnstatedLocations(source),
    ...findUnstatedCategories(source),
    ...findUnnamedDpo(source),
    ...findUncoveredTomCategories(source),
    ...findSchriftformWithoutPostalAddress(source),
    ...findUnstatedChangeRules(source),
    ...findConsentWithdrawalNotStated(source),
    ...findNoticeShorterThanRegular(source),
    ...findNoticeNotInAdvance(source),
    ...findOutdatedTranslations(source),
  ];
}

/** Transfers of one record (a subprocessor's or an onward transfer's) for one set of countries. */
function transferFindings(file: string, field: string, countries: readonly string[], transfers: readonly TransferMechanism[] | 'not-stated' | undefined): Finding[] {
  const findings: Finding[] = [];
  if (countries.length === 0 || transfers === undefined) return findings; // a missing field is an error (validate-publication)
  for (const country of countries) {
    const covering = transfers === NOT_STATED ? [] : mechanismsFor(transfers, country);
    if (covering.length === 0) {
      findings.push(finding('transfer-mechanism-missing', file, field, { country, stated: transfers === NOT_STATED ? 'none' : 'other-countries' }));
    }
    for (const mechanism of covering) {
      if (mechanism.type === 'adequacy' && !hasAdequacyDecision(country)) {
        findings.push(finding('adequacy-decision-missing', file, field, { country }));
      }
      if (mechanism.type === 'eu-us-dpf' && country !== 'US') {
        findings.push(finding('dpf-outside-us', file, field, { country }));
      }
      if (mechanism.type === 'privacy-shield') {
        findings.push(finding('transfer-basis-invalid', file, field, { country }));
      }
    }
  }
  return findings;
}

function findTransferGaps({ subprocessors }: PublicationSource): Finding[] {
  return subprocessors.flatMap(({ file, data }) => {
    // Where locations are not stated, a stated mechanism is still checked against the seat's country.
    const countries = data.locations === NOT_STATED ? (isInEea(data.address.country) ? [] : [data.address.country]) : thirdCountriesOf(data.locations);
    const own = transferFindings(file, 'transfers', countries, data.locations === NOT_STATED && data.transfers === undefined ? undefined : data.transfers);
    const onward = data.onwardTransfers.flatMap((transfer, index) =>
      transferFindings(file, `onwardTransfers[${index}].transfers`, isInEea(transfer.country) ? [] : [transfer.country], transfer.transfers),
    );
    return [...own, ...onward];
  });
}

function findUnstatedLocations({ subprocessors }: PublicationSource): Finding[] {
  return subprocessors
    .filter(({ data }) => data.locations === NOT_STATED)
    .map(({ file, data }) => finding('processing-location-not-stated', file, 'locations', { subprocessor: data.name, seatCountry: data.address.country }));
}

function findUnstatedCategories({ subprocessors }: PublicationSource): Finding[] {
  return subprocessors.flatMap(({ file, data }) =>
    (['dataCategories', 'dataSubjects'] as const)
      .filter((field) => data[field] === NOT_STATED)
      .map((field) => finding('data-categories-not-stated', file, field, { subprocessor: data.name, field })),
  );
}

function findUnnamedDpo({ vendor }: PublicationSource): Finding[] {
  if (!vendor || vendor.data.dataProtectionOfficer !== NOT_STATED) return [];
  return [finding('dpo-not-named', vendor.file, 'dataProtectionOfficer', {})];
}

function findUncoveredTomCategories({ tomVersions }: PublicationSource): Finding[] {
  return tomVersions.flatMap(({ file, data }) => {
    const covered = new Set(data.sections.flatMap((section) => section.categories));
    // One finding per category, each at its own field, so an acknowledgement can waive the gap
    // in one category (`field: sections[encryption]`) without waiving the others.
    return REQUIRED_TOM_CATEGORIES.filter((category) => !covered.has(category)).map((category) =>
      finding('tom-category-not-covered', file, `sections[${category}]`, { category }),
    );
  });
}

function findSchriftformWithoutPostalAddress({ avvVersions, vendor }: PublicationSource): Finding[] {
  if (!vendor || vendor.data.instructionsContact.postalAddress) return [];
  return avvVersions.flatMap(({ file, data }) =>
    data.changeRules === NOT_STATED
      ? []
      : data.changeRules.flatMap((rule, index) =>
          rule.form === 'schriftform'
            ? [finding('schriftform-without-postal-address', file, `changeRules[${index}].form`, { changeRule: rule.id, email: vendor.data.instructionsContact.email })]
            : [],
        ),
  );
}

function findUnstatedChangeRules({ avvVersions }: PublicationSource): Finding[] {
  return avvVersions
    .filter(({ data }) => data.changeRules === NOT_STATED)
    .map(({ file, data }) => finding('change-rules-not-stated', file, 'changeRules', { avvVersion: data.version }));
}

/**
 * A consent rule that leaves open whether the consent can be withdrawn. Only consent: an
 * objection the AVV is silent about is a declaration against a change, not an authorisation the
 * customer may want back (and declaring nothing is the customer's fallback there anyway).
 */
function findConsentWithdrawalNotStated({ avvVersions }: PublicationSource): Finding[] {
  return avvVersions.flatMap(({ file, data }) =>
    data.changeRules === NOT_STATED
      ? []
      : data.changeRules.flatMap((rule, index) =>
          rule.right === 'consent' && rule.withdrawable === NOT_STATED
            ? [finding('consent-withdrawal-not-stated', file, `changeRules[${index}].withdrawable`, { avvVersion: data.version, changeRule: rule.id })]
            : [],
        ),
  );
}

/** "regelmäßig 14 Werktage": a shorter notice is no breach, but customers deserve the reason. */
function findNoticeShorterThanRegular(source: PublicationSource): Finding[] {
  return termsOfChanges(source).flatMap(({ entry, terms }) => {
    const notice = terms?.notice;
    if (notice?.stated !== 'fixed' || notice.qualifier !== 'regularly' || entry.data.effectiveDate >= notice.earliestEffectiveDate) return [];
    return [finding('notice-shorter-than-regular', entry.file, 'effectiveDate', { effectiveDate: entry.data.effectiveDate, earliestEffectiveDate: notice.earliestEffectiveDate, wording: notice.wording })];
  });
}

/**
 * A change effective on its announcement day under a rule whose notice is in words only
 * ("rechtzeitig vorab"): no fixed period to miss, so no error, but nothing was announced in advance.
 */
function findNoticeNotInAdvance(source: PublicationSource): Finding[] {
  return termsOfChanges(source).flatMap(({ entry, terms }) => {
    const notice = terms?.notice;
    if (notice?.stated !== 'wording' || entry.data.effectiveDate > entry.data.announcedDate) return [];
    return [finding('notice-not-in-advance', entry.file, 'effectiveDate', { effectiveDate: entry.data.effectiveDate, wording: notice.wording })];
  });
}

/** A translation made from another state of the German file than the one published now. */
function findOutdatedTranslations({ translations = [] }: PublicationSource): Finding[] {
  return translations
    .filter(({ data }) => data.translatedFrom !== data.sourceSha256)
    .map(({ file, data }) => finding('translation-outdated', file, 'translatedFrom', { source: data.sourceFile, sha256: data.sourceSha256 }));
}

function acknowledgementsOf(source: PublicationSource): Map<string, AcknowledgedFinding[]> {
  const entries = [
    ...(source.vendor ? [source.vendor] : []),
    ...source.avvVersions,
    ...source.tomVersions,
    ...source.subprocessors,
    ...source.changes,
    ...(source.translations ?? []),
  ];
  return new Map(entries.map(({ file, data }) => [file, data.acknowledgedFindings]));
}

/** An acknowledgement without a field covers every finding of its rule in the file; with one, that field and below. */
function covers(acknowledgement: AcknowledgedFinding, found: Finding): boolean {
  if (acknowledgement.rule !== found.rule) return false;
  if (acknowledgement.field === undefined) return true;
  return found.field === acknowledgement.field || found.field.startsWith(`${acknowledgement.field}.`) || found.field.startsWith(`${acknowledgement.field}[`);
}

/** Sorts findings by the `acknowledgedFindings` of the files they are about. */
export function reportFindings(source: PublicationSource, findings: readonly Finding[] = computeFindings(source)): FindingsReport {
  const acknowledgements = acknowledgementsOf(source);
  const used = new Set<AcknowledgedFinding>();
  const open: Finding[] = [];
  const acknowledged: AcknowledgedFindingReport[] = [];
  for (const found of findings) {
    const match = acknowledgements.get(found.file)?.find((acknowledgement) => covers(acknowledgement, found));
    if (match) {
      used.add(match);
      acknowledged.push({ ...found, reason: match.reason });
    } else {
      open.push(found);
    }
  }
  const staleAcknowledgements: ContentProblem[] = [];
  for (const [file, list] of acknowledgements) {
    list.forEach((acknowledgement, index) => {
      if (!used.has(acknowledgement)) {
        staleAcknowledgements.push({ file, field: `acknowledgedFindings[${index}]`, message: `acknowledges "${acknowledgement.rule}"${acknowledgement.field ? ` at ${acknowledgement.field}` : ''}, but there is no such finding in this file: remove the acknowledgement` });
      }
    });
  }
  return { open, acknowledged, staleAcknowledgements };
}
