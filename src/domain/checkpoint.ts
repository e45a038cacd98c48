import { bytesEqual, concatBytes, fromBase64, toBase64, toHex, utf8 } from './encoding.ts';

/**
 * Checkpoints of the acceptance log in the C2SP formats (c2sp.org/tlog-checkpoint and
 * c2sp.org/signed-note): a body of "<origin>\n<tree size>\n<base64 root hash>\n", then a blank
 * line and one signature line "— <key name> <base64(key id ‖ Ed25519 signature)>". Any tool
 * that reads transparency-log checkpoints (Go's golang.org/x/mod/sumdb/note, for one) can
 * check them with the verifier key from `verifierKey()`.
 */
export interface Checkpoint {
  /** Unique name of the log, schema-less URL. Example: "trust.example.com/avv-acceptances". */
  origin: string;
  size: number;
  rootHash: Uint8Array<ArrayBuffer>;
}

/** The signer's identity in notes: the key name (the origin, by convention) and the public key. */
export interface NoteKey {
  name: string;
  publicKeyRaw: Uint8Array<ArrayBuffer>;
}

const SIGNATURE_TYPE_ED25519 = 0x01;
const EM_DASH = '\u2014';

export function checkpointBody({ origin, size, rootHash }: Checkpoint): string {
  return `${origin}\n${size}\n${toBase64(rootHash)}\n`;
}

/** C2SP signed-note key id: the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). */
export async function noteKeyId({ name, publicKeyRaw }: NoteKey): Promise<Uint8Array<ArrayBuffer>> {
  const digest = await crypto.subtle.digest('SHA-256', concatBytes(utf8(name), Uint8Array.of(0x0a, SIGNATURE_TYPE_ED25519), publicKeyRaw));
  return new Uint8Array(digest.slice(0, 4));
}

/** Verifier key string "<name>+<key id hex>+<base64(0x01 ‖ public key)>" of signed notes. */
export async function verifierKey(key: NoteKey): Promise<string> {
  return `${key.name}+${toHex(await noteKeyId(key))}+${toBase64(concatBytes(Uint8Array.of(SIGNATURE_TYPE_ED25519), key.publicKeyRaw))}`;
}

/** C2SP signed note: the text (ending in a newline), a blank line, one signature line. */
export async function signNote(text: string, key: NoteKey & { privateKey: CryptoKey }): Promise<string> {
  if (/[\s+]/.test(key.name) || key.name === '') throw new Error(`a note key name cannot be empty or hold spaces or "+": ${key.name}`);
  if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key.privateKey, utf8(text)));
  return `${text}\n${EM_DASH} ${key.name} ${toBase64(concatBytes(await noteKeyId(key), signature))}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, key: NoteKey & { privateKey: CryptoKey }): Promise<string> {
  return signNote(checkpointBody(checkpoint), key);
}

/** Parses a checkpoint body; null when it is not one. */
export function parseCheckpointBody(body: string): Checkpoint | null {
  const match = /^([^\n]+)\n(0|[1-9][0-9]*)\n([A-Za-z0-9+/]{43}=)\n(?:[^\n]+\n)*$/.exec(body);
  if (!match) return null;
  const size = Number(match[2]);
  if (!Number.isSafeInteger(size)) return null;
  return { origin: match[1]!, size, rootHash: fromBase64(match[3]!) };
}

/**
 * The text of a signed note when it carries a valid signature by `key` (matched by key name and
 * key id, as C2SP prescribes); null otherwise. Signatures by other keys are ignored.
 */
export async function openNote(note: string, key: NoteKey & { publicKey: CryptoKey }): Promise<string | null> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const text = note.slice(0, split + 1);
  const keyId = await noteKeyId(key);
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/=]+)$`).exec(line);
    if (!match || match[1] !== key.name) continue;
    let blob: Uint8Array<ArrayBuffer>;
    try {
      blob = fromBase64(match[2]!);
    } catch {
      continue;
    }
    if (blob.length !== 68 || !bytesEqual(blob.slice(0, 4), keyId)) continue;
    if (await crypto.subtle.verify('Ed25519', key.publicKey, blob.slice(4), utf8(text))) return text;
  }
  return null;
}

/** The checkpoint of a signed note, when `key` signed it and its body is a checkpoint. */
export async function verifyCheckpoint(note: string, key: NoteKey & { publicKey: CryptoKey }): Promise<Checkpoint | null> {
  const text = await openNote(note, key);
  return text === null ? null : parseCheckpointBody(text);
}
