import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import {
  compareVersions,
  diffModels,
  modelVersionDecider,
  modelVersionStreamId,
  parseModelRef,
  type Crosswalk,
  type ModelDiff,
  type ModelDocument,
  type ModelVersionCommand,
  type ModelVersionEvent,
  type ModelVersionState,
} from '@maatlat/model-catalogue/domain';

/** A model version as the catalogue shows it. */
export interface ModelVersionView {
  key: string;
  version: string;
  status: 'draft' | 'published' | 'retired';
  /** The stream version: the ETag a client sends back as If-Match to change it without losing an update. */
  revision: number;
  contentHash: string | null;
  legalBasis: string | null;
  effectiveFrom: string | null;
  predecessor: string | null;
  document: ModelDocument;
  crosswalk: Crosswalk | null;
}

export interface ModelVersionSummary {
  key: string;
  version: string;
  status: string;
  title: unknown;
  contentHash: string | null;
  legalBasis: string | null;
  effectiveFrom: string | null;
  predecessor: string | null;
  factorCount: number;
  questionCount: number;
  publishedAt: Date | null;
  publishedBy: string | null;
}

type Existing = Exclude<ModelVersionState, { status: 'none' }>;

/**
 * The model catalogue's use cases, shared by the HTTP API and the CLI: each command loads the
 * version's stream, lets the pure decider decide, and appends through `handleCommand`.
 * Published versions are cached in memory: their content can never change.
 */
