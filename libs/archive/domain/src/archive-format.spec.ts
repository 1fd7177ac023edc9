import { streamFile } from './archive-format';

describe('archived stream files', () => {
  it('are named with characters every file system takes, and one stream per name', () => {
    const ids = ['organisation-0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a', 'response-0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a:0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5b', 'modelversion-dmm.2026.1', 'odd-a%3Ab', 'odd-a:b', 'odd-a*b?c'];
    const names = ids.map(streamFile);
    expect(names.every((name) => /^streams\/[A-Za-z0-9._%-]+\.jsonl$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(ids.length);
    expect(streamFile(ids[1])).toBe('streams/response-0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a%3A0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5b.jsonl');
    expect(streamFile(ids[0])).toBe(`streams/${ids[0]}.jsonl`);
  });
});
