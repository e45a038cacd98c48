import { describe, expect, it } from 'vitest';
import { checkpointBody, noteKeyId, openNote, parseCheckpointBody, signCheckpoint, signNote, verifierKey, verifyCheckpoint } from '../src/domain/checkpoint.ts';
import { concatBytes, fromBase64, fromHex, toHex } from '../src/domain/encoding.ts';
import { generateSigningKeySecret, importPublicKey, importSigningKey, publicKeyJwk, publicKeyPem } from '../src/domain/signing-key.ts';

// Reference vector of golang.org/x/mod/sumdb/note (note.go package docs and note_test.go).
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SIGNER_SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

/** The Go signer key's seed as a PKCS#8 DER (base64), the form RECEIPT_SIGNING_KEY takes. */
function goSecret(): string {
  const seed = fromBase64(GO_SIGNER_SEED).slice(1);
  return Buffer.from(concatBytes(fromHex('302e020100300506032b657004220420'), seed)).toString('base64');
}

describe('C2SP signed notes (Go sumdb/note reference vector)', () => {
  it('derives the key id and verifier key', async () => {
    const key = await importSigningKey(goSecret());
    expect(toHex(await noteKeyId({ name: 'PeterNeumann', publicKeyRaw: key.publicKeyRaw }))).toBe('c74f20a3');
    expect(await verifierKey({ name: 'PeterNeumann', publicKeyRaw: key.publicKeyRaw })).toBe(GO_VERIFIER_KEY);
  });

  it('signs byte-identically and opens the reference note', async () => {
    const key = await importSigningKey(goSecret());
    expect(await signNote(GO_TEXT, { ...key, name: 'PeterNeumann' })).toBe(GO_NOTE);
    const publicKeyRaw = fromBase64(GO_VERIFIER_KEY.split('+')[2]!).slice(1);
    const verifier = { name: 'PeterNeumann', publicKeyRaw, publicKey: await importPublicKey(publicKeyRaw) };
    expect(await openNote(GO_NOTE, verifier)).toBe(GO_TEXT);
  });

  it.each([
    ['another key name', (note: string) => note.replace('\u2014 PeterNeumann', '\u2014 PeterNeumannX')],
    ['a changed text', (note: string) => note.replace('cryptography', 'Cryptography')],
    ['a changed signature', (note: string) => note.replace('x08go', 'x08gp')],
    ['no blank line', (note: string) => note.replace('\n\n', '\n')],
    ['no final newline', (note: string) => note.slice(0, -1)],
  ])('rejects %s', async (_name, mangle) => {
    const publicKeyRaw = fromBase64(GO_VERIFIER_KEY.split('+')[2]!).slice(1);
    const verifier = { name: 'PeterNeumann', publicKeyRaw, publicKey: await importPublicKey(publicKeyRaw) };
    expect(await openNote(mangle(GO_NOTE), verifier)).toBeNull();
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const root = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');

  it('writes origin, size and base64 root, one per line', () => {
    expect(checkpointBody({ origin: 'trust.example.com/avv-acceptances', size: 8, rootHash: root })).toBe(
      'trust.example.com/avv-acceptances\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n',
    );
  });

  it('round-trips through sign and verify, and only with the right key', async () => {
    const key = { ...(await importSigningKey(await generateSigningKeySecret())), name: 'trust.example.com/avv-acceptances' };
    const other = { ...(await importSigningKey(await generateSigningKeySecret())), name: key.name };
    const note = await signCheckpoint({ origin: key.name, size: 8, rootHash: root }, key);
    const checkpoint = await verifyCheckpoint(note, key);
    expect(checkpoint).toMatchObject({ origin: key.name, size: 8 });
    expect(toHex(checkpoint!.rootHash)).toBe(toHex(root));
    expect(await verifyCheckpoint(note, other)).toBeNull();
    expect(await verifyCheckpoint(note.replace('\n8\n', '\n9\n'), key)).toBeNull();
  });

  it.each(['', 'origin\n8\n', 'origin\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n', 'origin\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n', 'origin\n8\nshort=\n'])(
    'parses no checkpoint from %j',
    (body) => {
      expect(parseCheckpointBody(body)).toBeNull();
    },
  );

  it('accepts extension lines after the root', () => {
    expect(parseCheckpointBody('o\n1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nextension\n')).toMatchObject({ origin: 'o', size: 1 });
  });
});

describe('signing key secret', () => {
  it('reads PKCS#8 as base64 DER, as PEM and as JWK, all giving the same public key', async () => {
    const secret = goSecret();
    const pem = `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`;
    const fromDer = await importSigningKey(secret);
    const fromPem = await importSigningKey(pem);
    const jwk = await crypto.subtle.exportKey('jwk', fromDer.privateKey);
    const fromJwk = await importSigningKey(JSON.stringify(jwk));
    expect(toHex(fromPem.publicKeyRaw)).toBe(toHex(fromDer.publicKeyRaw));
    expect(toHex(fromJwk.publicKeyRaw)).toBe(toHex(fromDer.publicKeyRaw));
    expect(publicKeyJwk(fromDer.publicKeyRaw)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  });

  it('publishes an SPKI PEM that WebCrypto reads back', async () => {
    const key = await importSigningKey(await generateSigningKeySecret());
    const pem = publicKeyPem(key.publicKeyRaw);
    const der = fromBase64(pem.replace(/-----[^-]+-----/g, ''));
    const imported = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, true, ['verify']);
    expect(toHex(new Uint8Array(await crypto.subtle.exportKey('raw', imported)))).toBe(toHex(key.publicKeyRaw));
  });

  it.each(['', 'not base64 !', 'MC4CAQAwBQYDK2VwBCIEIA==', '{"kty":"OKP"}'])('refuses %j with a message naming the secret', async (secret) => {
    await expect(importSigningKey(secret)).rejects.toThrow(/RECEIPT_SIGNING_KEY/);
  });
});
