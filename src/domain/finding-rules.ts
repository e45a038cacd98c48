/**
 * The catalogue of legal findings: gaps in the vendor's paperwork that the site can publish
 * truthfully but that a customer's data protection officer would flag. Unlike content errors,
 * a finding can be acknowledged in the file concerned (`acknowledgedFindings`, with a reason);
 * unacknowledged ones fail the build and `npm run check`.
 *
 * Ids are stable: authors write them in content files, tools read them from `--json`.
 */

/** How serious the gap is for a customer relying on the AVV. */
export type FindingSeverity = 'high' | 'medium' | 'low';

export interface FindingRule {
  /** Stable id, used in `acknowledgedFindings[].rule`. */
  id: string;
  severity: FindingSeverity;
  /** The provision the gap concerns. */
  legalReference: string;
  /** What the author (or the vendor's counsel) can do. */
  fixHint: string;
}

export const FINDING_RULES = [
  {
    id: 'transfer-mechanism-missing',
    severity: 'high',
    legalReference: 'Art. 44, 46 DSGVO',
    fixHint: 'name the transfer mechanism the AVV states (`transfers`), or acknowledge the gap with a reason',
  },
  {
    id: 'transfer-basis-invalid',
    severity: 'high',
    legalReference: 'EuGH C-311/18 (Schrems II); Art. 44 DSGVO',
    fixHint: 'the EU-US Privacy Shield has been invalid since 16 July 2020: ask the vendor for a valid basis, or acknowledge with a reason',
  },
  {
    id: 'adequacy-decision-missing',
    severity: 'high',
    legalReference: 'Art. 45 DSGVO',
    fixHint: 'the country has no EU adequacy decision: record the mechanism the AVV really relies on, or acknowledge with a reason',
  },
  {
    id: 'dpf-outside-us',
    severity: 'high',
    legalReference: 'Durchführungsbeschluss (EU) 2023/1795',
    fixHint: 'the EU-US Data Privacy Framework covers recipients in the US only: record the mechanism for this country',
  },
  {
    id: 'processing-location-not-stated',
    severity: 'medium',
    legalReference: 'Art. 28 Abs. 3 lit. a, Art. 44 DSGVO',
    fixHint: 'without a location nobody can tell whether data leaves the EU/EEA: record the locations once the vendor names them, or acknowledge',
  },
  {
    id: 'data-categories-not-stated',
    severity: 'medium',
    legalReference: 'Art. 28 Abs. 3 Satz 1 DSGVO (Art der Daten, Kategorien betroffener Personen)',
    fixHint: 'record the data categories and data subjects the AVV assigns to this subprocessor, or acknowledge',
  },
  {
    id: 'dpo-not-named',
    severity: 'low',
    legalReference: 'Art. 37 Abs. 7 DSGVO',
    fixHint: 'name the data protection officer if the vendor has one, or acknowledge why none is named',
  },
  {
    id: 'tom-category-not-covered',
    severity: 'medium',
    legalReference: 'Art. 32 Abs. 1 DSGVO',
    fixHint: 'add the measures the TOMs describe for this category, or acknowledge that the document names none',
  },
  {
    id: 'schriftform-without-postal-address',
    severity: 'medium',
    legalReference: '§ 126 BGB',
    fixHint: 'the AVV demands Schriftform (signed paper) but customers are only given an e-mail address: add `instructionsContact.postalAddress` in vendor.yaml, or acknowledge',
  },
  {
    id: 'change-rules-not-stated',
    severity: 'high',
    legalReference: 'Art. 28 Abs. 2 Satz 2 DSGVO',
    fixHint: 'a general authorisation requires informing the customer of changes: record the AVV clause, or acknowledge that it has none',
  },
  {
    id: 'consent-withdrawal-not-stated',
    // Low: Art. 28 Abs. 2 asks for a prior specific authorisation, not for a way to withdraw it;
    // the gap only leaves the customer unsure what the consent commits them to.
    severity: 'low',
    legalReference: 'Art. 28 Abs. 2 Satz 1 DSGVO (vorherige gesonderte Genehmigung)',
    fixHint: 'a customer asked to consent cannot tell whether the consent binds for good: record what the AVV says (`withdrawable: true` with `withdrawal`, or `false`), or acknowledge that it does not say',
  },
  {
    id: 'notice-shorter-than-regular',
    severity: 'medium',
    legalReference: 'Art. 28 Abs. 2 Satz 2 DSGVO',
    fixHint: 'the change takes effect sooner than the AVV\'s regular notice period: say why in the acknowledgement, or move the effective date',
  },
  {
    id: 'notice-not-in-advance',
    severity: 'medium',
    legalReference: 'Art. 28 Abs. 2 Satz 2 DSGVO',
    fixHint: 'the AVV asks for notice before a change but names no fixed period, and this change takes effect on the day it is announced, so no customer could object before it applied: move the effective date, or say in the acknowledgement why it could not wait',
  },
  {
    id: 'translation-outdated',
    severity: 'medium',
    legalReference: '§ 305c Abs. 2 BGB',
    fixHint: 'the German file changed after the English convenience translation was made, so the two may say different things (and doubts go against the vendor): update the translation and set `translatedFrom` to the SHA-256 the finding names, or acknowledge with a reason',
  },
] as const satisfies readonly FindingRule[];

export type FindingRuleId = (typeof FINDING_RULES)[number]['id'];

export const FINDING_RULE_IDS = FINDING_RULES.map((rule) => rule.id) as [FindingRuleId, ...FindingRuleId[]];

export function findingRule(id: FindingRuleId): FindingRule {
  return FINDING_RULES.find((rule) => rule.id === id)!;
}
