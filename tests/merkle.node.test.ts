import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/domain/encoding.ts';
import { verifyConsistencyIndependently } from './support/independent-verifier.ts';
import {
  appendBatch,
  appendLeaf,
  consistencyProof,
  consistencySpans,
  inclusionSpans,
  nodeKey,
  proofFromNodes,
  spanHash,
  verifyConsistency,
  type NodeId,
  EMPTY_FRONTIER,
  frontierOf,
  frontierRoot,
  inclusionProof,
  inclusionProofOfAppended,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  rootOf,
  verifyInclusion,
  type Hash,
} from '../src/domain/merkle.ts';

// Reference vectors of Certificate Transparency (RFC 6962), as published in
// transparency-dev/merkle testonly/constants.go and proof/verify_test.go.
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
/** Compact trees (perfect subtree roots) for sizes 0..8. */
const H01 = 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125';
const H45 = '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a';
const H03 = 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7';
const FRONTIERS = [[], [LEAF_HASHES[0]], [H01], [H01, LEAF_HASHES[2]], [H03], [H03, LEAF_HASHES[4]], [H03, H45], [H03, H45, LEAF_HASHES[6]], [ROOTS[8]]];
/** (leaf index, tree size, proof) from verify_test.go, converted to 0-based indexes. */
const PROOFS: Array<[number, number, string[]]> = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', H03]],
  [2, 3, [H01]],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

/** (first size, second size, proof) from verify_test.go (consistencyProofs). */
const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, [H45, 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', H03]],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, [H45, 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', H03]],
];

const leaves = () => Promise.all(LEAF_INPUTS.map((input) => leafHash(fromHex(input))));

describe('RFC 6962 hashing (CT reference vectors)', () => {
  it.each(LEAF_INPUTS.map((input, index) => [input, LEAF_HASHES[index]!]))('leaf hash of %j', async (input, expected) => {
    expect(toHex(await leafHash(fromHex(input)))).toBe(expected);
  });

  it.each(ROOTS.map((root, size) => [size, root]))('root of the first %i leaves', async (size, expected) => {
    const hashes = (await leaves()).slice(0, size);
    expect(toHex(await rootOf(hashes))).toBe(expected);
    expect(toHex(await frontierRoot(await frontierOf(hashes)))).toBe(expected);
  });

  it.each(FRONTIERS.map((hashes, size) => [size, hashes]))('frontier of %i leaves holds the perfect subtree roots', async (size, expected) => {
    const frontier = await frontierOf((await leaves()).slice(0, size));
    expect(frontier.size).toBe(size);
    expect(frontier.hashes.map(toHex)).toEqual(expected);
  });

  it('node hash is SHA-256(0x01 ‖ left ‖ right)', async () => {
    const [a, b] = await leaves();
    expect(toHex(await nodeHash(a!, b!))).toBe(H01);
  });
});

describe('inclusion proofs (CT reference vectors)', () => {
  it.each(PROOFS)('leaf %i in tree size %i', async (index, size, expected) => {
    const hashes = (await leaves()).slice(0, size);
    expect((await inclusionProof(hashes, index)).map(toHex)).toEqual(expected);
    expect(await verifyInclusion(index, size, hashes[index]!, expected.map(fromHex), fromHex(ROOTS[size]!))).toBe(true);
  });

  // The corruptions transparency-dev applies to every good proof; each must fail.
  it.each(PROOFS.filter(([, , proof]) => proof.length > 0))('rejects corrupted variants of leaf %i in size %i', async (index, size, proofHex) => {
    const hashes = await leaves();
    const leaf = hashes[index]!;
    const root = fromHex(ROOTS[size]!);
    const proof = proofHex.map(fromHex);
    const someHash = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');
    const flipped = (i: number) => proof.map((hash, j) => (j === i ? hash.map((byte, k) => (k === 0 ? byte ^ 8 : byte)) : hash)) as Hash[];
    const probes: Array<[string, number, number, Uint8Array, Uint8Array[], Uint8Array]> = [
      ['index - 1', index - 1, size, leaf, proof, root],
      ['index + 1', index + 1, size, leaf, proof, root],
      ['index ^ 2', index ^ 2, size, leaf, proof, root],
      ['size * 2', index, size * 2, leaf, proof, root],
      ['size / 2', index, Math.floor(size / 2), leaf, proof, root],
      ['wrong leaf', index, size, someHash, proof, root],
      ['empty root', index, size, leaf, proof, fromHex(ROOTS[0]!)],
      ['trailing root', index, size, leaf, [...proof, root], root],
      ['preceding root', index, size, leaf, [root, ...proof], root],
      ['removed component', index, size, leaf, proof.slice(0, -1), root],
      ['inserted component', index, size, leaf, [proof[0]!, someHash, ...proof.slice(1)], root],
      ...proof.map((_, i): [string, number, number, Uint8Array, Uint8Array[], Uint8Array] => [`bit flip in proof[${i}]`, index, size, leaf, flipped(i), root]),
    ];
    const accepted = [];
    for (const [name, i, n, l, p, r] of probes) if (await verifyInclusion(i, n, l, p, r)) accepted.push(name);
    expect(accepted).toEqual([]);
  });

  it('rejects impossible positions and hash sizes', async () => {
    const [leaf] = await leaves();
    expect(await rootFromInclusionProof(0, 0, leaf!, [])).toBeNull();
    expect(await rootFromInclusionProof(1, 1, leaf!, [])).toBeNull();
    expect(await rootFromInclusionProof(-1, 1, leaf!, [])).toBeNull();
    expect(await rootFromInclusionProof(0, 1, new Uint8Array(31), [])).toBeNull();
    expect(await verifyInclusion(0, 1, leaf!, [], leaf!)).toBe(true);
    expect(await verifyInclusion(0, 1, leaf!, [], new Uint8Array(0))).toBe(false);
  });
});

