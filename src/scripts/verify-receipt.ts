import { verifyReceipt, type ReceiptVerification } from '../domain/receipt.ts';
import { DECLARATION_RECORD_FORMAT } from '../domain/record-formats.ts';

/**
 * The verify page (src/views/VerifyView.astro): reads a pasted or chosen receipt, fetches the
 * published public key and runs the same `verifyReceipt` the tests use, entirely in the
 * browser. Texts come from the page's data attributes; the form stays hidden without JS.
 */

const form = document.querySelector<HTMLFormElement>('form[data-verify-form]');
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  const text = form.querySelector('textarea');
  const file = form.querySelector<HTMLInputElement>('input[type=file]');
  const result = document.getElementById('verify-result');
  if (!text || !file || !result) return;
  const messages = form.dataset;
  let keys: Promise<PublishedKey[]> | undefined;
  form.hidden = false;

  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) text.value = await chosen.text();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let receipt: unknown;
    try {
      receipt = JSON.parse(text.value);
    } catch {
      return show(messages.msgUnreadable, false);
    }
    let jwk: JsonWebKey;
    let developmentKey = false;
    try {
      keys ??= fetchKeys(messages.keysUrl ?? '');
      // The key the receipt names, retired or not; a receipt naming an unknown key is checked
      // against the active one and fails visibly.
      const named = (receipt as { keyId?: unknown }).keyId;
      const listed = await keys;
      const key = (listed.find((candidate) => candidate.keyId === named) ?? listed.find((candidate) => candidate.active) ?? listed[0])!;
      jwk = key.jwk;
      // Its private key is in the repository: the checks may pass, the receipt proves nothing.
      developmentKey = key.localDevelopment === true;
    } catch {
      keys = undefined;
      return show(messages.msgKeyUnavailable, false);
    }
    const verification = await verifyReceipt(receipt, jwk);
    if (verification.leafHash === null) return show(messages.msgUnreadable, false, verification);
    // A declaration on a change names no document: there is nothing to fetch and hash.
    const declaration = (receipt as { record?: { format?: unknown } }).record?.format === DECLARATION_RECORD_FORMAT;
    const document = declaration ? undefined : await checkArchivedDocument(messages.documentUrl ?? '', receipt);
    const checks = { ...verification.checks, ...(document !== undefined && { document }) };
    const valid = verification.valid && document !== false && !developmentKey;
    const verdict = developmentKey ? messages.msgDevelopmentKey : valid ? messages.msgAllPassed : messages.msgSomeFailed;
    show(verdict, valid, { leafHash: verification.leafHash, checks }, receipt);
  });

  function show(verdict: string | undefined, ok: boolean, verification?: { leafHash: string | null; checks: ReceiptVerification['checks'] & { document?: boolean } }, receipt?: unknown): void {
    const [heading, summary, list] = [result?.querySelector('.verdict'), result?.querySelector('dl'), result?.querySelector('ul')];
    if (!result || !heading || !list) return;
    heading.textContent = verdict ?? '';
    heading.className = `verdict ${ok ? 'verdict-ok' : 'verdict-bad'}`;
    list.replaceChildren();
    for (const [name, passed] of Object.entries(verification?.leafHash ? verification.checks : {})) {
      const item = document.createElement('li');
      item.dataset.check = name;
      const mark = document.createElement('span');
      mark.className = passed ? 'check-passed' : 'check-failed';
      mark.textContent = `${passed ? '✓' : '✗'} ${(passed ? messages.msgPassed : messages.msgFailed) ?? ''}`;
      item.textContent = `${form.dataset[`check${name[0]?.toUpperCase()}${name.slice(1)}`] ?? name}: `;
      item.appendChild(mark);
      list.appendChild(item);
    }
    if (summary) fillRecord(summary, receipt);
    result.hidden = false;
    result.focus();
  }
}

/**
 * Fetches the archived document the receipt's record names (`documentUrl` holds "{sha256}",
 * the same-origin archive path) and checks that its bytes hash to the accepted hash.
 */
async function checkArchivedDocument(urlTemplate: string, receipt: unknown): Promise<boolean> {
  const hash = (receipt as { record?: { documentSha256?: unknown } }).record?.documentSha256;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return false;
  try {
    const response = await fetch(urlTemplate.replace('{sha256}', hash));
    if (!response.ok) return false;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
    return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('') === hash;
  } catch {
    return false;
  }
}

interface PublishedKey {
  keyId: string;
  active: boolean;
  jwk: JsonWebKey;
  /** The local-development key (content/receipt-keys/): nothing it signed is evidence. */
  localDevelopment?: boolean;
}

/** Every published receipt key (/.well-known/trust-center/receipt-keys.json). */
async function fetchKeys(url: string): Promise<PublishedKey[]> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`receipt keys: HTTP ${response.status}`);
  const body = (await response.json()) as { keys?: PublishedKey[] };
  if (!body.keys?.length || !body.keys.every((key) => typeof key.jwk?.x === 'string')) throw new Error('receipt keys: no Ed25519 JWK');
  return body.keys;
}

const capitalised = (word: string) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`;

/**
 * Who accepted or declared what and when, as the receipt says (shown next to the verdict). A
 * declaration (objection, consent, …) is worded as one: it has `declaredAt`, an acceptance
 * `acceptedAt`, so the heading and the signer's label never call a declaration an acceptance.
 */
function fillRecord(list: HTMLElement, receipt: unknown): void {
  list.replaceChildren();
  const record = (receipt as { record?: Record<string, unknown> } | undefined)?.record;
  list.hidden = !record;
  if (!record) return;
  const declaration = typeof record.declaredAt === 'string';
  const heading = list.parentElement?.querySelector<HTMLElement>('.record-heading');
  if (heading) heading.textContent = (declaration ? heading.dataset.declaration : heading.dataset.acceptance) ?? heading.textContent;
  for (const name of (list.dataset.fields ?? '').split(',')) {
    const value = record[name];
    if (typeof value !== 'string') continue;
    const term = document.createElement('dt');
    term.textContent = (declaration ? list.dataset[`label${capitalised(name)}Declaration`] : undefined) ?? list.dataset[`label${capitalised(name)}`] ?? name;
    const detail = document.createElement('dd');
    // Coded values (a declaration's kind) have their words on the list: data-value-kind-objection.
    detail.textContent = list.dataset[`value${capitalised(name)}${capitalised(value)}`] ?? value;
    list.appendChild(term);
    list.appendChild(detail);
  }
}
