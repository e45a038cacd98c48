import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DECLARATION_RECORD_FORMAT } from '../domain/declaration-record.ts';
import type { LogRecord } from '../domain/log-record.ts';
import { verifyReceipt, receiptKeyId, type Receipt } from '../domain/receipt.ts';
import { sha256Hex } from '../domain/sha256.ts';
import { publicKeyFromPem } from '../domain/signing-key.ts';
import { DEV_RECEIPT_SIGNING_KEY } from './lib/dev-receipt-key.ts';

/**
 * `npm run receipt:verify -- receipt.json [--document file] [--key key.pem]`: checks a receipt
 * the way a court expert would, without trusting the site: the Ed25519 signature over the payload,
 * the whole inclusion proof up to the signed checkpoint (RFC 9162, any tree size), the key id the
 * receipt names, and the SHA-256 of the accepted document. With both files given it needs no
 * network; otherwise it fetches the key list and the document from the site the receipt names.
 * Receipts of declarations on changes (objection, consent, …) are checked the same way; they
 * name no document, so there is none to hash.
 * Exit 0: valid; 1: a check failed (each reason printed); 2: could not check (missing input).
 */

/** One published key as /.well-known/trust-center/receipt-keys.json lists it. */
export interface KnownKey {
  keyId: string;
  publicKey: string;
  validFrom: string | null;
  validUntil: string | null;
  /** The local-development key (its private key is public): nothing it signed is evidence. */
  localDevelopment?: boolean;
}

export interface ReceiptCheckInput {
  /** The receipt as parsed JSON (untrusted). */
  receipt: unknown;
  /** The public key: a PEM file's text, or the published key entry (with validity). */
  key: { pem: string } | { published: KnownKey };
  /** The accepted document's bytes, when at hand (a declaration's receipt names none: ignored). */
  document: Uint8Array | null;
}

export interface ReceiptCheck {
  ok: boolean;
  /** What passed, one line each. */
  passed: string[];
  /** What failed and why, one line each. */
  problems: string[];
}

/**
 * The public half of the local-development key, derived from its private half (which is in the
 * repository): a receipt it signed is no evidence whichever way the key was handed to the
 * check, as a `--key` file just as much as from the published list.
 */
const LOCAL_DEVELOPMENT_PUBLIC_KEY = publicKeyFromPem(createPublicKey(DEV_RECEIPT_SIGNING_KEY).export({ type: 'spki', format: 'pem' }).toString())!;

function isLocalDevelopmentKey(raw: Uint8Array): boolean {
  return raw.length === LOCAL_DEVELOPMENT_PUBLIC_KEY.length && raw.every((byte, index) => byte === LOCAL_DEVELOPMENT_PUBLIC_KEY[index]);
}

/** All checks of one receipt; pure apart from WebCrypto, so tests call it directly too. */
export async function checkReceipt({ receipt, key, document }: ReceiptCheckInput): Promise<ReceiptCheck> {
  const passed: string[] = [];
  const problems: string[] = [];
  const pem = 'pem' in key ? key.pem : key.published.publicKey;
  const raw = publicKeyFromPem(pem);
  if (!raw) return { ok: false, passed, problems: ['key: not an Ed25519 public key in PEM'] };
  const r = receipt as Partial<Receipt<LogRecord>> | null;
  const keyId = typeof r?.keyId === 'string' ? r.keyId : '';
  const name = keyId.slice(0, keyId.lastIndexOf('+'));
  const givenId = await receiptKeyId(name, raw);
  if (keyId === '' || keyId !== givenId) {
    problems.push(`key id: the receipt names key "${keyId}", the key given is "${givenId}"`);
  } else {
    passed.push(`key id: ${keyId}`);
  }
  const declared = r?.record !== undefined && 'declaredAt' in r.record;
  const recordedAt = r?.record ? ('declaredAt' in r.record ? r.record.declaredAt : r.record.acceptedAt) : undefined;
  const verb = declared ? 'declared' : 'accepted';
  if (isLocalDevelopmentKey(raw) || ('published' in key && key.published.localDevelopment === true)) {
    problems.push('key: the receipt is signed with the published local-development key, whose private key is public; it is no evidence');
  } else if ('published' in key && typeof recordedAt === 'string') {
    const day = recordedAt.slice(0, 10);
    const { validFrom, validUntil } = key.published;
    if ((validFrom !== null && day < validFrom) || (validUntil !== null && day > validUntil)) {
      problems.push(`key validity: ${verb} on ${day}, but the key signed from ${validFrom ?? '?'} to ${validUntil ?? 'today'}`);
    } else {
      passed.push(`key validity: ${verb} on ${day}, key valid from ${validFrom ?? '(not archived)'}${validUntil ? ` to ${validUntil}` : ''}`);
    }
  }

  const verification = await verifyReceipt(receipt, raw);
  const labels = {
    signature: 'signature: Ed25519 over the payload',
    payload: 'payload: the fields shown are the signed ones',
    inclusion: `inclusion proof: leaf ${r?.leafIndex} leads to root ${r?.rootHash} of tree size ${r?.treeSize}`,
    checkpoint: 'checkpoint: signed by this key for that tree size and root',
  } as const;
  if (verification.leafHash === null) problems.push(...verification.problems);
  else {
    for (const [check, ok] of Object.entries(verification.checks) as [keyof typeof labels, boolean][]) {
      if (ok) passed.push(labels[check]);
    }
    problems.push(...verification.problems.map((problem) => `receipt: ${problem}`));
  }

  if (r?.record?.format === DECLARATION_RECORD_FORMAT) {
    passed.push(`record: ${r.record.kind} on change ${r.record.changeId} (a declaration names no document)`);
    return { ok: problems.length === 0, passed, problems };
  }
  const expected = r?.record && 'documentSha256' in r.record ? r.record.documentSha256 : undefined;
  if (document === null) {
    problems.push('document: not checked (no document given and none could be fetched)');
  } else {
    const actual = await sha256Hex(new Uint8Array(document));
    if (actual === expected) passed.push(`document: SHA-256 ${actual} is the accepted document hash`);
    else problems.push(`document: its SHA-256 is ${actual}, the receipt accepted ${String(expected)}`);
  }
  return { ok: problems.length === 0, passed, problems };
}

