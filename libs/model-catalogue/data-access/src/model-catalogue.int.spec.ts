import { randomUUID } from 'node:crypto';
import { Conflict, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, WrongExpectedVersion } from '@maatlat/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { documentHash, modelVersionStreamId, SHIPPED_MODELS, type ModelDocument, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from './model-catalogue';

const KEY = 'datagedreven-overheid';
const metadata = (actor = 'beheerder-bea'): CommandMetadata => ({ now: new Date('2026-11-30T10:00:00Z'), actor, correlationId: randomUUID() });
const model2026 = SHIPPED_MODELS['2026.1'];
// The revision an editor makes: F01 weighs double.
const revised: ModelDocument = { ...model2026, factors: model2026.factors.map((f) => (f.id === 'F01' ? { ...f, weight: 2 } : f)) };

describe('ModelCatalogue, on the event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let catalogue: ModelCatalogue;
  const streamOf = (version: string) => store.readStream<ModelVersionEvent>(modelVersionStreamId(KEY, version));

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    catalogue = new ModelCatalogue(database.db, store);
  });
  afterAll(() => database.drop());

  it('drafts a version from a document, recording the document and who drafted it', async () => {
    const view = await catalogue.draft({ document: model2026 }, metadata('redacteur-rik'));
    expect(view).toMatchObject({ key: KEY, version: '2026.1', status: 'draft', revision: 1, contentHash: null, predecessor: null, crosswalk: null });
    const events = await streamOf('2026.1');
    expect(events.map((e) => [e.version, e.type, e.metadata.actor])).toEqual([[1, 'ModelVersionDrafted', 'redacteur-rik']]);
    expect(events[0].data).toEqual({ key: KEY, version: '2026.1', document: model2026, source: { kind: 'document' } });
  });

  it('refuses a revision made on a stale revision, naming the versions, and records nothing', async () => {
    const stale = catalogue.revise(KEY, '2026.1', revised, metadata('redacteur-rik'), 0);
    await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(stale).rejects.toBeInstanceOf(Conflict);
    await expect(stale).rejects.toMatchObject({ code: 'stream.wrong-expected-version', details: { expectedVersion: 0, actualVersion: 1 } });
    expect(await streamOf('2026.1')).toHaveLength(1);
  });

  it('revises a draft on its current revision', async () => {
    const view = await catalogue.revise(KEY, '2026.1', revised, metadata('redacteur-rik'), 1);
    expect(view).toMatchObject({ status: 'draft', revision: 2 });
    expect(view.document.factors[0]).toMatchObject({ id: 'F01', weight: 2 });
    expect((await streamOf('2026.1')).map((e) => e.type)).toEqual(['ModelVersionDrafted', 'ModelDraftRevised']);
  });

  it('publishes the revised content under the hash of its canonical JSON, with legal basis and effective date', async () => {
    const view = await catalogue.publish(KEY, '2026.1', { legalBasis: ' Woo; AVG ', effectiveFrom: '2026-01-01' }, metadata());
    expect(view).toMatchObject({ status: 'published', revision: 3, contentHash: documentHash(revised), legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01', predecessor: null });
    expect(view.contentHash).not.toBe(documentHash(model2026));
    const [published] = (await streamOf('2026.1')).slice(2);
    expect(published).toMatchObject({
      version: 3,
      type: 'ModelVersionPublished',
      data: { key: KEY, version: '2026.1', contentHash: documentHash(revised), legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01', predecessor: null, crosswalkHash: null },
      metadata: { actor: 'beheerder-bea' },
    });
  });

  it('refuses to revise a published version, whatever revision is sent, and records nothing', async () => {
    await expect(catalogue.revise(KEY, '2026.1', model2026, metadata('redacteur-rik'), 3)).rejects.toMatchObject({
      code: 'model.version-published',
      message: `${KEY}@2026.1 is published and can never change; to change it, draft a new version`,
    });
    expect(await streamOf('2026.1')).toHaveLength(3);
  });

  it('serves a published version from its cache equal to a fresh read, and sees a retirement at once', async () => {
    const first = await catalogue.get(KEY, '2026.1');
    const cached = await catalogue.get(KEY, '2026.1');
    expect(cached).toBe(first);
    const fresh = await new ModelCatalogue(database.db, store).get(KEY, '2026.1');
    expect(cached).toEqual(fresh);
    expect(fresh).toMatchObject({ status: 'published', revision: 3, contentHash: documentHash(revised), document: revised });

    // Another process retires it: the cached view must not outlive the stream it was read from.
    await new ModelCatalogue(database.db, store).retire(KEY, '2026.1', metadata());
    expect(await catalogue.get(KEY, '2026.1')).toMatchObject({ status: 'retired', revision: 4, contentHash: documentHash(revised) });
  });

  it('drafts a successor by copying a published version, and diffs the two by factor, question and risk rule', async () => {
    const copy = await catalogue.draft({ copyFrom: `${KEY}@2026.1`, version: '2026.2' }, metadata('redacteur-rik'));
    expect(copy).toMatchObject({ version: '2026.2', status: 'draft', revision: 1 });
    expect((await streamOf('2026.2'))[0].data).toMatchObject({ source: { kind: 'copy', from: `${KEY}@2026.1` } });

    const [f01, ...rest] = copy.document.factors;
    const changed: ModelDocument = { ...copy.document, factors: [{ ...f01, weight: 1, questions: f01.questions.slice(0, 2) }, ...rest], riskRules: copy.document.riskRules.slice(1) };
    await catalogue.revise(KEY, '2026.2', changed, metadata('redacteur-rik'), 1);

    expect(await catalogue.diff(KEY, '2026.1', '2026.2')).toEqual({
      from: `${KEY}@2026.1`,
      to: `${KEY}@2026.2`,
      factors: { added: [], removed: [], changed: [{ id: 'F01', changes: [{ field: 'weight', from: 2, to: 1 }] }] },
      questions: { added: [], removed: ['F01-Q3'], changed: [] },
      riskRules: { added: [], removed: [model2026.riskRules[0].id], changed: [] },
    });
  });
});
