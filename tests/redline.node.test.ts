import { describe, expect, it } from 'vitest';
import { splitClauses } from '../src/domain/clauses.ts';
import { markdownBlocks, plainText } from '../src/lib/markdown-blocks.ts';
import { redline, sentenceDiff, type RedlineBlock, type RedlinePart } from '../src/lib/redline.ts';
import { splitSentences } from '../src/lib/sentences.ts';

const older = ['Präambel.', '## § 1 Gegenstand {#gegenstand}', '', 'Der Auftragnehmer verarbeitet Daten.', '## § 2 Alt {#alt}', '', 'Entfällt.', '## § 3 Audit {#audit}', '', 'Prüfung jährlich.'].join('\n');
const newer = ['Präambel.', '## § 1 Gegenstand {#gegenstand}', '', 'Der Auftragnehmer verarbeitet Daten des Kunden.', '## § 2 Audit {#audit}', '', 'Prüfung jährlich.', '## § 3 KI-Funktionen {#ki}', '', 'Neu.'].join('\n');

const changes = (parts: RedlinePart[]) => parts.filter((part) => part.change !== 'kept').map((part) => [part.change, part.text.trim()]);
const paragraphs = (blocks: RedlineBlock[]) => blocks.flatMap((block) => (block.kind === 'list' ? [] : [block]));

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

describe('markdownBlocks', () => {
  it('tells paragraphs, lists and sub-headings apart and joins soft line breaks', () => {
    const blocks = markdownBlocks(['(1) Erster Satz', 'geht weiter.', '', '- eins', '- zwei', '  mit Fortsetzung', '', '1. erstens', '2. zweitens', '', '### Unterabschnitt', 'Schluss.'].join('\n'));
    expect(blocks).toEqual([
      { kind: 'paragraph', text: '(1) Erster Satz geht weiter.' },
      { kind: 'list', ordered: false, items: ['eins', 'zwei mit Fortsetzung'] },
      { kind: 'list', ordered: true, items: ['erstens', 'zweitens'] },
      { kind: 'heading', level: 3, text: 'Unterabschnitt' },
      { kind: 'paragraph', text: 'Schluss.' },
    ]);
  });

  it('drops inline markers and prints link targets', () => {
    expect(plainText('**Wichtig:** siehe [Anlage](https://example.com/a) und *Art. 28*')).toBe('Wichtig: siehe Anlage (https://example.com/a) und Art. 28');
  });
});

