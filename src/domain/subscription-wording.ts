import type { Lang } from '../schemas/lang.ts';

/** The German consent text, unchanged since the first version; later versions changed only the English. */
const GERMAN_SINCE_2026_11_23 = 'Ich möchte per E-Mail über die gewählten Themen informiert werden: neue oder geänderte Unterauftragsverarbeiter, neue Fassungen des AVV und der TOMs. Die Adresse wird nur dafür verwendet, erst nach Bestätigung über den Link in der Bestätigungsmail, und ich kann mich mit dem Link in jeder Mail jederzeit abmelden. Gespeichert werden Zeit und IP-Adresse von Anmeldung und Bestätigung als Nachweis der Einwilligung.';

/**
 * The consent text shown next to the subscribe button. Its version is stored with every
 * sign-up, so the proof of consent says which words the person agreed to. Never edit a
 * published version: add a new one and make it CURRENT (old versions stay for the proof).
 */
export const SUBSCRIPTION_WORDINGS = {
  '2026-11-23': {
    de: GERMAN_SINCE_2026_11_23,
    en: 'I want to be informed by email about the chosen topics: new or changed subprocessors, new versions of the DPA (AVV) and the TOMs. The address is used for this only, only after I confirm it with the link in the confirmation mail, and I can unsubscribe at any time with the link in every mail. The time and IP address of sign-up and confirmation are stored as proof of consent.',
  },
  // The English text says "AVV" like every other English page (one name per concept); the
  // German text is unchanged. A new version, because people agreed to the words of the old one.
  '2026-12-02': {
    de: GERMAN_SINCE_2026_11_23,
    en: 'I want to be informed by email about the chosen topics: new or changed subprocessors, new versions of the AVV and the TOMs. The address is used for this only, only after I confirm it with the link in the confirmation mail, and I can unsubscribe at any time with the link in every mail. The time and IP address of sign-up and confirmation are stored as proof of consent.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type SubscriptionWordingVersion = keyof typeof SUBSCRIPTION_WORDINGS;

/** The version the subscribe form shows now. */
export const CURRENT_SUBSCRIPTION_WORDING: SubscriptionWordingVersion = '2026-12-02';

export const SUBSCRIPTION_WORDING_VERSIONS = Object.keys(SUBSCRIPTION_WORDINGS) as [SubscriptionWordingVersion, ...SubscriptionWordingVersion[]];
