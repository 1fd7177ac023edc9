import { groupBy } from './group-by';

describe('groupBy', () => {
  it('keeps the groups and the items in each in the order they were met', () => {
    const grouped = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]);
    expect([...grouped.keys()]).toEqual(['b', 'a', 'c']);
    expect(grouped.get('a')).toEqual(['a1', 'a2']);
    expect(grouped.get('b')).toEqual(['b1', 'b2']);
  });

  it('tells keys apart as a Map does (0 and "0" are two groups) and gives an empty map for nothing', () => {
    expect([...groupBy([0, '0', 0], (v) => v).entries()]).toEqual([
      [0, [0, 0]],
      ['0', ['0']],
    ]);
    expect(groupBy([], () => 'x').size).toBe(0);
  });
});