describe('properties against the naive definition', () => {
  const data = (count: number) => Promise.all(Array.from({ length: count }, (_, i) => leafHash(new TextEncoder().encode(`record ${i}`))));

  it('frontier appends keep the root equal to MTH for every size up to 70', async () => {
    const hashes = await data(70);
    let frontier = EMPTY_FRONTIER;
    for (let size = 1; size <= hashes.length; size++) {
      frontier = await appendLeaf(frontier, hashes[size - 1]!);
      expect(toHex(await frontierRoot(frontier)), `size ${size}`).toBe(toHex(await rootOf(hashes.slice(0, size))));
    }
  });

  it('the proof of the appended leaf from the previous frontier equals PATH and verifies', async () => {
    const hashes = await data(40);
    let frontier = EMPTY_FRONTIER;
    for (let index = 0; index < hashes.length; index++) {
      const proof = inclusionProofOfAppended(frontier);
      frontier = await appendLeaf(frontier, hashes[index]!);
      const tree = hashes.slice(0, index + 1);
      expect(proof.map(toHex), `leaf ${index}`).toEqual((await inclusionProof(tree, index)).map(toHex));
      expect(await verifyInclusion(index, index + 1, hashes[index]!, proof, await frontierRoot(frontier))).toBe(true);
    }
  });

  it('every leaf of trees up to 20 leaves has a verifying proof, and none for another leaf', async () => {
    const hashes = await data(20);
    for (let size = 1; size <= hashes.length; size++) {
      const tree = hashes.slice(0, size);
      const root = await rootOf(tree);
      for (let index = 0; index < size; index++) {
        const proof = await inclusionProof(tree, index);
        expect(await verifyInclusion(index, size, tree[index]!, proof, root), `${index}/${size}`).toBe(true);
        if (size > 1) expect(await verifyInclusion(index, size, tree[(index + 1) % size]!, proof, root), `swapped ${index}/${size}`).toBe(false);
      }
    }
  });
});

