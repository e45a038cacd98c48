/**
 * What a table column or a record key of a subprocessor list means, by the words AVVs use for
 * it ("Sitz [Stadt, Land]", "Funktion/Tätigkeit", "Drittland", "Vertragliche Garantien").
 * Checked in this order because headers combine words: "Speicherort der Daten" is a location,
 * not a data category.
 */
export type SubprocessorField = 'location' | 'transfer' | 'certifications' | 'address' | 'data' | 'purpose' | 'legalEntity' | 'name' | 'contact';

const FIELD_WORDS: readonly [SubprocessorField, RegExp][] = [
  ['location', /ort der (daten)?verarbeitung|verarbeitungsort|standort|serverstandort|rechenzentr|speicherort|hosting-?ort|land der verarbeitung|drittland|drittstaat|third country|location|region|where/i],
  ['transfer', /garantie|übermittlungs|rechtsgrundlage der übermittlung|grundlage|transfer|mechanism|safeguard|vertragliche maßnahme/i],
  ['certifications', /zertifi|certif/i],
  ['address', /anschrift|adresse|sitz|address|registered office|niederlassung/i],
  ['contact', /kontakt|contact|e-?mail/i],
  ['data', /daten|data/i],
  ['purpose', /zweck|leistung|tätigkeit|funktion|gegenstand|purpose|service|beschreibung|aufgabe|verarbeitung|einsatz|activity/i],
  ['legalEntity', /rechtsträger|vertragspartner|gesellschaft|legal entity|firmierung/i],
  ['name', /^(?:name|system|dienst|dienstleister|anbieter|unternehmen|firma|unterauftrag\p{L}*|subunternehm\p{L}*|sub-?processor|company|provider|vendor|empfänger|auftragnehmer)\b/iu],
];

/** The field a header or key stands for, or undefined when it names none of them. */
export function fieldOfLabel(label: string): SubprocessorField | undefined {
  const text = label.replace(/<\/?\w+>/g, '').replace(/\*\*/g, '').trim();
  if (!text || text.length > 60) return undefined;
  return FIELD_WORDS.find(([, pattern]) => pattern.test(text))?.[0];
}
