import { LANGS, type Lang } from './paths.ts';

/*
 * One route file per page for both languages, as Starlight does it: every page lives under
 * `src/pages/[...lang]/`, whose rest parameter is empty for German (the default locale, at the
 * site root) and `en` for English. Prerendered pages get both from `langPaths()`; pages the
 * Worker renders per request read the parameter with `langOfParam()`.
 */

/** What a page under `src/pages/[...lang]/` receives besides its own props. */
export interface LangProps {
  lang: Lang;
}

/** The `[...lang]` parameter of a language: none for German, `en` for English. */
export const langParam = (lang: Lang): string | undefined => (lang === 'de' ? undefined : lang);

/** One static path of a page: Astro's params and the props the page renders from. */
interface PagePath<Params, Props> {
  params: Params;
  props: Props;
}

/**
 * `getStaticPaths` of a page under `src/pages/[...lang]/`: the page once per language or, given
 * the page's own paths (one per AVV version, subprocessor, change …), each of them once per
 * language. `export const getStaticPaths = () => langPaths(avvVersionPaths);`
 */
export async function langPaths<Params extends Record<string, string> = Record<never, never>, Props extends object = Record<never, never>>(
  pagePaths: () => PagePath<Params, Props>[] | Promise<PagePath<Params, Props>[]> = () => [{ params: {} as Params, props: {} as Props }],
): Promise<PagePath<Params & { lang: string | undefined }, Props & LangProps>[]> {
  const own = await pagePaths();
  return LANGS.flatMap((lang) => own.map(({ params, props }) => ({ params: { ...params, lang: langParam(lang) }, props: { ...props, lang } })));
}

/**
 * The language of a page rendered per request from its `[...lang]` parameter; undefined when
 * the parameter names no language (`/xx/avv/accept/receipt/`), which the page answers with 404.
 */
export function langOfParam(param: string | undefined): Lang | undefined {
  return LANGS.find((lang) => langParam(lang) === param);
}
