/**
 * The search page's script (src/views/SearchView.astro). Pagefind's loader and index are
 * fetched on first use — a search typed or submitted, or `?q=` in the URL — never on page
 * load. Results are links with Pagefind's excerpt; its `<mark>` highlights are the only markup
 * kept, everything else in an excerpt is shown as text. All texts come from the page.
 */

/** What Pagefind's loader (`/pagefind/pagefind.js`) exports, as far as this page uses it. */
interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResult> }[] } | null>;
}

interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: { url: string; title: string; excerpt: string }[];
}

interface Messages {
  loading: string;
  none: string;
  count: string;
  failed: string;
}

/** Results rendered at most; Pagefind ranks, so the first ones are the ones that matter. */
const MAX_RESULTS = 20;

export {};

const searchForm = document.querySelector<HTMLFormElement>('form[data-search-form]');
const searchStatus = document.querySelector<HTMLElement>('[data-search-status]');
const resultList = document.querySelector<HTMLOListElement>('[data-search-results]');
if (searchForm && searchStatus && resultList) enhanceSearch(searchForm, searchStatus, resultList);

/*
 * Elements are filled with replaceChildren(), not append(): the Workers types this project
 * also loads redeclare Element.append for HTMLRewriter.
 */
function enhanceSearch(form: HTMLFormElement, status: HTMLElement, list: HTMLOListElement): void {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const messages = JSON.parse(form.dataset.messages ?? '{}') as Messages;
  let pagefind: Promise<Pagefind> | undefined;
  // Pagefind's own loader, from the built site: not part of the bundle, so imported by URL.
  const load = () => (pagefind ??= import(/* @vite-ignore */ new URL(form.dataset.loader!, location.href).href) as Promise<Pagefind>);
  let latest = 0;

  // With the script, the "needs JavaScript" notice gives way to the live status.
  status.textContent = '';

  const run = async (query: string) => {
    const ticket = ++latest;
    if (query.trim() === '') {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = messages.loading;
    try {
      const answer = await (await load()).search(query);
      const results = await Promise.all((answer?.results ?? []).slice(0, MAX_RESULTS).map((result) => result.data()));
      if (ticket !== latest) return;
      list.replaceChildren(...results.map(renderResult));
      status.textContent = (results.length === 0 ? messages.none : messages.count).replace('{query}', query).replace('{count}', String(answer?.results.length ?? 0));
    } catch (error) {
      console.error('search failed', error);
      if (ticket === latest) status.textContent = messages.failed;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    void run(input.value);
  });
  input.addEventListener('input', () => void run(input.value));

  const initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    void run(initial);
  }
}

function renderResult(result: PagefindResult): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = result.url;
  link.textContent = result.meta.title ?? result.url;
  const heading = document.createElement('h2');
  heading.replaceChildren(link);
  const excerpt = document.createElement('p');
  excerpt.replaceChildren(...highlighted(result.excerpt));
  const clauses = (result.sub_results ?? []).filter((sub) => sub.url !== result.url).slice(0, 3);
  const sub = document.createElement('ul');
  sub.replaceChildren(
    ...clauses.map((clause) => {
      const entry = document.createElement('li');
      const clauseLink = document.createElement('a');
      clauseLink.href = clause.url;
      clauseLink.textContent = clause.title;
      entry.replaceChildren(clauseLink);
      return entry;
    }),
  );
  item.replaceChildren(heading, excerpt, ...(clauses.length > 0 ? [sub] : []));
  return item;
}

/** Pagefind's excerpt as text nodes and `<mark>` elements, without parsing it as HTML. */
function highlighted(excerpt: string): Node[] {
  const decode = (text: string) => new DOMParser().parseFromString(`<!doctype html><body>${text}`, 'text/html').body.textContent ?? '';
  return excerpt.split(/(<mark>[\s\S]*?<\/mark>)/).map((part) => {
    const marked = /^<mark>([\s\S]*?)<\/mark>$/.exec(part);
    if (!marked) return document.createTextNode(decode(part));
    const mark = document.createElement('mark');
    mark.textContent = decode(marked[1]!);
    return mark;
  });
}
