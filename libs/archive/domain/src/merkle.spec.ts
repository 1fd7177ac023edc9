import { createHash } from 'node:crypto';
import { leafHash, MerkleTree, merkleRoot, rootFromInclusionProof, subtreeAuditPath, subtreeRoots } from './merkle';
import { CheckpointSigner, checkpointSignatureHolds, CHECKPOINT_FORMAT, type CheckpointStatement } from './checkpoint';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962's definition, recursively, to hold the iterative tree to. */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const heads = (n: number) => Array.from({ length: n }, (_, i) => leafHash({ streamId: `s-${i}`, version: i + 1, hash: sha(Buffer.from([i])).toString('hex') }));

describe('the Merkle tree over stream heads (RFC 6962)', () => {
  it('kept subtree roots give the same root and the same audit paths, whatever the size', () => {
    for (const [n, level] of [[1, 3], [7, 3], [8, 3], [9, 3], [17, 3], [64, 3], [100, 3], [1023, 10], [1025, 10], [3000, 10]]) {
      const leaves = heads(n);
      const tree = new MerkleTree(leaves);
      const roots = subtreeRoots(leaves, level);
      expect(roots).toHaveLength(Math.ceil(n / 2 ** level));
      expect(merkleRoot(roots)).toEqual(tree.root());
      for (const i of new Set([0, 1, n >> 1, n - 2, n - 1].filter((i) => i >= 0 && i < n))) {
        const subtree = Math.floor(i / 2 ** level);
        const path = subtreeAuditPath(leaves.slice(subtree * 2 ** level, (subtree + 1) * 2 ** level), i % 2 ** level, roots, subtree);
        expect(path).toEqual(tree.proof(i));
      }
    }
  });

  it('refuses a subtree whose leaves no longer give its kept root', () => {
    const leaves = heads(20);
    const roots = subtreeRoots(leaves, 3);
    const changed = [...leaves.slice(8, 16)];
    changed[2] = heads(21)[20];
    expect(() => subtreeAuditPath(changed, 0, roots, 1)).toThrow('subtree 1 no longer gives its kept root');
  });

  it('gives the RFC root for every size from 0 to 40', () => {
    for (let n = 0; n <= 40; n++) expect(merkleRoot(heads(n)).toString('hex')).toBe(referenceRoot(heads(n)).toString('hex'));
  });

  it('gives every leaf an audit path that leads to the root, and none that leads there from another leaf', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = heads(n);
      const tree = new MerkleTree(leaves);
      for (let i = 0; i < n; i++) {
        const path = tree.proof(i);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(rootFromInclusionProof(leaves[i], i, n, path)).toEqual(tree.root());
        if (n > 1) expect(rootFromInclusionProof(leaves[(i + 1) % n], i, n, path)).not.toEqual(tree.root());
      }
    }
  });

  it('a leaf commits to the stream id, version and head hash', () => {
    const head = { streamId: 'assessment-1', version: 3, hash: 'ab'.repeat(32) };
    expect(leafHash(head)).not.toEqual(leafHash({ ...head, version: 4 }));
    expect(leafHash(head)).not.toEqual(leafHash({ ...head, streamId: 'assessment-2' }));
    expect(leafHash(head)).not.toEqual(leafHash({ ...head, hash: 'ac'.repeat(32) }));
  });
});

describe('signed checkpoints (Ed25519)', () => {
  const statement: CheckpointStatement = {
    format: CHECKPOINT_FORMAT,
    sequence: 1,
    logPosition: { transactionId: '900', position: 42 },
    streams: 7,
    root: 'cd'.repeat(32),
    recordedAt: '2026-12-03T13:00:00.000Z',
    keyId: 'c1',
  };
  const signer = new CheckpointSigner('c1', Buffer.alloc(32, 7));

  it('a signature holds for the statement signed and the public key, and for nothing else', () => {
    const signed = signer.sign(statement);
    expect(checkpointSignatureHolds(signed, signer.publicJwk)).toBe(true);
    expect(checkpointSignatureHolds({ ...signed, statement: { ...statement, streams: 8 } }, signer.publicJwk)).toBe(false);
    expect(checkpointSignatureHolds(signed, new CheckpointSigner('c1', Buffer.alloc(32, 8)).publicJwk)).toBe(false);
    expect(checkpointSignatureHolds(signed, { ...signer.publicJwk, kid: 'c2' })).toBe(false);
  });

  it('publishes the public key as an Ed25519 JWK', () => {
    expect(signer.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: 'c1', use: 'sig', alg: 'EdDSA' });
  });
});
