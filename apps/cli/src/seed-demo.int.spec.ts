import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { benchmarkCells, type PeerScore } from '@maatlat/insights/domain';
import { seedDemoCommand, verifyAssessment } from './commands';
import { ORGANISATIONS } from './demo/seed-demo';

describe('cli seed-demo', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates organisations with three closed, verifiable yearly assessments across the revision to 2027.1, and runs only on an empty database', async () => {
    const config = testConfig({ DATABASE_URL: database.url });
    const first = await seedDemoCommand(config, { ifEmpty: true, organisations: 2 });
    expect(first.output).toMatch(/^demo data in \d+ s: 2 organisations, 6 units, 0 chains, 18 respondents, 6 closed assessments, \d+ answers/);
    const { rows } = await database.pool.query(`
      SELECT data->>'period' AS period, data->'model'->>'version' AS version, count(*)::int AS n FROM events WHERE type = 'AssessmentOpened' GROUP BY 1, 2 ORDER BY 1`);
    expect(rows).toEqual([
      { period: '2025', version: '2026.1', n: 2 },
      { period: '2026', version: '2026.1', n: 2 },
      { period: '2027', version: '2027.1', n: 2 },
    ]);
    const published = await database.pool.query(`SELECT data->>'version' AS version, data->>'predecessor' AS predecessor FROM events WHERE type = 'ModelVersionPublished' ORDER BY position`);
    expect(published.rows).toEqual([
      { version: '2026.1', predecessor: null },
      { version: '2027.1', predecessor: 'datagedreven-overheid@2026.1' },
    ]);
    const sample = /assessments\/([0-9a-f-]+)\/scores/.exec(first.output)![1];
    expect((await verifyAssessment(config, sample, {})).exitCode).toBe(0);
    // Layers disagree: the strategic layer answers higher than the operational one on average.
    const layers = await database.pool.query(`
      SELECT i.data->>'layer' AS layer, avg((a.data->'answer'->>'level')::numeric) AS mean
        FROM events a JOIN events i ON i.stream_id = 'assessment-' || split_part(substring(a.stream_id FROM length('response-') + 1), ':', 1)
         AND i.type = 'RespondentInvitedToAssessment' AND i.data->>'respondentId' = a.data->>'respondentId'
       WHERE a.type = 'AnswerRecorded' AND a.stream_id LIKE 'response-%' AND a.data->'answer' ? 'level' GROUP BY 1`);
    const mean = Object.fromEntries(layers.rows.map((r) => [r.layer, Number(r.mean)]));
    expect(mean.strategic).toBeGreaterThan(mean.operational);

    expect(await seedDemoCommand(config, { ifEmpty: true, organisations: 2 })).toEqual({ output: 'the database holds events already: no demo data added', exitCode: 0 });
  });

  it('spreads the organisations so that most benchmark groups are shown, and a few are withheld on purpose', () => {
    const peers: PeerScore[] = ORGANISATIONS.map(([name, organisationType, sizeBand], i) => ({ organisationId: name, organisationType, sizeBand, overall: i % 5, factors: {} }));
    const cells = [...benchmarkCells(peers, 'organisationType', 5, []), ...benchmarkCells(peers, 'sizeBand', 5, []), ...benchmarkCells(peers, 'all', 5, [])];
    const members = (group: { organisationType?: string; sizeBand?: string }) => peers.filter((p) => (!group.organisationType || p.organisationType === group.organisationType) && (!group.sizeBand || p.sizeBand === group.sizeBand)).length;
    const withFive = cells.filter((c) => members(c.group) >= 5);
    expect(cells).toHaveLength(6 + 4 + 1);
    expect(withFive.length).toBeGreaterThanOrEqual(9);
    const shown = cells.filter((c) => c.overall.status === 'shown');
    expect(shown.length).toBeGreaterThanOrEqual(8);
    // Below k on purpose (the inspectorates), and one withheld for differencing (the very large).
    expect(cells.filter((c) => c.overall.status === 'suppressed').map((c) => [c.group, c.overall.status === 'suppressed' && c.overall.reason])).toEqual([
      [{ organisationType: 'inspectorate-or-regulator' }, 'fewer-than-k'],
      [{ sizeBand: 'very-large' }, 'differencing'],
    ]);
  });
});
