import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import { modelVersionDecider, modelVersionStreamId, type Crosswalk, type ModelDocument, type ModelVersionCommand, type ModelVersionState } from '@maatlat/model-catalogue/domain';

/** What the catalogue's use cases stand on. */
export interface ModelCatalogueContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  /** Published versions by stream id, as this catalogue last read them: their content can never change. */
  publishedCache: Map<string, ModelVersionView>;
}

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

type Existing = Exclude<ModelVersionState, { status: 'none' }>;

export function modelVersionViewOf(state: Existing, revision: number): ModelVersionView {
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

/**
 * Loads the version's stream, lets the pure decider decide the command, appends through
 * `handleCommand`, and returns the version as it stands after.
 */
export async function runModelVersionCommand(context: ModelCatalogueContext, key: string, version: string, command: ModelVersionCommand, expectedVersion?: number): Promise<ModelVersionView> {
  const outcome = await handleCommand(context.store, modelVersionDecider, modelVersionStreamId(key, version), command, { expectedVersion });
  const revision = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(modelVersionStreamId(key, version)));
  if (outcome.state.status === 'none') throw new NotFound('model-version', `${key}@${version}`);
  return modelVersionViewOf(outcome.state, revision);
}
