import { z } from 'zod';

/** The site's languages: German (the default, unprefixed URLs) and English (`/en/…`). */
export const LANGS = ['de', 'en'] as const;
export const LangSchema = z.enum(LANGS);
/** The one language type of site, Worker, mails and database rows. */
export type Lang = z.output<typeof LangSchema>;
