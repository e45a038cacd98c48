import { describe, expect, it } from 'vitest';
import { splitClauses } from '../src/domain/clauses.ts';
import { redline } from '../src/lib/redline.ts';

const older = ['Präambel.', '## § 1 Gegenstand {#gegenstand}', '', 'Der Auftragnehmer verarbeitet Daten.', '## § 2 Alt {#alt}', '', 'Entfällt.', '## § 3 Audit {#audit}', '', 'Prüfung jährlich.'].join('\n');
const newer = ['Präambel.', '## § 1 Gegenstand {#gegenstand}', '', 'Der Auftragnehmer verarbeitet Daten des Kunden.', '## § 2 Audit {#audit}', '', 'Prüfung jährlich.', '## § 3 KI-Funktionen {#ki}', '', 'Neu.'].join('\n');

describe('splitClauses', () => {
  it('reads explicit anchors and falls back to a slug of the heading', () => {
    const { preamble, clauses } = splitClauses('Vorab.\n\n## § 1 Gegenstand {#gegenstand}\n\nText\n\n## § 2 Haftung und Schluss\n\nMehr');
    expect(preamble).toBe('Vorab.');
    expect(clauses.map((c) => [c.anchor, c.heading, c.explicitAnchor])).toEqual([
      ['gegenstand', '§ 1 Gegenstand', true],
      ['2-haftung-und-schluss', '§ 2 Haftung und Schluss', false],
    ]);
  });

  it('ignores headings inside code fences', () => {
    expect(splitClauses('## A {#a}\n\n```\n## not a clause\n```').clauses).toHaveLength(1);
  });
});

describe('redline', () => {
  const result = redline(older, newer);

  it('aligns clauses by anchor, keeping the newer order and deleted clauses in place', () => {
    expect(result.map((c) => [c.anchor, c.status])).toEqual([
      ['gegenstand', 'changed'],
      ['alt', 'removed'],
      ['audit', 'changed'],
      ['ki', 'added'],
    ]);
  });

  it('marks inserted words only', () => {
    const inserted = result[0]!.body.filter((p) => p.change === 'inserted').map((p) => p.text.trim());
    expect(inserted).toEqual(['des Kunden']);
    expect(result[0]!.body.some((p) => p.change === 'deleted')).toBe(false);
  });

  it('shows a renumbered clause as a heading change with an unchanged body', () => {
    const audit = result[2]!;
    expect(audit.heading.filter((p) => p.change !== 'kept').map((p) => [p.change, p.text])).toEqual([
      ['deleted', '3'],
      ['inserted', '2'],
    ]);
    expect(audit.body.every((p) => p.change === 'kept')).toBe(true);
  });

  it('reports identical texts as unchanged', () => {
    expect(redline(newer, newer).every((c) => c.status === 'unchanged')).toBe(true);
  });
});
