import { escapeRegExp } from './text.ts';

/**
 * Words for the legal basis of a third-country transfer (Chapter V GDPR) as AVVs write them.
 * Privacy Shield is recognised so that an AVV still naming it is imported as what it says
 * (and flagged by the check as invalid since CJEU C-311/18), never silently replaced.
 */
export type TransferBasis = 'scc' | 'eu-us-dpf' | 'adequacy' | 'bcr' | 'privacy-shield' | 'art49';

const PATTERNS: readonly [TransferBasis, RegExp][] = [
  ['scc', /\bSCCs?\b|Standardvertragsklauseln|Standarddatenschutzklauseln|Standardschutzklauseln|Standard Contractual Clauses|Standard-Vertragsklauseln/i],
  ['eu-us-dpf', /\bDPF\b|Data Privacy Framework|Datenschutzrahmen/i],
  ['privacy-shield', /Privacy[\s-]?Shield/i],
  ['adequacy', /Angemessenheitsbeschluss|Angemessenheitsentscheidung|adequacy decision|angemessenes Datenschutzniveau/i],
  ['bcr', /\bBCRs?\b|Binding Corporate Rules|verbindliche(?:n)? interne(?:n)? Datenschutzvorschriften/i],
  ['art49', /Art\.?\s*49\s*(?:Abs\.?\s*1)?\s*(?:DSGVO|GDPR)/i],
];

export interface TransferMention {
  basis: TransferBasis;
  /** The words as printed. Example: "EU-Standardvertragsklauseln". */
  words: string;
  /** SCC module when the text names it ("Modul 3", "Module 2"). */
  sccModule?: number;
}

/** Every transfer basis named in a text, in the order of the table above, each once. */
export function transferBasesIn(rawText: string): TransferMention[] {
  // A link is evidence the author may check, not the AVV naming a basis.
  const text = rawText.replace(/<?https?:\/\/\S+>?/g, ' ');
  const mentions: TransferMention[] = [];
  for (const [basis, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const wordMatch = new RegExp(`[\\w-]*${escapeRegExp(match[0])}[\\w-]*`, 'u').exec(text);
    const mention: TransferMention = { basis, words: (wordMatch?.[0] ?? match[0]).trim() };
    if (basis === 'scc') {
      const module = /\bModul(?:e)?\s*(\d)\b/i.exec(text);
      if (module) mention.sccModule = Number(module[1]);
    }
    mentions.push(mention);
  }
  return mentions;
}
