import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { signCheckpoint } from '../src/domain/checkpoint.ts';
import { fromHex, toHex } from '../src/domain/encoding.ts';
import { emptyRoot, inclusionProof, rootOf } from '../src/domain/merkle.ts';
import { receiptKeyId } from '../src/domain/receipt.ts';
import { publicKeyJwk } from '../src/domain/signing-key.ts';
import type { AppEnv } from './app-env.ts';
import { auditStoredLedger, headsUpTo, latestHead } from './ledger/read-ledger.ts';
import { requireAdmin } from './lib/admin-auth.ts';
import { logKey, NotConfiguredError } from './lib/log-key.ts';
import { methodNotAllowed } from './lib/method-not-allowed.ts';
import { problemType } from './lib/problem-types.ts';
import { validQuery } from './pipeline/validate.ts';
import { problem } from './problem.ts';
import { publishedManifest } from './published-manifest.ts';

const ProofQuerySchema = z.object({
  /** Leaf index (0-based). */
  leaf: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(0, { error: 'at least 0' }),
  /** Tree size; defaults to the latest. */
  size: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'at least 1' }).optional(),
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
  .get('/proof', validQuery(ProofQuerySchema, { type: 'invalid-query', title: 'Invalid proof query' }), async (c) => {
    const latest = await latestHead(c.env.DB);
    const size = c.var.query.size ?? latest?.tree_size ?? 0;
    const { leaf } = c.var.query;
    if (!latest || size > latest.tree_size || leaf >= size) {
      return problem(c, 404, 'No such proof', { detail: `The log has ${latest?.tree_size ?? 0} leaves; leaf ${leaf} in size ${size} does not exist.` });
    }
    // Leaf hashes come from the heads, whose chain the signed checkpoints commit to.
    const results = await headsUpTo(c.env.DB, size);
    if (results.length !== size) return problem(c, 500, 'Log incomplete', { detail: 'Heads are missing; run the ledger audit.' });
    const leaves = results.map((row) => fromHex(row.leaf_hash));
    const head = results.at(-1)!;
    const root = toHex(await rootOf(leaves));
    if (root !== head.root_hash) return problem(c, 500, 'Log inconsistent', { detail: 'Stored leaves do not give the signed root; run the ledger audit.' });
    return c.json({ leafIndex: leaf, treeSize: size, leafHash: results[leaf]!.leaf_hash, rootHash: root, inclusionProof: (await inclusionProof(leaves, leaf)).map(toHex), checkpoint: head.checkpoint });
  })
  .all('/proof', methodNotAllowed('GET'))
  .get('/verify', requireAdmin, async (c) => {
    const key = await logKeyOrProblem(c);
    if (key instanceof Response) return key;
    return c.json(await auditStoredLedger(c.env.DB, key), 200, { 'cache-control': 'no-store' });
  })
  .all('/verify', methodNotAllowed('GET'));

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
