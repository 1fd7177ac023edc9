import { createHash } from 'node:crypto';
import { sha256 } from './sha256';

describe('sha256', () => {
  it('is the SHA-256 of a text (as UTF-8) and of bytes, every byte value kept', () => {
    expect(sha256('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('').toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: i % 97 }, (_, k) => (i * 31 + k * 7) % 256));
      expect(sha256(bytes).equals(createHash('sha256').update(bytes).digest())).toBe(true);
      const text = `é€😀 ${i} ${bytes.toString('latin1')}`;
      expect(sha256(text).equals(createHash('sha256').update(text, 'utf8').digest())).toBe(true);
    }
  });
});
