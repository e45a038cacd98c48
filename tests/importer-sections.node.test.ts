import { describe, expect, it } from 'vitest';
import { findTomSections } from '../src/importer/toms.ts';
import { countriesMentionedIn } from '../src/importer/countries.ts';
import { parseAddress } from '../src/importer/address.ts';
import { addressFields } from '../src/importer/emit/address-fields.ts';
import { findDataCategories } from '../src/importer/data-categories.ts';
import type { Heading } from '../src/importer/structure.ts';

/** Our own wording, in the shapes real annexes take: a long TOMs heading with an explanation in brackets. */
const LINES = [
  'Zugangskontrolle',
  '',
  'Alle Systeme sind nur nach Anmeldung mit persönlichem Konto erreichbar.',
  '',
  '- a. Passwörter werden nur als Hash gespeichert.',
  '',
  'Interne Zugriffskontrolle und Eingabekontrolle (Rechte der Benutzer, Daten zu lesen, zu ändern oder zu löschen, und deren Protokollierung)',
  '',
  'Rechte werden nach dem Prinzip der geringsten Berechtigung vergeben.',
  '',
  '- a. Änderungen an Daten werden mit Benutzer und Zeitpunkt protokolliert.',
];

describe('TOMs sections', () => {
  it('takes a long heading with an explanation in brackets as a heading, with the categories it names', () => {
    const { sections } = findTomSections(LINES, 1, LINES.length, new Set());
    expect(sections.map((section) => section.title.value)).toEqual([
      'Zugangskontrolle',
      'Interne Zugriffskontrolle und Eingabekontrolle (Rechte der Benutzer, Daten zu lesen, zu ändern oder zu löschen, und deren Protokollierung)',
    ]);
    expect(sections.map((section) => (section.categories.found ? section.categories.value : []))).toEqual([['system-access'], ['data-access', 'input-control']]);
  });
});

describe('data categories', () => {
  it('folds Word\'s "o" sub-bullets into the category above them instead of listing each as a category', () => {
    const lines = ['5. Art der Daten', '', '- Kontaktdaten (Telefon, E-Mail)', '- Metadaten (Nutzungsstatistiken)', ' - o IP-Adresse', ' - o Cookies', '- Gesundheitsangaben'];
    const drafts = findDataCategories(lines, [{ line: 1, level: 2, kind: 'numbered', number: '5.', ordinal: 5, title: 'Art der Daten' } as Heading], lines.length);
    expect(drafts.map(({ label, description }) => [label, description])).toEqual([
      ['Kontaktdaten', 'Telefon, E-Mail'],
      ['Metadaten', 'Nutzungsstatistiken, IP-Adresse, Cookies'],
      ['Gesundheitsangaben', undefined],
    ]);
  });
});

describe('addresses', () => {
  it('splits a US address whose parts are set off by commas, and keeps only the ZIP code of one run together', () => {
    expect(parseAddress('500 Pine Street, Seattle, WA 98101, USA')).toEqual({ text: '500 Pine Street, Seattle, WA 98101, USA', street: '500 Pine Street', city: 'Seattle, WA', postalCode: '98101', country: 'US' });
    expect(parseAddress('1801 Main Street, Suite 5 Denver, Colorado 80202, USA')).toEqual({ text: '1801 Main Street, Suite 5 Denver, Colorado 80202, USA', postalCode: '80202', country: 'US' });
  });

  it('leaves out a street and city the address prints but the importer could not split, instead of writing not-stated', () => {
    const unsplit = addressFields(parseAddress('1801 Main Street, Suite 5 Denver, Colorado 80202, USA'), 'subprocessors/x.yaml', 'address');
    expect(unsplit.value).toEqual({ postalCode: '80202', country: 'US' });
    expect(unsplit.gaps.map((gap) => gap.field)).toEqual(['address.street', 'address.city']);
    // "Dublin, Irland" prints no street: that one is not stated.
    expect(addressFields(parseAddress('Dublin, Irland'), 'subprocessors/x.yaml', 'address')).toEqual({ value: { street: 'not-stated', postalCode: 'not-stated', city: 'Dublin', country: 'IE' }, gaps: [] });
  });
});

describe('locations stated outside the list', () => {
  it('finds the countries a sentence names, inflected as German sentences name them', () => {
    expect(countriesMentionedIn('Die Daten werden in den Vereinigten Staaten von Amerika und in Irland gespeichert.').map((place) => (place.kind === 'country' ? place.code : ''))).toEqual(['US', 'IE']);
    expect(countriesMentionedIn('Support aus dem Vereinigten Königreich').map((place) => (place.kind === 'country' ? place.code : ''))).toEqual(['GB']);
    expect(countriesMentionedIn('Kein Land genannt, nur Frankfurt.')).toEqual([]);
  });
});
