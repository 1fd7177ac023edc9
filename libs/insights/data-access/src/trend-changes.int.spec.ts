import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import type { ChangeSincePrevious } from '@maatlat/insights/domain';
import { TrendChanges, type ChangeKey } from './trend-changes';

const change = (lower: number): ChangeSincePrevious => ({
  previousAssessmentId: 'a-2025',
  method: 'percentile bootstrap',
  iterations: 400,
  seed: 42,
  overall: { previous: 2, current: 2.5, delta: 0.5, interval: { lower, upper: 0.8 }, label: lower > 0 ? 'improved' : 'stable' },
  factors: [{ factorId: 'F01', previous: 2, current: null, delta: null, interval: null, label: 'undetermined' }],
});
const key = (current: string, modelVersion = '2026.1'): ChangeKey => ({ previousScoreEventId: 'e-2025', currentScoreEventId: current, modelVersion });

describe('kept changes between trend points', () => {
  let database: TestDatabase;
  let changes: TrendChanges;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 2 });
    changes = new TrendChanges(database.db);
  });
  afterAll(() => database.drop());

  it('serves a kept change as it was computed (same keys in the same order), by its score events and version only', async () => {
    await changes.put([{ key: key('e-2026'), change: change(0.2) }]);
    const found = await changes.get([key('e-2026'), key('e-2026', '2027.1'), key('e-2027')]);
    expect([...found.keys()]).toEqual(['e-2025>e-2026@2026.1']);
    expect(JSON.stringify(found.get('e-2025>e-2026@2026.1'))).toBe(JSON.stringify(change(0.2)));
  });

  it('keeps the first of two computations of one key (two readers at once compute the same)', async () => {
    await changes.put([{ key: key('e-2028'), change: change(0.1) }]);
    await changes.put([{ key: key('e-2028'), change: change(-0.1) }, { key: key('e-2029'), change: change(0.3) }]);
    const found = await changes.get([key('e-2028'), key('e-2029')]);
    expect(found.get('e-2025>e-2028@2026.1')!.overall.interval).toEqual({ lower: 0.1, upper: 0.8 });
    expect(found.get('e-2025>e-2029@2026.1')!.overall.interval).toEqual({ lower: 0.3, upper: 0.8 });
    expect(await changes.get([])).toEqual(new Map());
  });
});
