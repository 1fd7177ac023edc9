import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore, Projection } from '@maatlat/shared/event-store';
import { indexJobHandlers, JOB_NAMES, type JobName, type JobRegistration } from '@maatlat/shared/jobs';
import type { FeatureManifest, JobHandler } from './feature-manifest';

/** The services of every feature, made in the order given, each seeing those made before it (by name). */
export type ComposedServices = object;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;

/** The services a list of manifests makes together, typed from the manifests themselves. */
export type ServicesOf<Features extends readonly FeatureManifest[]> = UnionToIntersection<
  Features[number] extends infer Feature ? (Feature extends FeatureManifest<infer Services> ? Services : never) : never
>;

/**
 * Makes the services of the features in order: one instance of each service per process, shared
 * by everything that uses it (one model-catalogue cache, say). Typed by the manifests given: a
 * list written out (`as const`) gives each feature's services by name, with no cast.
 */
export function composeServices<const Features extends readonly FeatureManifest[]>(
  features: Features,
  db: Kysely<DB>,
  store: PostgresEventStore,
  config: AppConfig,
): ServicesOf<Features> & ComposedServices {
  const services: Record<string, unknown> = {};
  // Services a feature uses that no feature before it provided: it made its own.
  const madeAlone = new Map<string, string>();
  for (const feature of features) {
    for (const [name, service] of Object.entries(feature.createServices(db, store, config, { ...services }))) {
      if (name in services) throw new Error(`two features create a service named ${name} (the second is ${feature.name})`);
      const user = madeAlone.get(name);
      if (user) throw new Error(`${feature.name} provides ${name}, which ${user} (composed before it) uses: compose ${feature.name} first`);
      services[name] = service;
    }
    for (const name of feature.uses ?? []) if (!(name in services) && !madeAlone.has(name)) madeAlone.set(name, feature.name);
  }
  // Each manifest's createServices made its part of the intersection, by the names it declares.
  return services as ServicesOf<Features> & ComposedServices;
}

/** The read models of the features, by name; two with one name is a composition error. */
export function projectionsOf(features: readonly FeatureManifest[]): Projection[] {
  const projections = features.flatMap((f) => f.projections ?? []);
  const names = projections.map((p) => p.name);
  const doubled = names.filter((name, i) => names.indexOf(name) !== i);
  if (doubled.length) throw new Error(`projection names used twice: ${doubled.join(', ')}`);
  return [...projections];
}

/** The reactions of the features, bound to the services, as checkpointed processors the runner runs. */
export function reactionsOf(features: readonly FeatureManifest[], services: ComposedServices): Projection[] {
  return features.flatMap((f) =>
    (f.reactions ?? []).map(
      (reaction): Projection => ({
        name: reaction.name,
        eventTypes: reaction.eventTypes,
        readsData: reaction.readsData,
        tables: [],
        apply: (trx, events) => reaction.apply(trx, events, services),
        // Reactions keep no rows; their effects are idempotent, so a rebuild appends nothing new.
        reset: async () => undefined,
      }),
    ),
  );
}

/**
 * The job handlers of the features, bound to the services: exactly one per job name, or it throws
 * naming what is missing, doubled or unknown (the worker refuses to start).
 */
export function jobsOf(features: readonly FeatureManifest[], services: ComposedServices, names: readonly JobName[] = JOB_NAMES): JobRegistration[] {
  const registrations = features.flatMap((f) =>
    Object.entries(f.jobs ?? {}).map(([name, handler]): JobRegistration => {
      const job = handler as JobHandler<JobName, ComposedServices>;
      return {
        name: name as JobName,
        handle: (payload, context) => job.handle(payload, context, services),
        onFinalFailure: (payload, reason) => job.onFinalFailure(payload, reason, services),
      };
    }),
  );
  indexJobHandlers(registrations, names);
  return registrations;
}

/** A feature's schedule bound to the composed services, with its period from the configuration. */
export interface BoundSchedule {
  name: string;
  everyMs: number;
  run(context: { pool: Pool; now: Date }): Promise<unknown>;
}

/** The schedules of the features that are switched on (a period above 0), bound to the services. */
export function schedulesOf(features: readonly FeatureManifest[], services: ComposedServices, config: AppConfig): BoundSchedule[] {
  return features.flatMap((f) =>
    (f.schedules ?? []).flatMap((schedule) => {
      const everyMs = schedule.everyMs(config);
      return everyMs > 0 ? [{ name: `${f.name}.${schedule.name}`, everyMs, run: (context: { pool: Pool; now: Date }) => schedule.run(context, services) }] : [];
    }),
  );
}
