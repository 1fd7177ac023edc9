import { benchmarkCells, positionIn, type PeerScore } from './benchmark';

const peer = (organisationId: string, overall: number | null, organisationType = 'municipality', sizeBand = 'small', f1: number | null = overall): PeerScore => ({
  organisationId,
  organisationType,
  sizeBand,
  overall,
  factors: { F01: f1 },
});

describe('benchmarks', () => {
  it('shows a group of exactly k = 5 organisations with type 7 bands, worked by hand', () => {
    const [cell] = benchmarkCells([peer('o1', 1), peer('o2', 2), peer('o3', 3), peer('o4', 4), peer('o5', 5)], 'all', 5, ['F01']);
    expect(cell).toEqual({
      group: {},
      overall: { status: 'shown', organisations: 5, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.6 },
      factors: [{ factorId: 'F01', status: 'shown', organisations: 5, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.6 }],
    });
  });

  it('suppresses a group of 4, and a factor only 4 organisations have a score for', () => {
    const [four] = benchmarkCells([peer('o1', 1), peer('o2', 2), peer('o3', 3), peer('o4', 4)], 'all', 5, ['F01']);
    expect(four.overall).toEqual({ status: 'suppressed', reason: 'fewer-than-k', explanation: 'fewer than 5 organisations have a comparable score here' });
    const [five] = benchmarkCells([peer('o1', 1), peer('o2', 2), peer('o3', 3), peer('o4', 4), peer('o5', 5, 'municipality', 'small', null)], 'all', 5, ['F01']);
    expect(five.overall.status).toBe('shown');
    expect(five.factors[0]).toMatchObject({ factorId: 'F01', status: 'suppressed', reason: 'fewer-than-k' });
  });

  it('suppresses a group of 5 that another filter narrows to 4 (differencing), by type and overall', () => {
    const scores = [peer('o1', 1), peer('o2', 2), peer('o3', 3), peer('o4', 4), peer('o5', 5, 'municipality', 'medium'), peer('p1', 2, 'province', 'large')];
    const [municipalities, provinces] = benchmarkCells(scores, 'organisationType', 5, ['F01']);
    expect(municipalities.group).toEqual({ organisationType: 'municipality' });
    expect(municipalities.overall).toMatchObject({ status: 'suppressed', reason: 'differencing' });
    expect(provinces.overall).toMatchObject({ status: 'suppressed', reason: 'fewer-than-k' });
    // Everyone (6) narrowed to municipalities (5) differs by one: withheld too.
    expect(benchmarkCells(scores, 'all', 5, [])[0].overall).toMatchObject({ status: 'suppressed', reason: 'differencing' });
  });

  it('counts organisations, and refuses k below 5', () => {
    expect(() => benchmarkCells([], 'all', 4, [])).toThrow(RangeError);
    const ten = Array.from({ length: 10 }, (_, i) => peer(`o${i}`, i % 5, i < 5 ? 'municipality' : 'province', i % 2 ? 'small' : 'medium'));
    const [cell] = benchmarkCells(ten, 'all', 5, []);
    expect(cell.overall).toMatchObject({ status: 'shown', organisations: 10 });
  });

  it('ranks an organisation within its group', () => {
    const members = [peer('o1', 1), peer('o2', 2), peer('o3', 3), peer('o4', 4)];
    expect(positionIn(members, (m) => m.overall, 3)).toBe(62.5);
    expect(positionIn(members, (m) => m.overall, null)).toBeNull();
  });
});
