import { describe, expect, it } from 'vitest';
import { findTomSections } from '../src/importer/toms.ts';

/** Our own wording, in the shape real TOMs annexes take: a long heading with an explanation in brackets. */
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
