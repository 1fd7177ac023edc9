import { sha256 } from '@maatlat/shared/domain';

/**
 * A Merkle tree over the stream heads, shaped as RFC 6962 (Certificate Transparency) shapes it, so
 * any auditor can recompute it with SHA-256 alone: a leaf is sha256(0x00 || leaf data), a node
 * sha256(0x01 || left || right), and a tree of n leaves splits at the largest power of two below n.
 * The prefixes keep a leaf from passing for a node (second-preimage).
 */
export interface StreamHead {
  streamId: string;
  version: number;
  /** The hash of the stream's event at `version` (hex): its link in the stream's hash chain. */
  hash: string;
}

const EMPTY = Buffer.alloc(0);

/** The bytes a stream head contributes: utf8(stream id) || 0x00 || int64be(version) || head hash. */
export function leafHash(head: StreamHead): Buffer {
  const idLength = Buffer.byteLength(head.streamId, 'utf8');
  const bytes = Buffer.alloc(1 + idLength + 1 + 8 + 32);
  bytes[0] = 0;
  bytes.write(head.streamId, 1, 'utf8');
  bytes[1 + idLength] = 0;
  bytes.writeBigInt64BE(BigInt(head.version), 2 + idLength);
  bytes.write(head.hash, 10 + idLength, 'hex');
  return sha256(bytes);
}

const node = Buffer.alloc(65);
function nodeHash(left: Buffer, right: Buffer): Buffer {
  node[0] = 1;
  left.copy(node, 1);
  right.copy(node, 33);
  return sha256(node);
}

/** Stream heads in the tree's order: by stream id, compared as UTF-16 code units (ids are ASCII). */
export function sortHeads<T extends StreamHead>(heads: T[]): T[] {
  return heads.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

/** The tree's root over leaf hashes; the hash of nothing for no leaves (RFC 6962). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256(EMPTY);
  // Bottom-up, level by level: a level's odd last node is carried up unchanged, which gives exactly
  // the RFC 6962 tree (its split at the largest power of two) without recursion over a million leaves.
  let level: Buffer[] = [...leaves];
  while (level.length > 1) {
    const next: Buffer[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i / 2] = nodeHash(level[i], level[i + 1]);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1];
    level = next;
  }
  return level[0];
}

/**
 * Every level of the tree, leaves first, kept so that many audit paths (one per stream of an
 * archival export) cost one build.
 */
export class MerkleTree {
  private readonly levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    this.levels = [[...leaves]];
    let level = this.levels[0];
    while (level.length > 1) {
      const next: Buffer[] = new Array(Math.ceil(level.length / 2));
      for (let i = 0; i + 1 < level.length; i += 2) next[i / 2] = nodeHash(level[i], level[i + 1]);
      if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1];
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0].length;
  }

  root(): Buffer {
    return this.size === 0 ? sha256(EMPTY) : this.levels[this.levels.length - 1][0];
  }

  /** The audit path of leaf `index`: the sibling hashes from the leaf up, in hex. */
  proof(index: number): string[] {
    if (index < 0 || index >= this.size) throw new RangeError(`no leaf ${index} among ${this.size}`);
    const path: string[] = [];
    let at = index;
    for (const level of this.levels.slice(0, -1)) {
      const sibling = at % 2 === 0 ? at + 1 : at - 1;
      if (sibling < level.length) path.push(level[sibling].toString('hex'));
      at = Math.floor(at / 2);
    }
    return path;
  }
}

/**
 * Recomputes the root from a leaf, its index, the tree size and its audit path (RFC 9162 2.1.3.2).
 * @example rootFromInclusionProof(leafHash(head), 5, 1_000_000, proof).toString('hex') === checkpoint.root
 */
export function rootFromInclusionProof(leaf: Buffer, index: number, treeSize: number, path: readonly string[]): Buffer {
  if (index < 0 || index >= treeSize) throw new RangeError(`no leaf ${index} in a tree of ${treeSize}`);
  let fn = index;
  let sn = treeSize - 1;
  let hash = leaf;
  for (const step of path) {
    const sibling = Buffer.from(step, 'hex');
    if (sn === 0) throw new Error('the proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn !== 0) throw new Error('the proof is shorter than the tree is deep');
  return hash;
}

/**
 * Leaves per kept subtree: a checkpoint keeps the roots of the tree's subtrees of 2^10 leaves (its
 * level 10), so a proof rebuilds one subtree and the small tree above them instead of the tree over
 * every stream (a thousand subtrees for a million streams).
 */
export const SUBTREE_LEVEL = 10;

/**
 * The roots of consecutive runs of 2^level leaves (the last run may be shorter): the nodes at that
 * level of the tree. The tree over these roots has the tree's root, and an audit path is the path
 * inside the leaf's subtree followed by the subtree's path in the tree above (`subtreeAuditPath`).
 */
export function subtreeRoots(leaves: readonly Buffer[], level = SUBTREE_LEVEL): Buffer[] {
  const size = 2 ** level;
  const roots: Buffer[] = [];
  for (let from = 0; from < leaves.length; from += size) roots.push(merkleRoot(leaves.slice(from, from + size)));
  return roots;
}

/**
 * The audit path of leaf `index` of subtree `subtree`, from that subtree's leaves and the kept
 * subtree roots; the same path `MerkleTree.proof` gives over all leaves. Throws when the leaves do
 * not give the kept root of their subtree (the log no longer holds what was kept).
 */
export function subtreeAuditPath(subtreeLeaves: readonly Buffer[], index: number, roots: readonly Buffer[], subtree: number): string[] {
  return subtreeAuditPaths(subtreeLeaves, [index], roots, subtree)[0];
}

/** The audit paths of several leaves of one subtree (as `subtreeAuditPath`), its tree built once. */
export function subtreeAuditPaths(subtreeLeaves: readonly Buffer[], indexes: readonly number[], roots: readonly Buffer[], subtree: number): string[][] {
  const inner = new MerkleTree(subtreeLeaves);
  if (!inner.root().equals(roots[subtree])) throw new Error(`subtree ${subtree} no longer gives its kept root`);
  const above = new MerkleTree(roots).proof(subtree);
  return indexes.map((index) => [...inner.proof(index), ...above]);
}
