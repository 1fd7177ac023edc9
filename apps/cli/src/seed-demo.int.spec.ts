import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { seedDemoCommand, verifyAssessment } from './commands';

describe('cli seed-demo', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates organisations with three closed, verifiable yearly assessments, publishes 2027.1, and runs only on an empty database', async () => {
    const config = testConfig({ DATABASE_URL: database.url });
    const first = await seedDemoCommand(config, { ifEmpty: true, organisations: 2 });
    expect(first.output).toMatch(/^demo data in \d+ s: 2 organisations, 16 units, 0 chains, 30 respondents, 6 closed assessments, \d+ answers/);
    const { rows } = await database.pool.query(`
      SELECT data->>'period' AS period, count(*)::int AS n FROM events WHERE type = 'AssessmentOpened' GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { period: '2024', n: 2 },
      { period: '2025', n: 2 },
      { period: '2026', n: 2 },
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
});
