import { createHash, randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { reportDecider, reportStreamId } from '@maatlat/reports/domain';
import { readReports, ReportFiles } from './report-files';

const meta = (actor = 'coordinator-cor'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('report files and report streams', () => {
  let database: TestDatabase;
  let files: ReportFiles;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    files = new ReportFiles(database.db);
    store = new PostgresEventStore(database.db, database.pool);
  });
  afterAll(() => database.drop());

  it('keeps an issued PDF once, finds it by report and by its SHA-256, and never replaces it', async () => {
    const pdf = Buffer.from('%PDF-1.7 rapport een');
    const file = { reportId: randomUUID(), assessmentId: randomUUID(), organisationId: randomUUID(), sha256: sha256(pdf), pdf };
    await files.store(file);
    expect(await files.get(file.reportId)).toEqual(file);
    expect(await files.bySha256(file.sha256)).toEqual([{ reportId: file.reportId, assessmentId: file.assessmentId }]);

    // A job run twice stores nothing new: the first bytes stay.
    const other = Buffer.from('%PDF-1.7 iets anders');
    await files.store({ ...file, sha256: sha256(other), pdf: other });
    expect(await files.get(file.reportId)).toEqual(file);
    expect(await files.bySha256(sha256(other))).toEqual([]);
    expect(await files.get(randomUUID())).toBeUndefined();
  });

  it("folds an assessment's report stream: requested, then generated or failed, with the stream's version", async () => {
    const assessmentId = randomUUID();
    expect(await readReports(store, assessmentId)).toEqual({ state: {}, version: 0 });
    const [done, failed] = [randomUUID(), randomUUID()];
    const stream = reportStreamId(assessmentId);
    for (const reportId of [done, failed]) {
      await handleCommand(store, reportDecider, stream, { type: 'RequestReport', data: { reportId, assessmentId, language: 'nl', audience: 'internal' }, metadata: meta() });
    }
    const source = { streamId: `assessment-${assessmentId}`, version: 9, eventId: randomUUID(), hash: 'ab'.repeat(32) };
    await handleCommand(store, reportDecider, stream, { type: 'RecordReportGenerated', data: { reportId: done, source, pdfSha256: 'cd'.repeat(32), bytes: 1234 }, metadata: meta('system:reports') });
    await handleCommand(store, reportDecider, stream, { type: 'RecordReportFailed', data: { reportId: failed, reason: 'Chromium did not start' }, metadata: meta('system:reports') });

    const { state, version } = await readReports(store, assessmentId);
    expect(version).toBe(4);
    expect(state[done]).toMatchObject({ status: 'done', requestedBy: 'coordinator-cor', generated: { source, pdfSha256: 'cd'.repeat(32), bytes: 1234 }, reason: null });
    expect(state[failed]).toMatchObject({ status: 'failed', reason: 'Chromium did not start' });
  });
});