describe('consistency proofs (RFC 9162 § 2.1.4, CT reference vectors)', () => {
  it.each(CONSISTENCY)('from size %i to size %i', async (first, size, expected) => {
    const hashes = (await leaves()).slice(0, size);
    expect((await consistencyProof(hashes, first)).map(toHex)).toEqual(expected);
    expect(await verifyConsistency(first, size, fromHex(ROOTS[first]!), fromHex(ROOTS[size]!), expected.map(fromHex))).toBe(true);
    expect(verifyConsistencyIndependently(first, size, ROOTS[first]!, ROOTS[size]!, expected)).toBe(true);
  });

  // The corruptions transparency-dev applies to every good consistency proof; each must fail.
  it.each(CONSISTENCY.filter(([, , proof]) => proof.length > 0))('rejects corrupted variants from %i to %i', async (first, size, proofHex) => {
    const r1 = fromHex(ROOTS[first]!);
    const r2 = fromHex(ROOTS[size]!);
    const proof = proofHex.map(fromHex);
    const flipped = (i: number) => proof.map((hash, j) => (j === i ? hash.map((byte, k) => (k === 0 ? byte ^ 16 : byte)) : hash)) as Hash[];
    const probes: Array<[string, number, number, Uint8Array, Uint8Array, Uint8Array[]]> = [
      ['first - 1', first - 1, size, r1, r2, proof],
      ['first + 1', first + 1, size, r1, r2, proof],
      ['first ^ 2', first ^ 2, size, r1, r2, proof],
      ['size * 2', first, size * 2, r1, r2, proof],
      ['size / 2', first, Math.floor(size / 2), r1, r2, proof],
      ['wrong first root', first, size, fromHex(ROOTS[0]!), r2, proof],
      ['wrong second root', first, size, r1, fromHex(ROOTS[0]!), proof],
      ['swapped roots', first, size, r2, r1, proof],
      ['empty proof', first, size, r1, r2, []],
      ['trailing first root', first, size, r1, r2, [...proof, r1]],
      ['trailing second root', first, size, r1, r2, [...proof, r2]],
      ['preceding first root', first, size, r1, r2, [r1, ...proof]],
      ['preceding second root', first, size, r1, r2, [r2, ...proof]],
      ['preceding proof[0]', first, size, r1, r2, [proof[0]!, ...proof]],
      ['truncated proof', first, size, r1, r2, proof.slice(0, -1)],
      ...proof.map((_, i): [string, number, number, Uint8Array, Uint8Array, Uint8Array[]] => [`bit flip in proof[${i}]`, first, size, r1, r2, flipped(i)]),
    ];
    const accepted = [];
    for (const [name, m, n, a, b, p] of probes) {
      if (await verifyConsistency(m, n, a, b, p)) accepted.push(name);
      if (m >= 1 && verifyConsistencyIndependently(m, n, toHex(a), toHex(b), p.map(toHex))) accepted.push(`${name} (independent)`);
    }
    expect(accepted).toEqual([]);
  });

  it('proofs from stored nodes equal the definition for every pair of sizes up to 24, and both verifiers accept them', async () => {
    const hashes = await Promise.all(Array.from({ length: 24 }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`))));
    const { nodes } = await appendBatch(EMPTY_FRONTIER, hashes);
    const stored = new Map(nodes.map((node) => [nodeKey(node), node.hash]));
    const lookup = (node: NodeId) => stored.get(nodeKey(node));
    for (let size = 1; size <= hashes.length; size++) {
      const root = await rootOf(hashes.slice(0, size));
      expect(toHex(await spanHash({ start: 0, end: size }, lookup)), `root ${size}`).toBe(toHex(root));
      for (let first = 1; first <= size; first++) {
        const proof = await proofFromNodes(consistencySpans(first, size), lookup);
        expect(proof.map(toHex), `${first}→${size}`).toEqual((await consistencyProof(hashes.slice(0, size), first)).map(toHex));
        const firstRoot = await rootOf(hashes.slice(0, first));
        expect(await verifyConsistency(first, size, firstRoot, root, proof), `${first}→${size}`).toBe(true);
        expect(verifyConsistencyIndependently(first, size, toHex(firstRoot), toHex(root), proof.map(toHex)), `${first}→${size} independent`).toBe(true);
      }
      for (let index = 0; index < size; index++) {
        expect((await proofFromNodes(inclusionSpans(index, size), lookup)).map(toHex), `leaf ${index}/${size}`).toEqual((await inclusionProof(hashes.slice(0, size), index)).map(toHex));
      }
    }
  }, 60_000);

  it('a proof between different trees of one size fails', async () => {
    const a = await Promise.all(Array.from({ length: 9 }, (_, i) => leafHash(Uint8Array.of(i))));
    const b = [...a.slice(0, 4), await leafHash(Uint8Array.of(99)), ...a.slice(5)];
    const proof = await consistencyProof(a, 5);
    expect(await verifyConsistency(5, 9, await rootOf(b.slice(0, 5)), await rootOf(a), proof)).toBe(false);
  });
});

describe('group commit (several leaves, one new head)', () => {
  it('gives every new leaf the proof PATH gives, for every earlier size up to 17 and batch size up to 17', async () => {
    const hashes = await Promise.all(Array.from({ length: 48 }, (_, i) => leafHash(new TextEncoder().encode(`batch leaf ${i}`))));
    for (let before = 0; before <= 17; before++) {
      const previous = await frontierOf(hashes.slice(0, before));
      for (let count = 1; count <= 17; count++) {
        const batch = await appendBatch(previous, hashes.slice(before, before + count));
        const tree = hashes.slice(0, before + count);
        expect(toHex(batch.root), `${before}+${count}`).toBe(toHex(await rootOf(tree)));
        expect(batch.frontier.hashes.map(toHex)).toEqual((await frontierOf(tree)).hashes.map(toHex));
        for (let i = 0; i < count; i++) {
          expect(batch.proofs[i]!.map(toHex), `leaf ${before + i} of ${before}+${count}`).toEqual((await inclusionProof(tree, before + i)).map(toHex));
        }
      }
    }
  }, 60_000);
});
