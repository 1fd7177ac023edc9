import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import type { Crosswalk, ModelDocument } from '@maatlat/model-catalogue/domain';
import { draftModelVersion } from './draft-model-version';
import { listModelVersions } from './list-model-versions';
import type { ModelCatalogueContext } from './model-catalogue.context';
import { publishModelVersion } from './publish-model-version';
import { diffModelVersions, latestPublishedBefore, readModelVersion } from './read-model-version';
import { retireModelVersion } from './retire-model-version';
import { reviseModelDraft } from './revise-model-draft';
import { setModelCrosswalk } from './set-model-crosswalk';

/**
 * The model catalogue's use cases, one file each (draft-model-version.ts, publish-model-version.ts,
 * …), shared by the HTTP API and the CLI; each method is only the door to its use case. Published
 * versions are cached in memory, one cache a catalogue: their content can never change.
 */
export class ModelCatalogue {
  private readonly context: ModelCatalogueContext;

  constructor(db: Kysely<DB>, store: PostgresEventStore) {
    this.context = { db, store, publishedCache: new Map() };
  }

  draft = (input: { document: ModelDocument } | { copyFrom: string; version: string }, metadata: CommandMetadata) => draftModelVersion(this.context, input, metadata);
  revise = (key: string, version: string, document: ModelDocument, metadata: CommandMetadata, expectedVersion?: number) =>
    reviseModelDraft(this.context, key, version, document, metadata, expectedVersion);
  setCrosswalk = (key: string, version: string, crosswalk: Crosswalk, metadata: CommandMetadata, expectedVersion?: number) =>
    setModelCrosswalk(this.context, key, version, crosswalk, metadata, expectedVersion);
  publish = (key: string, version: string, input: { legalBasis: string; effectiveFrom: string }, metadata: CommandMetadata, expectedVersion?: number) =>
    publishModelVersion(this.context, key, version, input, metadata, expectedVersion);
  retire = (key: string, version: string, metadata: CommandMetadata, expectedVersion?: number) => retireModelVersion(this.context, key, version, metadata, expectedVersion);
  get = (key: string, version: string) => readModelVersion(this.context, key, version);
  list = (key?: string) => listModelVersions(this.context, key);
  diff = (key: string, from: string, to: string) => diffModelVersions(this.context, key, from, to);
  latestPublishedBefore = (key: string, version: string) => latestPublishedBefore(this.context, key, version);
}
