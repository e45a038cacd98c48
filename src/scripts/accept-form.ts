/**
 * Progressive enhancement of the accept form (src/views/AcceptView.astro); without it the form
 * posts as usual. With it: the form is sent as JSON with an Idempotency-Key that stays the same
 * for this page view, so a double click or a retry after a lost answer never stores a second
 * record; field errors of a 400 are shown next to the fields; 409 (new AVV version), 429 and
 * 503 get a clear message; success navigates to the receipt page. All texts come from the page.
 */

/** One field error of a 400 problem: `errors` per the contract, `invalidParams` as fallback. */
interface FieldError {
  field: string;
  message?: string;
}

interface Problem {
  errors?: { field: string; message?: string }[];
  invalidParams?: { name: string; reason?: string }[];
}

/** What a 200/201 answer must let us build the receipt page URL from. */
interface AcceptanceAnswer {
  receiptUrl?: string;
  recordId?: string;
  receiptKey?: string;
  record?: { id?: string; recordId?: string };
}

const form = document.querySelector<HTMLFormElement>('form[data-accept-form]');
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  const key = crypto.randomUUID();
  const keyInput = form.elements.namedItem('idempotencyKey');
  // The no-JS path posts the form too (e.g. if fetch is blocked): keep the same key there.
  if (keyInput instanceof HTMLInputElement) keyInput.value = key;
  const summary = byId('accept-errors');
  const message = byId('accept-message');
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  const buttonText = button?.textContent ?? '';
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second click while the first request runs is ignored; the key covers retries after it.
    if (busy) return;
    busy = true;
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.msgSubmitting ?? buttonText;
    }
    clearErrors();
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key },
        body: JSON.stringify(payload()),
      });
      if (response.ok) {
        location.assign(receiptUrl(response, (await response.json()) as AcceptanceAnswer));
        return;
      }
      const problem = (await response.json().catch(() => ({}))) as Problem;
      if (response.status === 400) showFieldErrors(fieldErrors(problem));
      else if (response.status === 409) showMessage(form.dataset.msgStale, true);
      else if (response.status === 429 || response.status === 503) showMessage(form.dataset.msgRetry);
      else showMessage(form.dataset.msgFailed);
    } catch {
      // Network failure: nothing is known to be stored; a retry with the same key is safe.
      showMessage(form.dataset.msgRetry);
    } finally {
      busy = false;
      if (button) {
        button.disabled = false;
        button.textContent = buttonText;
      }
    }
  });

  function payload(): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, value] of new FormData(form)) {
      if (name !== 'idempotencyKey' && typeof value === 'string') body[name] = value;
    }
    if (body.accountId === '') delete body.accountId;
    body.authorised = body.authorised === 'on';
    return body;
  }

  function receiptUrl(response: Response, answer: AcceptanceAnswer): string {
    const direct = answer.receiptUrl ?? response.headers.get('location');
    if (direct) return direct;
    const id = answer.recordId ?? answer.record?.id ?? answer.record?.recordId ?? '';
    const query = new URLSearchParams({ id, key: answer.receiptKey ?? '' });
    return `${form.dataset.receiptPath ?? ''}?${query.toString()}`;
  }

  function fieldErrors(problem: Problem): FieldError[] {
    if (problem.errors) return problem.errors;
    return (problem.invalidParams ?? []).map((param) => ({ field: param.name, message: param.reason }));
  }

  function showFieldErrors(errors: FieldError[]): void {
    const list = summary?.querySelector('ul');
    if (!summary || !list) return;
    const seen = new Set<string>();
    for (const { field } of errors) {
      // Nested paths (e.g. "companyName.0") belong to their top-level field.
      const name = field.split('.')[0] ?? field;
      if (seen.has(name)) continue;
      seen.add(name);
      const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
      const text = byId(`error-${name}`);
      const control = byId(`field-${name}`);
      const item = document.createElement('li');
      if (wrapper && text && control) {
        wrapper.classList.add('invalid');
        text.hidden = false;
        control.setAttribute('aria-invalid', 'true');
        const link = document.createElement('a');
        link.href = `#${control.id}`;
        link.textContent = text.textContent;
        item.appendChild(link);
      } else {
        // A hidden field (version, hash, wording) failed: only a fresh page helps.
        item.textContent = form.dataset.msgPage ?? '';
      }
      list.appendChild(item);
    }
    summary.hidden = false;
    summary.focus();
  }

  function showMessage(text: string | undefined, reload = false): void {
    if (!message) return;
    const [paragraph] = message.getElementsByTagName('p');
    if (paragraph) paragraph.textContent = text ?? '';
    const reloadLink = message.querySelector<HTMLElement>('[data-reload]');
    if (reloadLink) reloadLink.hidden = !reload;
    message.hidden = false;
    message.focus();
  }

  function clearErrors(): void {
    if (summary) {
      summary.hidden = true;
      summary.querySelector('ul')?.replaceChildren();
    }
    if (message) message.hidden = true;
    for (const wrapper of form.querySelectorAll('.invalid')) wrapper.classList.remove('invalid');
    for (const text of form.querySelectorAll<HTMLElement>('.field-error')) text.hidden = true;
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  }
}

function byId(id: string): HTMLElement | null {
  return document.getElementById(id);
}
