import { canonicalJson } from './canonical-json.ts';
import { normaliseText } from './acceptance-document.ts';
import { sha256Hex } from './sha256.ts';

/** The authorisation wording next to the checkbox, per language; German is binding. */
export interface WordingText {
  de: string;
  en?: string | undefined;
}

/** Texts normalised like the contract (LF, NFC, no trailing blanks): what is shown and hashed. */
export function normaliseWordingText(text: WordingText): WordingText {
  return { de: normaliseText(text.de), ...(text.en !== undefined && { en: normaliseText(text.en) }) };
}

/** The wording as hashed: canonical JSON of the normalised texts. */
export function canonicalWordingText(text: WordingText): string {
  return canonicalJson({ ...normaliseWordingText(text) });
}

/**
 * SHA-256 (hex) of the canonical JSON `{"de":…,"en":…}` of the wording. Stored with every
 * acceptance, so a record proves which exact checkbox text the signer confirmed.
 */
export function hashWordingText(text: WordingText): Promise<string> {
  return sha256Hex(canonicalWordingText(text));
}
