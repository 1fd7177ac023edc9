import { randomUUID } from 'node:crypto';
import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, jobsOf, type FeatureManifest } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { organisationsFeature } from '@maatlat/organisations/feature';
import type { Organisations } from '@maatlat/organisations/data-access';
import { archiveExportStreamId } from '@maatlat/archive/domain';
import { ArchiveExportFiles } from '@maatlat/archive/data-access';
import { archiveFeature, type ArchiveServices } from './archive.feature';

const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

/** The `archive.export` job through its registration, as either runner calls it: retried, failed. */
describe('the archive.export job', () => {
  let database: TestDatabase;
  let services: ArchiveServices & { organisations: Organisations };
  let organisationId: string;
  const job = () => jobsOf([eventStoreFeature, organisationsFeature, archiveFeature] as FeatureManifest[], services, ['event-store.verify-stream', 'archive.export']).find((r) => r.name === 'archive.export')!;
  const types = async () => (await database.pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [archiveExportStreamId(organisationId)])).rows.map((r) => r.type);

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 8 });
    const store = new PostgresEventStore(database.db, database.pool);
    services = composeServices([organisationsFeature, archiveFeature], database.db, store, testConfig({ DATABASE_URL: database.url }));
    organisationId = (await services.organisations.register({ name: 'Gemeente Herhaal', organisationType: 'municipality', sizeBand: 'small' }, meta('admin'))).organisationId;
  });
  afterAll(async () => {
    await services?.archiveExports.onModuleDestroy();
    await database.drop();
  });

  it('run twice records one archive, the first; a failure after it changes nothing', async () => {
    const { exportId } = await services.archiveExports.request(organisationId, meta('coordinator-1'));
    await job().handle({ exportId, organisationId }, { jobId: 'j-1', attempt: 1 });
    const first = await services.archiveExports.get(organisationId, exportId);
    await job().handle({ exportId, organisationId }, { jobId: 'j-1', attempt: 2 });
    await job().onFinalFailure({ exportId, organisationId }, 'late');
    expect(await services.archiveExports.get(organisationId, exportId)).toEqual(first);
    expect(first).toMatchObject({ status: 'done', requestedBy: 'coordinator-1', reason: null });
    expect((await services.archiveExports.file(organisationId, exportId)).archive.length).toBe(first.bytes);
    expect(await types()).toEqual(['ArchiveExportRequested', 'ArchiveExported']);
  });

  it('is running once the job started on it; after its last try it is failed with the reason, and its file refused', async () => {
    const { exportId } = await services.archiveExports.request(organisationId, meta('auditor-1'));
    expect((await services.archiveExports.get(organisationId, exportId)).status).toBe('queued');
    await new ArchiveExportFiles(database.db).started(exportId, organisationId, 'auditor-1', new Date());
    expect((await services.archiveExports.get(organisationId, exportId)).status).toBe('running');
    await expect(services.archiveExports.file(organisationId, exportId)).rejects.toThrow(RuleBroken);
    await job().onFinalFailure({ exportId, organisationId }, 'the disk is full');
    expect(await services.archiveExports.get(organisationId, exportId)).toMatchObject({ status: 'failed', reason: 'the disk is full', sha256: null, bytes: null });
    await expect(services.archiveExports.file(organisationId, exportId)).rejects.toThrow(RuleBroken);
  });

  it('knows no export of an unknown organisation, nor an unknown export', async () => {
    await expect(services.archiveExports.request(randomUUID(), meta('admin'))).rejects.toThrow(NotFound);
    await expect(services.archiveExports.get(organisationId, randomUUID())).rejects.toThrow(NotFound);
  });
});
