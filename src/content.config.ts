import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { load as parseYaml } from 'js-yaml';
import { contentDir } from './lib/content-dir.ts';
import { VendorSchema } from './schemas/vendor.ts';
import { DataCategorySchema } from './schemas/data-category.ts';
import { AvvVersionSchema } from './schemas/avv.ts';
import { TomVersionSchema } from './schemas/tom.ts';
import { SubprocessorSchema } from './schemas/subprocessor.ts';
import { ChangeSchema } from './schemas/change.ts';
import { AcceptanceWordingSchema } from './schemas/acceptance-wording.ts';
import { ReceiptKeySchema } from './schemas/receipt-key.ts';
import { ImprintSchema, PrivacyNoticeSchema } from './schemas/legal.ts';
import { TranslationSchema } from './schemas/translation.ts';

/** `content/vendor.yaml`, one document: read by every page's header and footer. */
const vendor = defineCollection({
  // Keyed by a fixed id so authors write the profile as a plain YAML document.
  loader: file(`${contentDir}/vendor.yaml`, { parser: (text) => ({ vendor: parseYaml(text) as Record<string, unknown> }) }),
  schema: VendorSchema,
});

/** `content/data-categories.yaml`: read by subprocessor pages and the matrix. */
const dataCategories = defineCollection({
  loader: file(`${contentDir}/data-categories.yaml`),
  schema: DataCategorySchema,
});

/** `content/avv/*.md`: the AVV page, archive, diff, manifest and feeds. */
const avv = defineCollection({
  // `*.en.md` are convenience translations (the `translations` collection), not versions.
  loader: glob({ base: `${contentDir}/avv`, pattern: ['*.md', '!*.en.md'] }),
  schema: AvvVersionSchema,
});

/** `content/toms/*.md`: the TOMs page and the accepted-document hash. */
const toms = defineCollection({
  loader: glob({ base: `${contentDir}/toms`, pattern: ['*.md', '!*.en.md'] }),
  schema: TomVersionSchema,
});

/** `content/subprocessors/*.yaml`: the list, one page each, the matrix, the hash. */
const subprocessors = defineCollection({
  loader: glob({ base: `${contentDir}/subprocessors`, pattern: '*.yaml' }),
  schema: SubprocessorSchema,
});

/** `content/changes/*.md`: the change log, home page, manifest and feeds. */
const changes = defineCollection({
  loader: glob({ base: `${contentDir}/changes`, pattern: ['*.md', '!*.en.md'] }),
  schema: ChangeSchema,
});

/** `content/acceptance-wording/*.md`: the checkbox text of the accept page and the manifest. */
const acceptanceWording = defineCollection({
  loader: glob({ base: `${contentDir}/acceptance-wording`, pattern: '*.md' }),
  schema: AcceptanceWordingSchema,
});

/** `content/receipt-keys/*.yaml`: the published key list (/.well-known/trust-center/receipt-keys.json). */
const receiptKeys = defineCollection({
  loader: glob({ base: `${contentDir}/receipt-keys`, pattern: '*.yaml' }),
  schema: ReceiptKeySchema,
});

/**
 * `content/legal/imprint.yaml` and `content/legal/privacy.yaml`: the Impressum and the privacy
 * notice, linked from every footer; the accept page reads the retention of acceptances. A glob
 * rather than `file()`, so a missing file is an empty collection the build reports by name.
 */
const imprint = defineCollection({
  loader: glob({ base: `${contentDir}/legal`, pattern: 'imprint.yaml' }),
  schema: ImprintSchema,
});
const privacyNotice = defineCollection({
  loader: glob({ base: `${contentDir}/legal`, pattern: 'privacy.yaml' }),
  schema: PrivacyNoticeSchema,
});

/**
 * `content/{avv,toms,changes}/*.en.md`: English convenience translations, shown on the English
 * AVV, TOMs and change pages. The id is the path as written ("toms/2026-01.en.md"), so it names
 * the German file it translates.
 */
const translations = defineCollection({
  loader: glob({ base: contentDir, pattern: '{avv,toms,changes}/*.en.md', generateId: ({ entry }) => entry }),
  schema: TranslationSchema,
});

export const collections = { vendor, dataCategories, avv, toms, subprocessors, changes, acceptanceWording, imprint, privacyNotice, receiptKeys, translations };
