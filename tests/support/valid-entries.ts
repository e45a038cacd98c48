/**
 * Valid raw entries (as YAML would parse them) for schema tests. Each test copies one and breaks
 * exactly one thing, so the error it expects can only come from that change.
 */
export const validSubprocessor = () => ({
  name: 'Mailer US',
  legalEntity: 'Mailer US Inc.',
  address: { street: '1 Main St', postalCode: '10001', city: 'New York', country: 'US' },
  groups: [{ de: 'E-Mail-Versand', en: 'Email delivery' }] as unknown[],
  purpose: 'Versand von Systemmails',
  dataCategories: ['kontaktdaten'],
  dataSubjects: ['beschaeftigte'],
  locations: [{ country: 'US', city: 'Ashburn' }],
  transfers: [{ type: 'eu-us-dpf' }] as unknown,
  since: '2024-06-01',
});

export const validChange = () => ({
  kind: 'add',
  title: 'Neuer Dienstleister',
  subprocessors: ['support-neu'],
  announcedDate: '2026-11-20',
  effectiveDate: '2026-12-28',
});

export const validAvv = () => ({
  version: '2.0',
  title: 'Vertrag über die Auftragsverarbeitung',
  effectiveDate: '2026-01-01',
  publishedDate: '2025-11-01',
  changeRules: [validChangeRule()] as unknown,
});

/** One objection rule as an AVV states it: 30 days' notice, 14 Werktage to object from receipt. */
export const validChangeRule = () => ({
  id: 'widerspruch',
  scope: { kinds: ['add', 'replace', 'update'] },
  right: 'objection',
  noticePeriod: { wording: 'mindestens 30 Tage vorher', amount: 30, unit: 'calendar-days', qualifier: 'at-least', shiftToNextWorkingDay: true, holidayRegion: 'BE' },
  responsePeriod: { wording: 'binnen 14 Werktagen nach Zugang', amount: 14, unit: 'werktage', qualifier: 'exactly', countedFrom: 'receipt', shiftToNextWorkingDay: true, holidayRegion: 'BE' } as Record<string, unknown> | string,
  form: 'textform',
  reasonsRequired: false,
  withdrawable: 'not-stated',
  lapsesAfterPeriod: true,
  consequence: 'Kündigung der betroffenen Leistungen',
});

export const validVendor = () => ({
  legalName: 'Testfirma GmbH',
  shortName: 'Testfirma',
  address: { street: 'Teststraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  instructionsContact: { name: 'Team Datenschutz', email: 'weisungen@testfirma.example' },
  dataProtectionOfficer: { name: 'Erika Muster', email: 'dsb@testfirma.example' },
  siteUrl: 'https://trust.testfirma.example',
  holidayRegion: 'BUND',
  security: { contact: 'mailto:security@testfirma.example', expires: '2030-01-01' },
});

export const validTomVersion = () => ({
  version: '2025-01',
  title: 'TOMs',
  effectiveDate: '2025-01-01',
  reviewedDate: '2025-01-01',
  sections: [{ id: 'alles', title: 'Alles', categories: ['physical-access'], measures: ['Chipkarte'] }],
});
