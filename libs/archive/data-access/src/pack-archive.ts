import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

const BLOCK = 512;

/** Splits a path into the ustar name (at most 100 bytes) and prefix (at most 155), at a '/'; null when it does not fit. */
function ustarName(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut > 0; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  return null;
}

/** A pax record (POSIX.1-2001): `LENGTH key=value\n`, LENGTH counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (Buffer.byteLength(`${length}${body}`) !== length) length = Buffer.byteLength(`${length}${body}`);
  return Buffer.from(`${length}${body}`);
}

/** One ustar header (POSIX.1-1988): a regular file ('0') or a pax extended header ('x'). */
function header(path: string, size: number, mtime: Date, type: '0' | 'x' = '0'): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = ustarName(path) ?? { name: path.slice(-100).replace(/^[^/]*\//, ''), prefix: '' };
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join(posix.sep))
    .sort();
}

/** A file's records: its header (after a pax header with the full path when it does not fit ustar), its content, padding. */
function entry(path: string, content: Buffer, mtime: Date): Buffer[] {
  const pad = (length: number) => Buffer.alloc((BLOCK - (length % BLOCK)) % BLOCK);
  const records: Buffer[] = [];
  if (!ustarName(path)) {
    const pax = paxRecord('path', path);
    records.push(header(`PaxHeaders/${path.split('/').pop()!.slice(0, 80)}`, pax.length, mtime, 'x'), pax, pad(pax.length));
  }
  records.push(header(path, content.length, mtime), content, pad(content.length));
  return records;
}

/**
 * Packs a directory as one gzip'd tar: every file under `root/` (so `tar -xzf` makes that one
 * folder), in name order, stamped with `mtime`: the same files give the same bytes.
 * @example const archive = await packDirectory('/tmp/export', 'archive-org-1', new Date());
 */
export async function packDirectory(directory: string, root: string, mtime: Date): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const path of await filesUnder(directory)) {
    parts.push(...entry(`${root}/${path}`, await readFile(join(directory, path)), mtime));
  }
  // The end of the archive: two zero blocks.
  parts.push(Buffer.alloc(2 * BLOCK));
  // Off the event loop: a worker renews its job's lock meanwhile.
  return gzipped(Buffer.concat(parts));
}
