import { randomBytes } from 'node:crypto';
import { canonicalJson, sha256 } from '@maatlat/shared/domain';

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
  return sha256(canonicalJson({ eventId, type, schemaVersion, data, metadata }));
}

/**
 * The same hash as `contentHash`, from parts already written canonically: an append writes each
 * event's data once and sends that same text to the database, and writes the metadata its events
 * share once. Keys appear in canonical (sorted) order.
 */
export function contentHashOfCanonicalParts(event: { eventId: string; type: string; schemaVersion: number; dataJson: string }, canonicalMetadata: string): Buffer {
  const text =
    `{"data":${event.dataJson},"eventId":${JSON.stringify(event.eventId)},` +
    `"metadata":${canonicalMetadata},"schemaVersion":${canonicalJson(event.schemaVersion)},"type":${JSON.stringify(event.type)}}`;
  return sha256(text);
}

export function genesisHash(streamId: string): Buffer {
  return sha256(`maatlat:${streamId}`);
}

export function linkHash(previous: Buffer, content: Buffer, version: number, recordedAt: Date): Buffer {
  // One buffer, hashed in one shot: a Hash object with three updates costs several times the
  // hashing itself, and verifying an export re-links every event.
  const bytes = Buffer.allocUnsafe(previous.length + content.length + 16);
  previous.copy(bytes, 0);
  content.copy(bytes, previous.length);
  bytes.writeBigInt64BE(BigInt(version), previous.length + content.length);
  bytes.writeBigInt64BE(BigInt(recordedAt.getTime()), previous.length + content.length + 8);
  return sha256(bytes);
}

/**
 * A uuid derived from its inputs, so a retried command reuses its event ids. Time-ordered like
 * `uuidv7` (the time is the command's `now`), with a hash of the inputs in place of randomness.
 */
export function deterministicUuid(now: number, ...parts: string[]): string {
  return uuidv7(now, sha256(parts.join('\u0000')).subarray(0, 10));
}

/**
 * A name-based uuid (version 8, RFC 9562): the same parts give the same id, whenever it is made.
 * For ids that must be found again from what named them (a cause, an idempotency key), where a
 * time part would differ between the first time and a retry.
 */
export function keyedUuid(...parts: string[]): string {
  const bytes = Buffer.from(sha256(parts.join('\u0000')).subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of a new entity (organisation, unit, chain, assessment, invitation). With an idempotency
 * key (`commandId`) it derives from the caller and the key, so a retried creation names the entity
 * the first one made and the event store's command log finds it; otherwise a time-ordered uuid.
 */
export function newEntityId(kind: string, metadata: { now: Date; actor: string; commandId?: string }): string {
  return metadata.commandId ? keyedUuid(kind, metadata.actor, metadata.commandId) : uuidv7(metadata.now.getTime());
}

/**
 * A time-ordered uuid (version 7): 48 bits of milliseconds, then random bits. New ids land at the
 * right edge of a B-tree index instead of on a random page, which keeps appends cheap.
 * @example const eventId = uuidv7();
 */
export function uuidv7(now: number = Date.now(), random?: Buffer): string {
  // Written as text directly: 48 bits of time, version 7, 12 random bits, variant 10, 62 random bits.
  const time = timeHex(now);
  const bits = random ? random.toString('hex', 0, 10) : randomTwentyHexDigits();
  const variant = VARIANT_DIGITS[HEX_VALUE[bits.charCodeAt(4)] & 0x3];
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${bits.slice(1, 4)}-${variant}${bits.slice(5, 8)}-${bits.slice(8, 20)}`;
}

const VARIANT_DIGITS = ['8', '9', 'a', 'b'];
const HEX_VALUE: Record<number, number> = Object.fromEntries([...'0123456789abcdef'].map((digit, value) => [digit.charCodeAt(0), value]));

// An append makes all its event ids in the same millisecond: that millisecond's hex is kept.
let lastTime = -1;
let lastTimeHex = '';
function timeHex(now: number): string {
  if (now !== lastTime) {
    lastTime = now;
    lastTimeHex = now.toString(16).padStart(12, '0');
  }
  return lastTimeHex;
}

// Random bytes drawn and written as hex a page at a time: one call into the system's generator
// and one into the hex encoder per 400 ids, not one each.
const RANDOM_PAGE = 4000;
let randomHexPage = '';
let randomHexOffset = 0;

function randomTwentyHexDigits(): string {
  if (randomHexOffset + 20 > randomHexPage.length) {
    randomHexPage = randomBytes(RANDOM_PAGE).toString('hex');
    randomHexOffset = 0;
  }
  randomHexOffset += 20;
  return randomHexPage.slice(randomHexOffset - 20, randomHexOffset);
}
