import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { signCheckpoint } from '../src/domain/checkpoint.ts';
import { toHex } from '../src/domain/encoding.ts';
import { consistencySpans, emptyRoot, inclusionSpans, nodesOfSpans, proofFromNodes, spanHash, type Span } from '../src/domain/merkle.ts';
import { receiptKeyId } from '../src/domain/receipt.ts';
import { logOrigin } from '../src/domain/acceptance-log.ts';
import { publicKeyJwk } from '../src/domain/signing-key.ts';
import type { AppEnv } from './app-env.ts';
import { auditStoredLedger, headAndNodes, latestHead } from './ledger/read-ledger.ts';
import { recordVerification } from './ledger/verification-store.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

const ProofQuerySchema = z.object({
  /** Leaf index (0-based). */
  leaf: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(0, { error: 'at least 0' }),
  /** Tree size of a signed checkpoint; defaults to the latest. */
  size: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'at least 1' }).optional(),
});

const ConsistencyQuerySchema = z.object({
  /** Size of the older tree (e.g. the treeSize of a receipt one holds). */
  from: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'at least 1' }),
  /** Tree size of a signed checkpoint; defaults to the latest. */
  to: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'at least 1' }).optional(),
});

/**
 * `/api/ledger`: the public face of the acceptance log — the latest signed checkpoint, the
 * public key as JWK, inclusion proofs in later trees — and the admin audit.
 */
export const ledger = new Hono<AppEnv>()
  .get('/checkpoint', async (c) => {
    const head = await latestHead(c.env.DB);
    if (head) return c.text(head.checkpoint, 200, { 'cache-control': 'no-store' });
    // An empty log still has a signed checkpoint (size 0, root of the empty tree).
    const key = await logKeyOrProblem(c);
    if (key instanceof Response) return key;
    const note = await signCheckpoint({ origin: key.name, size: 0, rootHash: await emptyRoot() }, key);
    return c.text(note, 200, { 'cache-control': 'no-store' });
  })
  .all('/checkpoint', methodNotAllowed('GET'))
  .get('/public-key', async (c) => {
    const key = await logKeyOrProblem(c);
    if (key instanceof Response) return key;
    return c.json({ ...publicKeyJwk(key.publicKeyRaw), kid: await receiptKeyId(key.name, key.publicKeyRaw), use: 'sig' }, 200, { 'cache-control': 'public, max-age=300' });
  })
  .all('/public-key', methodNotAllowed('GET'))
  .get('/proof', async (c) => {
    const parsed = ProofQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return invalidQuery(c, parsed.error);
    const { leaf } = parsed.data;
    const size = parsed.data.size ?? (await latestHead(c.env.DB))?.tree_size ?? 0;
    if (leaf >= size) return problem(c, 404, 'No such proof', { detail: `Leaf ${leaf} is not in a tree of ${size} leaves.` });
    const spans = inclusionSpans(leaf, size);
    const proved = await proveFromNodes(c, size, spans, [{ start: leaf, end: leaf + 1 }]);
    if (proved instanceof Response) return proved;
    return c.json({ leafIndex: leaf, treeSize: size, leafHash: proved.extra[0], rootHash: proved.rootHash, inclusionProof: proved.proof, checkpoint: proved.checkpoint });
  })
  .all('/proof', methodNotAllowed('GET'))
  .get('/consistency', async (c) => {
    const parsed = ConsistencyQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return invalidQuery(c, parsed.error);
    const { from } = parsed.data;
    const to = parsed.data.to ?? (await latestHead(c.env.DB))?.tree_size ?? 0;
    if (from > to) return problem(c, 404, 'No such proof', { detail: `No consistency proof from tree size ${from} to ${to}: the log has ${to} leaves, and "from" must not exceed "to".` });
    const proved = await proveFromNodes(c, to, consistencySpans(from, to), [{ start: 0, end: from }]);
    if (proved instanceof Response) return proved;
    return c.json({ from, to, fromRootHash: proved.extra[0], toRootHash: proved.rootHash, consistencyProof: proved.proof, checkpoint: proved.checkpoint });
  })
  .all('/consistency', methodNotAllowed('GET'))
  .get('/verify', requireAdmin, async (c) => {
    const key = await logKeyOrProblem(c);
    if (key instanceof Response) return key;
    // ?checkpoint=<signed note> (repeatable): checkpoints customers hold, e.g. from a receipt.
    const report = await auditStoredLedger(c.env, key, c.req.queries('checkpoint') ?? []);
    // The console shows the last result of every run, whoever started it.
    await recordVerification(c.env.DB, report, 'admin-token');
    return c.json(report, 200, { 'cache-control': 'no-store' });
  })
  .all('/verify', methodNotAllowed('GET'));

function invalidQuery(c: Context<AppEnv>, error: z.ZodError): Response {
  return problem(c, 400, 'Invalid proof query', {
    type: problemType('invalid-query'),
    invalidParams: error.issues.map((issue) => ({ name: issue.path.join('.'), reason: issue.message })),
  });
}

/**
 * A proof for the signed checkpoint of `treeSize` from the stored tree nodes: O(log n) rows in
 * one round trip, whatever the size of the log. The nodes are derived data, so the root they give
 * must be the signed one before anything is answered. `extra` spans are hashed alongside (the
 * leaf itself, the older root of a consistency proof).
 */
async function proveFromNodes(c: Context<AppEnv>, treeSize: number, spans: Span[], extra: Span[]) {
  const whole = { start: 0, end: treeSize };
  const needed = nodesOfSpans([...spans, ...extra, whole]);
  let { head, lookup } = await headAndNodes(c.env.DB, treeSize, needed);
  if (!head) return problem(c, 404, 'No such checkpoint', { detail: `No signed checkpoint of tree size ${treeSize}; use the treeSize of a receipt or of /api/ledger/checkpoint.` });
  if (needed.some((node) => !lookup(node))) {
    // A log from before migration 0010: its sequencer computes the inner nodes once.
    const name = logOrigin((await publishedManifest(c.env, c.req.url)).siteUrl);
    await c.env.ACCEPTANCE_SEQUENCER.get(c.env.ACCEPTANCE_SEQUENCER.idFromName(name)).fillTreeNodes();
    ({ head, lookup } = await headAndNodes(c.env.DB, treeSize, needed));
    if (!head || needed.some((node) => !lookup(node))) return problem(c, 500, 'Log incomplete', { detail: 'Tree nodes are missing; run the ledger audit.' });
  }
  const root = toHex(await spanHash(whole, lookup));
  const proof = (await proofFromNodes(spans, lookup)).map(toHex);
  const hashes = (await proofFromNodes(extra, lookup)).map(toHex);
  if (root !== head.root_hash) return problem(c, 500, 'Log inconsistent', { detail: 'Stored tree nodes do not give the signed root; run the ledger audit.' });
  return { rootHash: root, proof, extra: hashes, checkpoint: head.checkpoint };
}

/** The log key, or the 503 problem to answer when the secret is missing. */
async function logKeyOrProblem(c: Context<AppEnv>) {
  try {
    return await logKey(c.env, await publishedManifest(c.env, c.req.url));
  } catch (error) {
    if (error instanceof NotConfiguredError) {
      return problem(c, 503, 'Receipt signing is not configured', { type: problemType('not-configured'), detail: 'Set the RECEIPT_SIGNING_KEY secret.' });
    }
    throw error;
  }
}