export class ModelCatalogue {
  private readonly publishedCache = new Map<string, ModelVersionView>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
  ) {}

  async draft(input: { document: ModelDocument } | { copyFrom: string; version: string }, metadata: CommandMetadata): Promise<ModelVersionView> {
    let document: ModelDocument;
    let source: { kind: 'document' } | { kind: 'copy'; from: string };
    if ('copyFrom' in input) {
      const ref = parseModelRef(input.copyFrom);
      if (!ref) throw new ValidationFailed([{ field: 'copyFrom', problem: 'must be written key@version, e.g. datagedreven-overheid@2026.1' }]);
      const original = await this.get(ref.key, ref.version);
      if (original.status === 'draft') throw new ValidationFailed([{ field: 'copyFrom', problem: `${input.copyFrom} is a draft; copy a published version` }]);
      document = { ...original.document, version: input.version };
      source = { kind: 'copy', from: input.copyFrom };
    } else {
      document = input.document;
      source = { kind: 'document' };
    }
    const key = typeof document?.key === 'string' ? document.key : '';
    const version = typeof document?.version === 'string' ? document.version : '';
    return this.run(key, version, { type: 'DraftModelVersion', data: { document, source }, metadata });
  }

  async revise(key: string, version: string, document: ModelDocument, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
    return this.run(key, version, { type: 'ReviseModelDraft', data: { document }, metadata }, expectedVersion);
  }

  async setCrosswalk(key: string, version: string, crosswalk: Crosswalk, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
    const predecessor = await this.latestPublishedBefore(key, version);
    if (!predecessor) {
      throw new ValidationFailed([{ field: 'crosswalk', problem: `${key} has no published version before ${version}; the first version needs no crosswalk` }]);
    }
    return this.run(key, version, { type: 'SetModelCrosswalk', data: { crosswalk, predecessor: predecessor.document }, metadata }, expectedVersion);
  }

  async publish(key: string, version: string, input: { legalBasis: string; effectiveFrom: string }, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
    const predecessor = await this.latestPublishedBefore(key, version);
    return this.run(key, version, { type: 'PublishModelVersion', data: { ...input, predecessor: predecessor?.document ?? null }, metadata }, expectedVersion);
  }

  async retire(key: string, version: string, metadata: CommandMetadata, expectedVersion?: number): Promise<ModelVersionView> {
    return this.run(key, version, { type: 'RetireModelVersion', data: {}, metadata }, expectedVersion);
  }

  /**
   * One version, as its stream says now (so a write is visible at once). A published version's
   * view is cached with the stream version it was read at: the content can never change and only a
   * retirement can follow, so one primary-key look-up tells whether the cached view still holds.
   */
  async get(key: string, version: string): Promise<ModelVersionView> {
    const streamId = modelVersionStreamId(key, version);
    const cached = this.publishedCache.get(streamId);
    if (cached && cached.revision === (await this.store.streamVersion(streamId))) return cached;
    const events = await this.store.readStream<ModelVersionEvent>(streamId);
    const state = foldEvents(modelVersionDecider, events);
    if (state.status === 'none') throw new NotFound('model-version', `${key}@${version}`);
    const view = toView(state, events[events.length - 1].version);
    if (state.status !== 'draft') this.publishedCache.set(streamId, view);
    return view;
  }

  /** Every version of every model (or of one), newest first, from the catalogue's read model. */
  async list(key?: string): Promise<ModelVersionSummary[]> {
    const rows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .$if(key !== undefined, (q) => q.where('key', '=', key!))
      .orderBy('key')
      .execute();
    return rows
      .sort((a, b) => (a.key === b.key ? compareVersions(b.version, a.version) : 0))
      .map((r) => ({
        key: r.key,
        version: r.version,
        status: r.status,
        title: r.title,
        contentHash: r.content_hash,
        legalBasis: r.legal_basis,
        effectiveFrom: r.effective_from,
        predecessor: r.predecessor,
        factorCount: r.factor_count,
        questionCount: r.question_count,
        publishedAt: r.published_at,
        publishedBy: r.published_by,
      }));
  }

  async diff(key: string, from: string, to: string): Promise<ModelDiff> {
    const [a, b] = await Promise.all([this.get(key, from), this.get(key, to)]);
    return diffModels(a.document, b.document);
  }

  /**
   * The newest published (or retired) version before `version`: a new version's predecessor.
   * Read from the streams themselves, not the read model, so a version published a moment ago
   * already counts.
   */
  async latestPublishedBefore(key: string, version: string): Promise<ModelVersionView | undefined> {
    const prefix = modelVersionStreamId(key, '');
    const streams = await this.db
      .selectFrom('streams')
      .select('stream_id')
      .where('category', '=', 'modelversion')
      // Keys and versions hold no LIKE wildcards ([a-z0-9-] and digits with a dot).
      .where('stream_id', 'like', `${prefix}%`)
      .execute();
    const earlier = streams
      .map((s) => s.stream_id.slice(prefix.length))
      .filter((v) => /^\d{4}\.\d+$/.test(v) && compareVersions(v, version) < 0)
      .sort(compareVersions)
      .reverse();
    for (const candidate of earlier) {
      const view = await this.get(key, candidate);
      if (view.status !== 'draft') return view;
    }
    return undefined;
  }

  private async run(key: string, version: string, command: ModelVersionCommand, expectedVersion?: number): Promise<ModelVersionView> {
    const outcome = await handleCommand(this.store, modelVersionDecider, modelVersionStreamId(key, version), command, { expectedVersion });
    const revision = outcome.result?.nextExpectedVersion ?? (await this.store.streamVersion(modelVersionStreamId(key, version)));
    if (outcome.state.status === 'none') throw new NotFound('model-version', `${key}@${version}`);
    return toView(outcome.state, revision);
  }
}

function toView(state: Existing, revision: number): ModelVersionView {
  const published = state.status === 'draft' ? undefined : state;
  return {
    key: state.key,
    version: state.version,
    status: state.status,
    revision,
    contentHash: published?.contentHash ?? null,
    legalBasis: published?.legalBasis ?? null,
    effectiveFrom: published?.effectiveFrom ?? null,
    predecessor: published?.predecessor ?? null,
    document: state.document,
    crosswalk: state.crosswalk,
  };
}
