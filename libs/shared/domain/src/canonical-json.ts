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
