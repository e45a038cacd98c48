/**
 * Legal forms by which a company name is recognised ("Hetzner Online GmbH", "Cronofy Ltd.").
 * Longest first, so "GmbH & Co. KG" wins over "KG".
 */
const LEGAL_FORMS = [
  'GmbH & Co\\. KG', 'UG \\(haftungsbeschränkt\\)', 'gGmbH', 'GmbH', 'mbH', 'AG', 'SE', 'KGaA', 'KG', 'OHG', 'e\\.K\\.', 'e\\.V\\.',
  'Inc\\.?', 'LLC', 'L\\.L\\.C\\.', 'Ltd\\.?', 'Limited', 'Corp\\.?', 'Corporation', 'PLC', 'plc', 'LLP', 'LP', 'Pty Ltd',
  'S\\.A\\.R\\.L\\.', 'SARL', 'S\\.à r\\.l\\.', 'S\\.à\\.r\\.l\\.', 'S\\.A\\.S\\.', 'SAS', 'S\\.A\\.', 'SA', 'B\\.V\\.', 'BV', 'N\\.V\\.', 'NV',
  'K\\.K\\.', 'G\\.K\\.', 'Co\\., Ltd\\.', 'Pvt\\. Ltd\\.', 'S\\.p\\.A\\.', 'S\\.r\\.l\\.', 'Srl', 'S\\.L\\.', 'S\\.L\\.U\\.', 'sp\\. z o\\.o\\.', 'ApS', 'A/S', 'AS', 'AB', 'Oy', 'Oyj', 'GesmbH', 'Unlimited Company', 'DAC',
];

const LEGAL_FORM_AT_END = new RegExp(`(?:^|[\\s,])(${LEGAL_FORMS.join('|')})(?=$|[\\s,;)])`, 'u');

/**
 * The company name with its legal form at the start of a text ("Hetzner Online GmbH, Industriestr.
 * 25 …" → "Hetzner Online GmbH"), or undefined when no legal form closes a name there.
 */
export function companyAtStart(text: string): string | undefined {
  const match = LEGAL_FORM_AT_END.exec(text);
  if (!match) return undefined;
  const end = match.index + match[0].length;
  const name = text.slice(0, end).trim().replace(/^[,\s]+/, '');
  // A name is short; a legal form far into a sentence is a mention, not the name.
  if (name.length > 90 || name.split(/\s+/).length > 9) return undefined;
  return name;
}

/** Whether a text names a company with a legal form anywhere. */
export function hasLegalForm(text: string): boolean {
  return LEGAL_FORM_AT_END.test(text);
}
