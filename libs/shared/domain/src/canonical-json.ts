/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no white space, `toJSON` honoured and
 * undefined members left out, exactly as `JSON.stringify` would write each value. The same value
 * always gives the same text, whatever order its keys were built or stored in (PostgreSQL's jsonb
 * reorders keys), so a hash over it can be recomputed by anyone, offline.
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

/**
 * Whether two values have the same canonical JSON, found without writing either: true only for
 * plain JSON values alike member for member (strings, finite numbers, booleans, null, arrays, plain
 * objects without undefined members). Anything else (a `toJSON`, an undefined member, a non-finite
 * number) it leaves to `canonicalJson`, so a true is always right, and a false means "compare the texts".
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return plainEqual(a, b) || canonicalJson(a) === canonicalJson(b);
}

function plainEqual(a: unknown, b: unknown): boolean {
  // The same value always has the same text.
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!plainEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const [x, y] = [a[key], b[key]];
    if (x === undefined || y === undefined || !Object.hasOwn(b, key) || !plainEqual(x, y)) return false;
  }
  return true;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

// Written for speed as well as exactness: score events run to hundreds of kilobytes, and every
// append hashes its events' canonical form. Plain string building, one sort per object, and the
// quoted form of keys remembered (models and scores repeat the same few hundred keys).
const quotedKeys = new Map<string, string>();

function quote(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

// What JSON.stringify writes other than as itself: quotes, backslashes, control characters and
// (well-formed JSON.stringify) lone surrogates; a string with a surrogate at all is left to it.
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      // Most strings (ids, codes, names) need no escaping: quoted directly, they skip a call into JSON.stringify.
      return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      // The same text JSON.stringify writes for a finite number (-0 included).
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form; store it as a string');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += write(value[i]) ?? 'null';
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key]);
    if (member === undefined) continue;
    text += `${first ? '' : ','}${quote(key)}:${member}`;
    first = false;
  }
  return `${text}}`;
}
