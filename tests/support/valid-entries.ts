/**
 * Valid raw entries (as YAML would parse them) for schema tests. Each test copies one and breaks
 * exactly one thing, so the error it expects can only come from that change.
 */
export const validSubprocessor = () => ({
  name: 'Mailer US',
  legalEntity: 'Mailer US Inc.',
  address: { street: '1 Main St', postalCode: '10001', city: 'New York', country: 'US' },
  group: { de: 'E-Mail-Versand', en: 'Email delivery' },
  purpose: 'Versand von Systemmails',
  dataCategories: ['kontaktdaten'],
  dataSubjects: ['beschaeftigte'],
  locations: [{ country: 'US', city: 'Ashburn' }],
  transfers: [{ type: 'eu-us-dpf' }] as Array<Record<string, unknown>>,
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
  noticePolicy: {
    noticePeriod: { amount: 30, unit: 'calendar-days' },
    objectionPeriod: { amount: 14, unit: 'werktage' },
    rules: { holidayRegion: 'BE', shiftToNextWorkingDay: true },
  },
});

export const validVendor = () => ({
  legalName: 'Testfirma GmbH',
  shortName: 'Testfirma',
  address: { street: 'Teststraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  instructionsContact: { name: 'Team Datenschutz', email: 'weisungen@testfirma.example' },
  dataProtectionOfficer: { name: 'Erika Muster', email: 'dsb@testfirma.example' },
  siteUrl: 'https://trust.testfirma.example',
  security: { contact: 'mailto:security@testfirma.example', expires: '2030-01-01' },
});

export const validTomVersion = () => ({
  version: '2025-01',
  title: 'TOMs',
  effectiveDate: '2025-01-01',
  reviewedDate: '2025-01-01',
  sections: [{ id: 'alles', title: 'Alles', categories: ['physical-access'], measures: ['Chipkarte'] }],
});