/** Where a receipt says its document lives; older receipts name only the hash. */
export function documentUrlOf(receipt: Receipt): string {
  return receipt.documentUrl ?? `https://${logSiteOf(receipt)}/avv/documents/${receipt.record.documentSha256}.json`;
}

/** The site of the log that signed it: the key name is "<host>[/path]/avv-acceptances". */
function logSiteOf(receipt: Receipt<LogRecord>): string {
  const name = receipt.keyId.slice(0, receipt.keyId.lastIndexOf('+'));
  return name.replace(/\/avv-acceptances$/, '');
}

function isDeclarationReceipt(receipt: Receipt<LogRecord>): boolean {
  return receipt.record?.format === DECLARATION_RECORD_FORMAT;
}

class CannotCheck extends Error {}

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error' });
  } catch (error) {
    throw new CannotCheck(`could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new CannotCheck(`could not fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function publishedKey(receipt: Receipt<LogRecord>): Promise<KnownKey> {
  const origin = isDeclarationReceipt(receipt) ? `https://${logSiteOf(receipt)}` : new URL(documentUrlOf(receipt as Receipt)).origin;
  const url = `${origin}/.well-known/trust-center/receipt-keys.json`;
  const list = JSON.parse(new TextDecoder().decode(await fetchBytes(url))) as { keys?: KnownKey[] };
  const key = list.keys?.find((candidate) => candidate.keyId === receipt.keyId);
  if (!key) throw new CannotCheck(`${url} does not list key "${receipt.keyId}"`);
  return key;
}

const USAGE = 'usage: npm run receipt:verify -- receipt.json [--document document.json] [--key receipt-key.pem]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { document: { type: 'string' }, key: { type: 'string' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [receiptPath, ...extra] = parsed.positionals;
  if (!receiptPath || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    let receipt: Receipt<LogRecord>;
    try {
      receipt = JSON.parse(await readFile(receiptPath, 'utf8')) as Receipt<LogRecord>;
    } catch (error) {
      throw new CannotCheck(`cannot read ${receiptPath} as JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof receipt !== 'object' || receipt === null || typeof receipt.keyId !== 'string' || (!isDeclarationReceipt(receipt) && typeof (receipt as Receipt).record?.documentSha256 !== 'string')) {
      throw new CannotCheck(`${receiptPath} is not a receipt (no keyId or record.documentSha256)`);
    }
    const readLocal = async (file: string) => {
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        throw new CannotCheck(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const key = parsed.values.key ? { pem: new TextDecoder().decode(await readLocal(parsed.values.key)) } : { published: await publishedKey(receipt) };
    const document = isDeclarationReceipt(receipt) ? null : parsed.values.document ? await readLocal(parsed.values.document) : await fetchBytes(documentUrlOf(receipt as Receipt));
    const result = await checkReceipt({ receipt, key, document });
    for (const line of result.passed) console.log(`ok    ${line}`);
    for (const line of result.problems) console.log(`FAIL  ${line}`);
    console.log(result.ok ? `Receipt valid: record ${receipt.record.recordId}.` : `Receipt NOT valid: ${result.problems.length} problem(s).`);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CannotCheck) {
      console.error(`Cannot check: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
