import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '@maatlat/shared/domain';

/**
 * The hash chain, reproducible offline with nothing but SHA-256 and canonical JSON:
 *   content = sha256(canonicalJson({ eventId, type, schemaVersion, data, metadata }))
 *   link    = sha256(previous link || content || int64be(version) || int64be(recordedAt millis))
 *   genesis = sha256('maatlat:' + streamId)   (the "previous link" of version 1)
 * The content hash is computed here; the link is computed by `append_to_stream` in PostgreSQL
 * under the stream's row lock, with the same formula `linkHash` implements for verification.
 */
export interface HashedContent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
}

export function contentHash(event: HashedContent): Buffer {
  const { eventId, type, schemaVersion, data, metadata } = event;
  return createHash('sha256').update(canonicalJson({ eventId, type, schemaVersion, data, metadata })).digest();
}

/**
 * The same hash as `contentHash`, for the common case where many events share metadata whose
 * canonical form was written once. Keys appear in canonical (sorted) order.
 */
export function contentHashWithCanonicalMetadata(event: Omit<HashedContent, 'metadata'>, canonicalMetadata: string): Buffer {
  const text =
    `{"data":${canonicalJson(event.data)},"eventId":${JSON.stringify(event.eventId)},` +
    `"metadata":${canonicalMetadata},"schemaVersion":${canonicalJson(event.schemaVersion)},"type":${JSON.stringify(event.type)}}`;
  return createHash('sha256').update(text).digest();
}

export function genesisHash(streamId: string): Buffer {
  return createHash('sha256').update(`maatlat:${streamId}`, 'utf8').digest();
}

export function linkHash(previous: Buffer, content: Buffer, version: number, recordedAt: Date): Buffer {
  const numbers = Buffer.alloc(16);
  numbers.writeBigInt64BE(BigInt(version), 0);
  numbers.writeBigInt64BE(BigInt(recordedAt.getTime()), 8);
  return createHash('sha256').update(previous).update(content).update(numbers).digest();
}

/**
 * A uuid derived from its inputs, so a retried command reuses its event ids. Time-ordered like
 * `uuidv7` (the time is the command's `now`), with a hash of the inputs in place of randomness.
 */
export function deterministicUuid(now: number, ...parts: string[]): string {
  return uuidv7(now, createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 10));
}

/**
 * A time-ordered uuid (version 7): 48 bits of milliseconds, then random bits. New ids land at the
 * right edge of a B-tree index instead of on a random page, which keeps appends cheap.
 * @example const eventId = uuidv7();
 */
export function uuidv7(now: number = Date.now(), random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
