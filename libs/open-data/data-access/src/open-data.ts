import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, EventsTable } from '@maatlat/shared/database';
import { canonicalJson, groupBy, NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { benchmarkCells, type BenchmarkPublished, type PeerScore } from '@maatlat/insights/domain';
import {
  buildDataset,
  publicationDecider,
  parsePublicationStreamId,
  publicationStreamId,
  type DatasetFile,
  type PublicationEvent,
  type PublishedBenchmark,
  type PublishedBenchmarkEdition,
  type PublishedResult,
} from '@maatlat/open-data/domain';

export interface OpenDataOptions {
  licence: string;
  publisher: { name: string; uri?: string };
  minGroup: number;
  /** Where `/open-data` is served (absolute), for the identifiers in the metadata. */
  baseUrl: string;
  /** The signed checkpoints and public keys to copy into each version (outside the database). */
  checkpoints?: CheckpointSource;
}

/** A signed checkpoint as the dataset copies it: its statement (with its sequence number) and signature. */
export interface CheckpointCopy {
  statement: { sequence: number };
  signature: string;
}

export interface CheckpointSource {
  /** Every checkpoint recorded so far, oldest first, and the keys to check them with. */
  all(): Promise<{ checkpoints: CheckpointCopy[]; keys: unknown[] }>;
  /** The latest checkpoint's sequence number; null before the first. */
  latestSequence(): Promise<number | null>;
}

/** What the worker's look at the dataset did: a new version, or why none was needed. */
export type DatasetRefresh = { recorded: DatasetVersionSummary } | { skipped: 'no-dataset' | 'unchanged' };

export interface PublicationView {
  assessmentId: string;
  organisationId: string;
  status: 'published' | 'withdrawn';
  /** The dataset version that carries the change. */
  datasetVersion: number;
  revision: number;
  /** Who made the change, and when. */
  by: string;
  at: string;
}

/** An assessment's publication as its stream tells it: where it stands, and who changed it when. */
export interface PublicationRecord {
  assessmentId: string;
  organisationId: string;
  status: 'unpublished' | 'published' | 'withdrawn';
  /** The publication's revision (what `If-Match` names); 0 before the first change. */
  revision: number;
  changes: { change: 'published' | 'withdrawn'; by: string; at: string }[];
}

export interface DatasetVersionSummary {
  version: number;
  contentId: string;
  createdAt: string;
  files: { name: string; mediaType: string; bytes: number; sha256: string }[];
}

interface StoredVersion {
  version: number;
  content_id: string;
  created_at: Date;
  metadata: Record<string, unknown>;
  files: Record<string, DatasetFile>;
}

const BENCHMARK_GROUPINGS = ['all', 'organisationType', 'sizeBand'] as const;

/**
 * Woo open data: a coordinator publishes (or withdraws) an assessment's results as events, and each
 * change makes a new, immutable, content-addressed version of the public dataset; older versions
 * stay downloadable.
 */
export class OpenData {
  private readonly assessments: AssessmentRepository;
  private readonly organisations: Organisations;
  private readonly catalogue: ModelCatalogue;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly options: OpenDataOptions,
    dependencies: { assessments?: AssessmentRepository; organisations?: Organisations; catalogue?: ModelCatalogue } = {},
  ) {
    this.assessments = dependencies.assessments ?? new AssessmentRepository(db, store);
    this.organisations = dependencies.organisations ?? new Organisations(db, store);
    this.catalogue = dependencies.catalogue ?? new ModelCatalogue(db, store);
  }

  /** Marks a closed, scored assessment of the organisation publishable; the dataset gets a new version. */
  async publish(organisationId: string, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<PublicationView> {
    await this.ownedBy(organisationId, assessmentId);
    const scored = await this.assessments.scoreEvent(assessmentId).then(
      () => true,
      (error) => (error instanceof NotFound ? false : Promise.reject(error)),
    );
    const outcome = await handleCommand(
      this.store,
      publicationDecider,
      publicationStreamId(assessmentId),
      { type: 'PublishResults', data: { assessmentId, organisationId, scored }, metadata: { ...metadata, tenantId: organisationId } },
      { expectedVersion },
    );
    const version = await this.buildVersion(metadata.now);
    return { assessmentId, organisationId, status: 'published', datasetVersion: version.version, revision: outcome.result?.nextExpectedVersion ?? 1, by: metadata.actor, at: metadata.now.toISOString() };
  }

  /** Withdraws published results: the next dataset version leaves them out. */
  async withdraw(organisationId: string, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<PublicationView> {
    await this.ownedBy(organisationId, assessmentId);
    const outcome = await handleCommand(
      this.store,
      publicationDecider,
      publicationStreamId(assessmentId),
      { type: 'WithdrawResults', data: { assessmentId, organisationId }, metadata: { ...metadata, tenantId: organisationId } },
      { expectedVersion },
    );
    const version = await this.buildVersion(metadata.now);
    return { assessmentId, organisationId, status: 'withdrawn', datasetVersion: version.version, revision: outcome.result?.nextExpectedVersion ?? 1, by: metadata.actor, at: metadata.now.toISOString() };
  }

  /** The assessment's publication: its status and every change, with who and when. */
  async publication(organisationId: string, assessmentId: string): Promise<PublicationRecord> {
    await this.ownedBy(organisationId, assessmentId);
    const events = await this.store.readStream<PublicationEvent>(publicationStreamId(assessmentId));
    const changes = events.map((event) => ({
      change: event.type === 'AssessmentResultsPublished' ? ('published' as const) : ('withdrawn' as const),
      by: event.metadata.actor,
      // The moment the coordinator's command was decided at, as the change's answer gave it.
      at: event.metadata.occurredAt ?? event.recordedAt.toISOString(),
    }));
    return { assessmentId, organisationId, status: changes.at(-1)?.change ?? 'unpublished', revision: events.length, changes };
  }

  private async ownedBy(organisationId: string, assessmentId: string): Promise<void> {
    const owner = await this.assessments.organisationOf(assessmentId);
    // Another organisation's assessment is as good as absent.
    if (owner !== organisationId) throw new NotFound('assessment', assessmentId);
  }

  /** The assessments whose results are published now, with the events that published them. */
  private async published(): Promise<{ assessmentId: string; eventId: string; publishedAt: Date }[]> {
    const { rows } = await sql<Pick<Selectable<EventsTable>, 'stream_id' | 'event_id' | 'recorded_at'> & { type: PublicationEvent['type'] }>`
      SELECT DISTINCT ON (stream_id) stream_id, event_id::text AS event_id, type, recorded_at
        FROM events WHERE stream_id LIKE ${`${publicationStreamId('')}%`}
       ORDER BY stream_id, events.version DESC`.execute(this.db);
    return rows.filter((r) => r.type === 'AssessmentResultsPublished').map((r) => ({ assessmentId: parsePublicationStreamId(r.stream_id), eventId: r.event_id, publishedAt: r.recorded_at }));
  }

  /** Every published benchmark edition (`BenchmarkPublished`), as the dataset carries it: the frozen figures, not their inputs. */
  private async benchmarkEditions(): Promise<{ eventId: string; editions: PublishedBenchmarkEdition[] }[]> {
    const { rows } = await sql<Pick<Selectable<EventsTable>, 'event_id' | 'recorded_at'> & { data: BenchmarkPublished['data'] }>`
      SELECT event_id::text AS event_id, recorded_at, data FROM events WHERE type = 'BenchmarkPublished' ORDER BY stream_id, version`.execute(this.db);
    return rows.map(({ event_id, recorded_at, data }) => ({
      eventId: event_id,
      editions: data.figures.flatMap((figures) =>
        figures.cells.map((cell) => ({
          model: { key: data.modelKey, version: data.modelVersion },
          period: data.period,
          level: data.level,
          edition: data.edition,
          publishedAt: recorded_at.toISOString(),
          minGroup: data.minGroup,
          percentileMethod: data.percentileMethod,
          groupBy: figures.groupBy,
          cell,
        })),
      ),
    }));
  }

  /**
   * Makes a new dataset version when the publications or the signed checkpoints changed since the
   * latest one (one builder at a time); otherwise returns the latest. A version is never changed
   * once written.
   */
  async buildVersion(now: Date = new Date()): Promise<DatasetVersionSummary> {
    return (await this.build(now)).summary;
  }

  /**
   * The worker's regular look: a checkpoint recorded since the latest version (on demand or on the
   * clock) gets a version that carries it, so the copies outside the database stay current. A
   * platform that has published nothing has no dataset, and gets none from a checkpoint alone.
   */
  async refresh(now: Date = new Date()): Promise<DatasetRefresh> {
    const latest = await this.db.selectFrom('open_data_versions').select('checkpoint_sequence').orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (!latest) return { skipped: 'no-dataset' };
    const checkpoint = (await this.options.checkpoints?.latestSequence()) ?? null;
    if (checkpoint === null || checkpoint === latest.checkpoint_sequence) return { skipped: 'unchanged' };
    const { made, summary } = await this.build(now);
    return made ? { recorded: summary } : { skipped: 'unchanged' };
  }

  private async build(now: Date): Promise<{ made: boolean; summary: DatasetVersionSummary }> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended('maatlat:open-data-version', 0))`.execute(trx);
      const published = await this.published();
      const editions = await this.benchmarkEditions();
      // What was published: the results' publication events and the benchmark editions (hashed as
      // before when there are none, so versions made before editions went in stay current).
      const publicationIds = published.map((p) => [p.assessmentId, p.eventId]).sort();
      const publicationsHash = createHash('sha256')
        .update(canonicalJson(editions.length ? { results: publicationIds, benchmarkEditions: editions.map((e) => e.eventId).sort() } : publicationIds))
        .digest('hex');
      const latest = await trx
        .selectFrom('open_data_versions')
        .select(['version', 'publications_hash', 'checkpoint_sequence'])
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      const latestCheckpoint = (await this.options.checkpoints?.latestSequence()) ?? null;
      if (latest && latest.publications_hash === publicationsHash && latest.checkpoint_sequence === latestCheckpoint) return { made: false, summary: await this.summary(latest.version) };
      // Every checkpoint is read only for a version that is made; it records the last it carries.
      const { checkpoints, keys } = (await this.options.checkpoints?.all()) ?? { checkpoints: [], keys: [] };
      const checkpointSequence = checkpoints.length ? checkpoints[checkpoints.length - 1].statement.sequence : null;
      const version = (latest?.version ?? 0) + 1;
      const results = await Promise.all(published.map((p) => this.resultOf(p.assessmentId, p.publishedAt)));
      const benchmarkEditions = editions.flatMap((e) => e.editions);
      const modelRefs = new Map([...results, ...benchmarkEditions].map((r) => [`${r.model.key}@${r.model.version}`, { key: r.model.key, version: r.model.version }]));
      const models = await Promise.all(
        [...modelRefs.values()].map(async (m) => {
          const model = await this.catalogue.get(m.key, m.version);
          return { ...m, contentHash: model.contentHash ?? '', title: model.document.title.nl };
        }),
      );
      const dataset = buildDataset({
        version,
        createdAt: now.toISOString(),
        results,
        benchmarks: this.benchmarks(results),
        benchmarkEditions,
        models,
        checkpoints,
        publicKeys: keys,
        licence: this.options.licence,
        publisher: this.options.publisher,
        baseUrl: this.options.baseUrl,
        minGroup: this.options.minGroup,
      });
      await trx
        .insertInto('open_data_versions')
        .values({
          version,
          content_id: dataset.contentId,
          created_at: now,
          publications_hash: publicationsHash,
          checkpoint_sequence: checkpointSequence,
          metadata: JSON.stringify(dataset.metadata),
          files: JSON.stringify(Object.fromEntries(dataset.files.map((f) => [f.name, f]))),
        })
        .execute();
      return { made: true, summary: { version, contentId: dataset.contentId, createdAt: now.toISOString(), files: dataset.files.map(({ content: _content, ...f }) => f) } };
    });
  }

  private async resultOf(assessmentId: string, publishedAt: Date): Promise<PublishedResult> {
    const opened = (await this.assessments.opened(assessmentId))!;
    const { score } = await this.assessments.scoreEvent(assessmentId);
    const organisation = await this.organisations.get(opened.organisationId);
    return {
      assessmentId,
      organisation: { organisationId: organisation.organisationId, name: organisation.name, organisationType: organisation.organisationType, sizeBand: organisation.sizeBand },
      scope: opened.scope.kind === 'unit' ? { kind: 'unit', unitId: opened.scope.unitId } : opened.scope.kind === 'chain' ? { kind: 'chain', chainId: opened.scope.chainId } : { kind: 'organisation' },
      period: opened.period,
      model: score.model,
      algorithm: score.algorithm,
      overall: { score: score.overall.score, stage: score.overall.stage },
      factors: score.factors.map((f) => ({ factorId: f.factorId, score: f.score, stage: f.stage })),
      publishedAt: publishedAt.toISOString(),
    };
  }

  /** Benchmarks over the published whole-organisation results, per model version and period; k or more organisations only. */
  private benchmarks(results: readonly PublishedResult[]): PublishedBenchmark[] {
    const wholeOrganisations = results.filter((r) => r.scope.kind === 'organisation');
    const groups = groupBy(wholeOrganisations, (r) => `${r.model.key}\u0000${r.model.version}\u0000${r.period}`);
    const benchmarks: PublishedBenchmark[] = [];
    for (const members of groups.values()) {
      // One score per organisation: its latest published result of the period.
      const byOrganisation = new Map(members.map((m) => [m.organisation.organisationId, m]));
      if (byOrganisation.size < this.options.minGroup) continue;
      const scores: PeerScore[] = [...byOrganisation.values()].map((m) => ({
        organisationId: m.organisation.organisationId,
        organisationType: m.organisation.organisationType,
        sizeBand: m.organisation.sizeBand,
        overall: m.overall.score,
        factors: Object.fromEntries(m.factors.map((f) => [f.factorId, f.score])),
      }));
      const factorIds = members[0].factors.map((f) => f.factorId);
      for (const groupBy of BENCHMARK_GROUPINGS) {
        for (const cell of benchmarkCells(scores, groupBy, this.options.minGroup, factorIds)) {
          benchmarks.push({ model: { key: members[0].model.key, version: members[0].model.version }, period: members[0].period, groupBy, cell });
        }
      }
    }
    return benchmarks;
  }

  private async stored(version?: number | string): Promise<StoredVersion> {
    const row = await this.db
      .selectFrom('open_data_versions')
      .select(['version', 'content_id', 'created_at', 'metadata', 'files'])
      .$if(typeof version === 'number', (q) => q.where('version', '=', version as number))
      .$if(typeof version === 'string', (q) => q.where('content_id', '=', version as string))
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new NotFound('open-data-version', version === undefined ? 'latest' : String(version));
    // The JSON columns hold what buildVersion wrote: the metadata document and the files by name.
    return { ...row, metadata: row.metadata as StoredVersion['metadata'], files: row.files as StoredVersion['files'] };
  }

  /** A version (by number or content id; the latest without either) as its summary. */
  async summary(version?: number | string): Promise<DatasetVersionSummary> {
    const row = await this.stored(version);
    return {
      version: row.version,
      contentId: row.content_id,
      createdAt: row.created_at.toISOString(),
      files: Object.values(row.files).map(({ name, mediaType, bytes, sha256 }) => ({ name, mediaType, bytes, sha256 })),
    };
  }

  async versions(): Promise<DatasetVersionSummary[]> {
    const rows = await this.db.selectFrom('open_data_versions').select('version').orderBy('version', 'desc').execute();
    return Promise.all(rows.map((r) => this.summary(r.version)));
  }

  /** The DCAT-AP metadata (JSON-LD) of a version. */
  async metadata(version?: number | string): Promise<Record<string, unknown>> {
    return (await this.stored(version)).metadata;
  }

  /** One distribution of a version, exactly as it was when the version was made. */
  async file(name: string, version?: number | string): Promise<DatasetFile> {
    const found = (await this.stored(version)).files[name];
    if (!found) throw new NotFound('open-data-file', name);
    return found;
  }
}
