import { canonicalJson, sameJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys were built in', () => {
    expect(canonicalJson({ level: 3, questionId: 'F01-Q1' })).toBe(canonicalJson({ questionId: 'F01-Q1', level: 3 }));
  });

  it('writes values exactly as JSON.stringify does', () => {
    const value = { n: 0.1, big: 1e21, neg: -0, s: 'café "quoted"\n', t: true, nil: null, date: new Date('2026-01-02T03:04:05.678Z') };
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(canonicalJson(value)).toBe('{"big":1e+21,"date":"2026-01-02T03:04:05.678Z","n":0.1,"neg":0,"nil":null,"s":"café \\"quoted\\"\\n","t":true}');
  });

  it('leaves out undefined members and writes null for them in arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('refuses a bigint rather than guessing its form', () => {
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow('bigint has no JSON form');
  });

  it('sorts integer-like keys as text, not in the order JavaScript iterates them', () => {
    expect(canonicalJson({ 2: 'b', 10: 'c', 1: 'a', x: { '03': 1, 3: 2 } })).toBe('{"1":"a","10":"c","2":"b","x":{"03":1,"3":2}}');
  });

  it('writes non-finite numbers as null and leaves out functions and symbols, as JSON.stringify does', () => {
    const value = { inf: Infinity, nan: NaN, f: () => 1, s: Symbol('x'), list: [() => 1, Symbol('y'), -Infinity] };
    expect(canonicalJson(value)).toBe('{"inf":null,"list":[null,null,null],"nan":null}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('writes every string as JSON.stringify does: quotes, backslashes, control characters, surrogates alone and in pairs', () => {
    // Made at run time: a compiler may write a lone surrogate in the source out as U+FFFD.
    const char = (code: number) => String.fromCharCode(code);
    const pieces = ['a', 'é', '"', '\\', char(10), char(0), char(0x1f), char(0x7f), char(0x2028), char(0xd83d) + char(0xde00), char(0xd800), char(0xdfff), `x${char(0xd83d)}`, `${char(0xde00)}y`, ' ', '/'];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let k = 0; k < i % 9; k++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += pieces[Math.floor(seed / 65536) % pieces.length];
      }
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    }
  });
});

describe('sameJson', () => {
  const score = { algorithm: 'maatlat-scoring/v1', overall: { score: 2.67, stage: 3 }, factors: [{ id: 'F01', score: 0, stage: 1, sources: ['a', 'b'] }], note: null };

  it('says whether two values have the same canonical JSON, whatever the order of their keys', () => {
    const cases: [unknown, unknown][] = [
      [score, JSON.parse(JSON.stringify(score))],
      [score, { note: null, factors: [{ sources: ['a', 'b'], stage: 1, score: 0, id: 'F01' }], overall: { stage: 3, score: 2.67 }, algorithm: 'maatlat-scoring/v1' }],
      [score, { ...score, overall: { score: 2.68, stage: 3 } }],
      [score, { ...score, factors: [] }],
      [score, { ...score, extra: 1 }],
      [{ a: 1, b: undefined }, { a: 1 }],
      [{ a: 1 }, { b: 1 }],
      [{ at: new Date('2026-01-01T00:00:00Z') }, { at: '2026-01-01T00:00:00.000Z' }],
      [[1, undefined], [1, null]],
      [{ n: 0 }, { n: -0 }],
      [{ n: Number.NaN }, { n: null }],
      [{ n: Number.POSITIVE_INFINITY }, { n: Number.NaN }],
      ['a', 'b'],
      [[1, 2], { 0: 1, 1: 2 }],
      [null, {}],
    ];
    for (const [a, b] of cases) expect({ a, b, same: sameJson(a, b) }).toEqual({ a, b, same: canonicalJson(a) === canonicalJson(b) });
  });
});