describe('splitSentences', () => {
  it('does not end a sentence at legal abbreviations', () => {
    const text = 'Die Verarbeitung erfolgt gem. Art. 28 Abs. 3 DSGVO. Daten i. S. d. Vertrags sind z. B. Namen; Weiteres regelt § 5. (2) Absatz zwei.';
    expect(splitSentences(text)).toEqual(['Die Verarbeitung erfolgt gem. Art. 28 Abs. 3 DSGVO. ', 'Daten i. S. d. Vertrags sind z. B. Namen; ', 'Weiteres regelt § 5. ', '(2) Absatz zwei.']);
    expect(splitSentences(text).join('')).toBe(text);
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

  it('marks inserted words only when a sentence gains a few words', () => {
    const [paragraph] = paragraphs(result[0]!.blocks);
    expect(paragraph!.status).toBe('changed');
    expect(changes(paragraph!.parts)).toEqual([['inserted', 'des Kunden']]);
  });

  it('shows a renumbered clause as a heading change with an unchanged body', () => {
    const audit = result[2]!;
    expect(changes(audit.heading)).toEqual([
      ['deleted', '3'],
      ['inserted', '2'],
    ]);
    expect(paragraphs(audit.blocks).every((block) => block.status === 'kept')).toBe(true);
  });

  it('reports identical texts as unchanged', () => {
    expect(redline(newer, newer).every((c) => c.status === 'unchanged')).toBe(true);
  });

  it('strikes a rewritten sentence whole instead of interleaving its words', () => {
    const before = 'Wolkenwerk informiert den Kunden vier Wochen vorher. Der Kunde kann aus wichtigem Grund widersprechen.';
    const after = 'Wolkenwerk informiert den Kunden vier Wochen vorher. Ein Widerspruch bedarf keiner Begründung und ist in Textform an die Datenschutzbeauftragte zu richten.';
    expect(changes(sentenceDiff(before, after))).toEqual([
      ['deleted', 'Der Kunde kann aus wichtigem Grund widersprechen.'],
      ['inserted', 'Ein Widerspruch bedarf keiner Begründung und ist in Textform an die Datenschutzbeauftragte zu richten.'],
    ]);
    // The unchanged first sentence stays plain text.
    expect(sentenceDiff(before, after)[0]).toEqual({ change: 'kept', text: 'Wolkenwerk informiert den Kunden vier Wochen vorher. ' });
  });

  it('keeps word-level marks inside a sentence that changed a little, next to a rewritten one', () => {
    const before = 'Die Frist beträgt 48 Stunden. Der Bericht folgt später.';
    const after = 'Die Frist beträgt 36 Stunden. Spätestens einen Monat nach der Meldung erhält der Kunde einen Abschlussbericht.';
    expect(changes(sentenceDiff(before, after))).toEqual([
      ['deleted', '48'],
      ['inserted', '36'],
      ['deleted', 'Der Bericht folgt später.'],
      ['inserted', 'Spätestens einen Monat nach der Meldung erhält der Kunde einen Abschlussbericht.'],
    ]);
  });

  it('falls back to clause level where a word-level redline of the sentence would be noise', () => {
    const before = 'Einigen sich die Parteien nicht innerhalb von 14 Tagen nach Zugang des Widerspruchs, kann der Kunde die betroffenen Leistungen mit Wirkung zu dem Tag kündigen, an dem die Änderung wirksam werden soll.';
    const after = 'Kommt innerhalb von 30 Kalendertagen nach Zugang des Widerspruchs keine Einigung zustande, kann der Kunde die betroffenen Leistungen mit einer Frist von drei Monaten kündigen.';
    expect(changes(sentenceDiff(before, after))).toEqual([
      // The first clause was rewritten: struck and replaced whole, not word salad.
      ['deleted', 'Einigen sich die Parteien nicht innerhalb von 14 Tagen nach Zugang des Widerspruchs,'],
      ['inserted', 'Kommt innerhalb von 30 Kalendertagen nach Zugang des Widerspruchs keine Einigung zustande,'],
      // The second kept most words: the changed words as one run each, not word by word …
      ['deleted', 'Wirkung zu dem Tag kündigen,'],
      ['inserted', 'einer Frist von drei Monaten kündigen.'],
      // … and the dropped clause struck whole.
      ['deleted', 'an dem die Änderung wirksam werden soll.'],
    ]);
    expect(sentenceDiff(before, after).find((part) => part.change === 'kept' && part.text.includes('kann der Kunde die betroffenen Leistungen mit'))).toBeDefined();
  });

  it('keeps lists as lists and compares them item by item', () => {
    const before = '## § 2 Zwecke {#zwecke}\n\nZwecke:\n\n- Betrieb der Dienste;\n- Versand von Benachrichtigungen;\n- Abrechnung.';
    const after = '## § 2 Zwecke {#zwecke}\n\nZwecke:\n\n- Betrieb der Dienste;\n- Versand von Benachrichtigungen und Einladungen;\n- KI-gestützte Zusammenfassungen, wenn der Kunde sie aktiviert.';
    const [clause] = redline(before, after);
    expect(clause!.blocks.map((block) => block.kind)).toEqual(['paragraph', 'list']);
    const list = clause!.blocks[1]!;
    if (list.kind !== 'list') throw new Error('expected a list');
    expect(list.ordered).toBe(false);
    expect(list.items.map((item) => item.status)).toEqual(['kept', 'changed', 'deleted', 'inserted']);
    expect(changes(list.items[1]!.parts)).toEqual([['inserted', 'und Einladungen']]);
    expect(list.items[2]!.parts).toEqual([{ change: 'deleted', text: 'Abrechnung.' }]);
  });

  it('shows a paragraph inserted between kept ones as one insertion, the others untouched', () => {
    const before = '## § 1 A {#a}\n\n(1) Erstens.\n\n(2) Zweitens.';
    const after = '## § 1 A {#a}\n\n(1) Erstens.\n\n(2) Neu eingefügter Absatz über Fristen.\n\n(3) Zweitens.';
    const blocks = paragraphs(redline(before, after)[0]!.blocks);
    expect(blocks.map((block) => [block.status, changes(block.parts)])).toEqual([
      ['kept', []],
      ['inserted', [['inserted', '(2) Neu eingefügter Absatz über Fristen.']]],
      // The old (2) is the new (3): only its number changed.
      ['changed', [['deleted', '2'], ['inserted', '3']]],
    ]);
  });
});
