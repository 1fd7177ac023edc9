import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, sha256 } from '@maatlat/shared/domain';
import type { StreamHead } from './merkle';

export const CHECKPOINT_FORMAT = 'maatlat-checkpoint/1';

/** A checkpoint's sequence number as text (a query, a path, the command line): 1, 2, … */
export const CHECKPOINT_SEQUENCE = /^[1-9]\d{0,14}$/;

/**
 * What a checkpoint states and the platform signs: at this place in the global log, these many
 * streams had heads whose Merkle tree has this root. Signed as its canonical JSON, so anyone can
 * check it with the public key alone.
 */
export interface CheckpointStatement {
  format: typeof CHECKPOINT_FORMAT;
  sequence: number;
  /** The last event covered, in the log's (transactionId, position) order: everything up to it, nothing after. */
  logPosition: { transactionId: string; position: number };
  streams: number;
  /** Merkle root (hex) over the stream heads, sorted by stream id (see merkle.ts). */
  root: string;
  recordedAt: string;
  keyId: string;
}

export interface SignedCheckpoint {
  statement: CheckpointStatement;
  /** Ed25519 over the statement's canonical JSON, base64url. */
  signature: string;
}

/** A checkpoint as a file: signed, with the public key, and the heads it covers when they came along. */
export interface CheckpointFile extends SignedCheckpoint {
  publicKey: PublicJwk;
  heads?: [streamId: string, version: number, hash: string][];
}

/** A checkpoint as a copy holds it: the key and the heads when they came along. */
export type CheckpointCopy = SignedCheckpoint & Partial<Pick<CheckpointFile, 'publicKey' | 'heads'>>;

/**
 * A checkpoint as any of its copies holds it: a file of `checkpoint create`, the API's answer, an
 * export's `checkpoint.json`, a score proof, or the open dataset's `checkpoints.json` (a list with
 * the keys: the one at `sequence`, or else the latest). The public key when the copy carries one.
 * A string names what is missing or wrong.
 */
export function checkpointFromCopy(copy: unknown, sequence?: number): CheckpointCopy | string {
  if (typeof copy !== 'object' || copy === null) return 'not a JSON object';
  const record = copy as Record<string, unknown>;
  if (Array.isArray(record.checkpoints)) {
    const listed = (record.checkpoints as unknown[]).filter(isSignedCheckpoint);
    const chosen = sequence === undefined ? listed.reduce<SignedCheckpoint | undefined>((latest, c) => (!latest || c.statement.sequence > latest.statement.sequence ? c : latest), undefined) : listed.find((c) => c.statement.sequence === sequence);
    if (!chosen) return sequence === undefined ? 'the list holds no checkpoint' : `the list holds no checkpoint ${sequence}`;
    const keys = Array.isArray(record.keys) ? (record.keys as PublicJwk[]) : [];
    const publicKey = keys.find((k) => k?.kid === chosen.statement.keyId);
    return { statement: chosen.statement, signature: chosen.signature, ...(publicKey ? { publicKey } : {}) };
  }
  const found = isSignedCheckpoint(record) ? record : isSignedCheckpoint(record.checkpoint) ? record.checkpoint : undefined;
  if (!found) return 'no signed checkpoint in it (a statement and its signature)';
  if (sequence !== undefined && found.statement.sequence !== sequence) return `it holds checkpoint ${found.statement.sequence}, not ${sequence}`;
  const { publicKey, heads } = found as Partial<CheckpointFile>;
  return { statement: found.statement, signature: found.signature, ...(publicKey ? { publicKey } : {}), ...(Array.isArray(heads) ? { heads } : {}) };
}

function isSignedCheckpoint(value: unknown): value is SignedCheckpoint {
  const candidate = value as Partial<SignedCheckpoint> | null | undefined;
  return (
    typeof candidate?.signature === 'string' &&
    candidate.statement?.format === CHECKPOINT_FORMAT &&
    typeof candidate.statement.sequence === 'number' &&
    typeof candidate.statement.root === 'string' &&
    typeof candidate.statement.logPosition?.position === 'number'
  );
}

/** The public key as a JWK (RFC 8037). */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): node:crypto takes keys as DER, not raw seeds.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Signs checkpoints with the platform's Ed25519 key. */
export class CheckpointSigner {
  private readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;

  constructor(
    readonly keyId: string,
    seed: Buffer,
  ) {
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const jwk = createPublicKey(this.privateKey).export({ format: 'jwk' });
    this.publicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid: keyId, use: 'sig', alg: 'EdDSA' };
  }

  sign(statement: CheckpointStatement): SignedCheckpoint {
    return { statement, signature: this.signBytes(Buffer.from(canonicalJson(statement))) };
  }

  /** An Ed25519 signature (base64url) over the bytes as they are. */
  signBytes(bytes: Buffer): string {
    return sign(null, bytes, this.privateKey).toString('base64url');
  }
}

function ed25519Holds(bytes: Buffer, signature: string, publicKey: PublicJwk): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.x }, format: 'jwk' });
    return verify(null, bytes, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** True when the signature over the statement holds for the public key (and the key ids agree). */
export function checkpointSignatureHolds(checkpoint: SignedCheckpoint, publicKey: PublicJwk): boolean {
  if (publicKey.kid !== checkpoint.statement.keyId) return false;
  return ed25519Holds(Buffer.from(canonicalJson(checkpoint.statement)), checkpoint.signature, publicKey);
}

export const MANIFEST_SIGNATURE_FORMAT = 'maatlat-manifest-signature/1';

/**
 * The platform's signature over an export's manifest, byte for byte: the manifest lists every file
 * with its SHA-256, so a file removed, added or changed after the export (its manifest entry with
 * it) no longer matches a signature only the platform's key can make.
 */
export interface ManifestSignature {
  format: typeof MANIFEST_SIGNATURE_FORMAT;
  keyId: string;
  manifestSha256: string;
  signature: string;
  /** The key it was signed with, for convenience; an auditor checks against the platform's published key. */
  publicKey: PublicJwk;
}

export function signManifest(signer: CheckpointSigner, manifest: Buffer): ManifestSignature {
  return { format: MANIFEST_SIGNATURE_FORMAT, keyId: signer.keyId, manifestSha256: sha256(manifest).toString('hex'), signature: signer.signBytes(manifest), publicKey: signer.publicJwk };
}

/** True when the signature over the manifest's bytes holds for the public key (and the key ids agree). */
export function manifestSignatureHolds(signed: ManifestSignature, manifest: Buffer, publicKey: PublicJwk): boolean {
  return signed.format === MANIFEST_SIGNATURE_FORMAT && publicKey.kid === signed.keyId && ed25519Holds(manifest, signed.signature, publicKey);
}

/** The heads of a checkpoint file as stream heads. */
export function headsOf(file: CheckpointCopy): StreamHead[] {
  return (file.heads ?? []).map(([streamId, version, hash]) => ({ streamId, version, hash }));
}
