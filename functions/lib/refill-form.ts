/**
 * A form posted without JavaScript that the Worker refuses (accept, subscribe) comes back as the
 * same page with what was typed and each error next to its field — never as an empty form. The
 * page is the prerendered one from the deployment's assets, so its text and markup have one
 * source; HTMLRewriter fills in the values (it escapes them) and reveals the errors the page
 * already holds: `[data-field="<name>"]` gets the class `invalid`, `#error-<name>` loses
 * `hidden`, and the summary with id `summaryId` shows without the `#…` fragment it waits for.
 */
export interface RefusedForm {
  /** The prerendered page that holds the form, e.g. "/avv/accept/". */
  pagePath: string;
  /** The posted fields as read from the body (strings, or string lists for repeated names). */
  values: Record<string, unknown>;
  /** Names of the fields that are wrong. */
  invalid: readonly string[];
  /** Id of the page's error summary. */
  summaryId: string;
  /** Text for elements by id, e.g. the reason a declaration was refused (escaped on the way in). */
  texts?: Record<string, string>;
  /** HTTP status of the answer; 400 (invalid fields) unless given. */
  status?: 400 | 409 | 422;
}

/** Answers 400 with the form page refilled; the values are personal data, so never cached. */
export async function refilledFormPage(assets: Fetcher, requestUrl: string, form: RefusedForm): Promise<Response> {
  const page = await assets.fetch(new URL(form.pagePath, requestUrl));
  if (!page.ok) throw new Error(`${form.pagePath} is missing from the deployment (HTTP ${page.status})`);
  const invalid = new Set(form.invalid);
  const given = (name: string): string[] => {
    const value = form.values[name];
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
  };
  let rewriter = new HTMLRewriter();
  for (const [id, text] of Object.entries(form.texts ?? {})) rewriter = rewriter.on(`#${id}`, { element: (element) => void element.setInnerContent(text) });
  const rewritten = rewriter
    .on('form input[name]', {
      element(input) {
        const name = input.getAttribute('name')!;
        const type = (input.getAttribute('type') ?? 'text').toLowerCase();
        // Hidden fields carry what the page showed (version, hash): the page's own values stay.
        if (type === 'hidden' || type === 'submit') return;
        if (invalid.has(name)) input.setAttribute('aria-invalid', 'true');
        if (type === 'checkbox' || type === 'radio') {
          if (given(name).includes(input.getAttribute('value') ?? 'on')) input.setAttribute('checked', '');
          else input.removeAttribute('checked');
          return;
        }
        const [value] = given(name);
        if (value !== undefined) input.setAttribute('value', value);
      },
    })
    .on('form textarea[name]', {
      element(textarea) {
        const name = textarea.getAttribute('name')!;
        if (invalid.has(name)) textarea.setAttribute('aria-invalid', 'true');
        const [value] = given(name);
        if (value !== undefined) textarea.setInnerContent(value);
      },
    })
    .on('[data-field]', {
      element(field) {
        if (invalid.has(field.getAttribute('data-field')!)) field.setAttribute('class', `${field.getAttribute('class') ?? ''} invalid`.trim());
      },
    })
    .on('[id^="error-"]', {
      element(error) {
        if (invalid.has(error.getAttribute('id')!.slice('error-'.length))) error.removeAttribute('hidden');
      },
    })
    .on(`#${form.summaryId}`, {
      element(summary) {
        summary.setAttribute('class', (summary.getAttribute('class') ?? '').replace(/\bwhen-target\b/, '').trim());
        summary.setAttribute('role', 'alert');
      },
    })
    .transform(page);
  const headers = new Headers(rewritten.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('cache-control', 'no-store');
  headers.delete('etag');
  headers.delete('content-length');
  return new Response(rewritten.body, { status: form.status ?? 400, headers });
}
