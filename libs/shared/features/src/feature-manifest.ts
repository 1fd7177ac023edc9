import type { Type } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import type { DB } from '@maatlat/shared/database';
import type { DomainEvent } from '@maatlat/shared/domain';
import type { PostgresEventStore, Projection, RecordedEvent } from '@maatlat/shared/event-store';
import type { JobContext, JobName, PlatformJobs } from '@maatlat/shared/jobs';

/**
 * The one handler of a job, given the services of the process that runs it. `onFinalFailure` is
 * required: a handler says what happens once every try has failed (record it where users read
 * progress, or leave it listed as failed in the queue), so nothing fails unnoticed by omission.
 */
export interface JobHandler<Name extends JobName, Services> {
  handle(payload: PlatformJobs[Name], context: JobContext, services: Services): Promise<void>;
  onFinalFailure(payload: PlatformJobs[Name], reason: string, services: Services): Promise<void>;
}

export type JobHandlers<Services> = { [Name in JobName]?: JobHandler<Name, Services> };

/**
 * A checkpointed processor over the log that acts (starts work, appends events) rather than
 * keeping rows: run by the worker like a projection, so a crash replays a batch and never skips
 * one. Its effects must be idempotent; a rebuild replays it and appends nothing new.
 */
export interface Reaction<Services, E extends DomainEvent = DomainEvent> {
  name: string;
  eventTypes: readonly E['type'][];
  /** false when `apply` needs only each event's place, type and metadata (see `Projection.readsData`). */
  readsData?: boolean;
  apply(trx: Transaction<DB>, events: readonly RecordedEvent<E>[], services: Services): Promise<void>;
}

/**
 * Work the worker does on a clock (a signed checkpoint of the log, say), every `everyMs(config)`;
 * 0: off. Every worker process runs it, looking a few times per period: `run` itself decides
 * whether the period's work is due, and sees to it that one process does it (an advisory lock and
 * the time of the last run kept in the database), so the work stays once per period however many
 * workers run.
 */
export interface Schedule<Services> {
  name: string;
  everyMs(config: AppConfig): number;
  run(context: { pool: Pool; now: Date }, services: Services): Promise<unknown>;
}

/**
 * Everything the apps need from a feature, in one object: the API mounts `nestModule`, the worker
 * runs `projections`, `reactions` and `jobs`, and every app (the CLI, benchmarks and tests too)
 * builds the feature's services with `createServices`. The apps compose manifests and know nothing
 * else of a feature.
 *
 * `createServices` receives, as `provided`, the services of the features composed before it; a
 * feature that uses another's services (by their data-access classes) takes them from there, or
 * makes its own when used alone.
 * @example
 *   export const organisationsFeature: FeatureManifest<OrganisationsServices> = {
 *     name: 'organisations',
 *     nestModule: OrganisationsModule,
 *     projections: [organisationsProjection, chainsProjection],
 *     createServices: (db, store) => { const organisations = new Organisations(db, store); ... },
 *   };
 */
export interface FeatureManifest<Services extends object = object> {
  readonly name: string;
  readonly nestModule?: Type<unknown>;
  readonly projections?: readonly Projection<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each projection reads its own event union
  readonly reactions?: readonly Reaction<Services, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- likewise
  readonly jobs?: JobHandlers<Services>;
  readonly schedules?: readonly Schedule<Services>[];
  /**
   * The services it takes from the features composed before it (making its own when used alone):
   * composing a feature that provides one of them after this one is refused, since this one would
   * have made a second instance (a second model-catalogue cache, say).
   */
  readonly uses?: readonly string[];
  /** Named JSON Schemas the feature's API views refer to that no view class describes (documents it stores as they are). */
  readonly apiSchemas?: Readonly<Record<string, object>>;
  createServices(db: Kysely<DB>, store: PostgresEventStore, config: AppConfig, provided?: object): Services;
}
