import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packDirectory } from './pack-archive';

describe('packDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pack-archive-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Paths longer than the 100 bytes of a ustar name: one split into prefix and name, one whose
  // file name alone is too long (a pax header carries it).
  const longName = `response-${'0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a'}-${'0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5b'}-${'x'.repeat(30)}.jsonl`;
  const files: Record<string, Buffer> = {
    [`streams/response-0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a:0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5b.jsonl`]: Buffer.from('{"b":2}\n'),
    'manifest.json': Buffer.from('{"format":"maatlat-archive/1"}\n'),
    'empty.txt': Buffer.alloc(0),
    [`streams/${longName}`]: Buffer.from('{"a":1}\n'.repeat(100)),
    'mdto/one.bestand.mdto.xml': Buffer.from('<?xml version="1.0"?><MDTO>één</MDTO>'),
    'exact.bin': Buffer.alloc(512, 7),
  };

  it("packs every file under one folder, byte for byte, so the system's tar unpacks the same directory", async () => {
    const source = join(dir, 'source');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(source, path, '..'), { recursive: true });
      writeFileSync(join(source, path), content);
    }
    const archive = await packDirectory(source, 'archive-o-1', new Date('2026-03-01T10:00:00Z'));
    writeFileSync(join(dir, 'a.tar.gz'), archive);
    const target = join(dir, 'target');
    mkdirSync(target);
    const listed = execFileSync('tar', ['-tzf', join(dir, 'a.tar.gz')], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(Object.keys(files).sort().map((path) => `archive-o-1/${path}`));
    execFileSync('tar', ['-xzf', join(dir, 'a.tar.gz'), '-C', target]);
    for (const [path, content] of Object.entries(files)) expect({ path, same: readFileSync(join(target, 'archive-o-1', path)).equals(content) }).toEqual({ path, same: true });
    // Records of 512 bytes, ending in two zero blocks.
    const tar = gunzipSync(archive);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(tar.length - 1024).every((byte) => byte === 0)).toBe(true);
  });

  it('gives the same bytes for the same files and time', async () => {
    const source = join(dir, 'source');
    const at = new Date('2026-03-01T10:00:00Z');
    expect((await packDirectory(source, 'r', at)).equals(await packDirectory(source, 'r', at))).toBe(true);
  });
});
