import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@maatlat/shared/config';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { diffModelVersions, publishModelFile, validateModelFile } from './model-commands';

const MODELS = join(__dirname, '../../../libs/model-catalogue/domain/src/models/datagedreven-overheid');

describe('cli model commands', () => {
  let database: TestDatabase;
  let config: AppConfig;
  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig({ DATABASE_URL: database.url });
  });
  afterAll(() => database.drop());

  it('validates a file, listing each problem by path', () => {
    expect(validateModelFile(join(MODELS, '2026.1.json'))).toEqual({ output: 'valid: datagedreven-overheid@2026.1, 12 factors, 41 questions, 10 risk rules', exitCode: 0 });
    const broken = JSON.parse(JSON.stringify(SHIPPED_MODELS['2026.1']));
    broken.factors[2].questions[1].rubric[0].level = 6;
    const file = join(mkdtempSync(join(tmpdir(), 'maatlat-')), 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const result = validateModelFile(file);
    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('$.factors[2].questions[1].rubric[0].level: must be <= 5');
  });

  it('publishes 2026.1, refuses 2027.1 without a crosswalk, publishes it with one, and diffs them', async () => {
    const legal = { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' };
    const first = await publishModelFile(config, join(MODELS, '2026.1.json'), legal);
    expect(first.exitCode).toBe(0);
    expect(first.output).toMatch(/^published datagedreven-overheid@2026\.1: content hash [0-9a-f]{64}, effective from 2026-01-01$/);

    const without = await publishModelFile(config, join(MODELS, '2027.1.json'), { ...legal, effectiveFrom: '2027-01-01' });
    expect(without).toEqual({
      output: 'not published: 1 problem(s)\n  crosswalk: is missing: a crosswalk from datagedreven-overheid@2026.1 must say what became of each factor and question',
      exitCode: 2,
    });
    const withCrosswalk = await publishModelFile(config, join(MODELS, '2027.1.json'), {
      ...legal,
      effectiveFrom: '2027-01-01',
      crosswalk: join(MODELS, 'crosswalk-2026.1-to-2027.1.json'),
    });
    expect(withCrosswalk.output).toMatch(/succeeding datagedreven-overheid@2026\.1$/);

    const again = await publishModelFile(config, join(MODELS, '2026.1.json'), legal);
    expect(again.exitCode).toBe(2);
    expect(again.output).toMatch(/is already published .*draft a new version to change it/);

    const diff = await diffModelVersions(config, 'datagedreven-overheid@2026.1', 'datagedreven-overheid@2027.1');
    expect(JSON.parse(diff.output).factors.added).toEqual(['F07a', 'F07b']);
  });
});
