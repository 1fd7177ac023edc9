import type { Kysely, Transaction } from 'kysely';
import { loadConfig } from '@maatlat/shared/config';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore, Projection, RecordedEvent } from '@maatlat/shared/event-store';
import { composeServices, jobsOf, projectionsOf, reactionsOf } from './compose';
import { eventStoreFeature } from './event-store.feature';
import type { FeatureManifest, JobHandler } from './feature-manifest';

// Composition never touches the database: these stand in for what the apps pass along.
const db = { name: 'db' } as unknown as Kysely<DB>;
const store = { name: 'store' } as unknown as PostgresEventStore;
const trx = { name: 'trx' } as unknown as Transaction<DB>;
const config = loadConfig({});

const projection = (name: string): Projection => ({ name, eventTypes: 'all', tables: [], apply: async () => undefined, reset: async () => undefined });
const noHandler: JobHandler<'assessment.recalculate', object> = { handle: async () => undefined, onFinalFailure: async () => undefined };

describe('composeServices', () => {
  it('makes the services of each feature once, in order, each feature seeing those made before it', () => {
    const seen: { feature: string; provided: string[]; db: unknown; store: unknown }[] = [];
    const feature = <Services extends Record<string, unknown>>(name: string, services: Services): FeatureManifest<Services> => ({
      name,
      createServices: (givenDb, givenStore, givenConfig, provided = {}) => {
        expect(givenConfig).toBe(config);
        seen.push({ feature: name, provided: Object.keys(provided), db: givenDb, store: givenStore });
        return services;
      },
    });
    const catalogue = { kind: 'catalogue' };
    const composed = composeServices([feature('catalogue', { catalogue }), feature('organisations', { organisations: 1, chains: 2 }), feature('assessments', { assessments: 3 })], db, store, config);

    expect(composed).toEqual({ catalogue, organisations: 1, chains: 2, assessments: 3 });
    expect(composed.catalogue).toBe(catalogue);
    expect(seen).toEqual([
      { feature: 'catalogue', provided: [], db, store },
      { feature: 'organisations', provided: ['catalogue'], db, store },
      { feature: 'assessments', provided: ['catalogue', 'organisations', 'chains'], db, store },
    ]);
  });

  it('hands a feature the services it uses from those composed before it', () => {
    const shared = { kind: 'shared catalogue' };
    let received: unknown;
    composeServices(
      [
        { name: 'catalogue', createServices: () => ({ catalogue: shared }) },
        { name: 'assessments', createServices: (_db, _store, _config, provided) => ((received = (provided as { catalogue?: unknown }).catalogue), {}) },
      ],
      db,
      store,
      config,
    );
    expect(received).toBe(shared);
  });

  it('refuses a feature composed after one that uses its services (that one made its own), naming both', () => {
    const features: FeatureManifest[] = [
      { name: 'assessments', uses: ['catalogue'], createServices: () => ({ assessments: 1 }) },
      { name: 'model-catalogue', createServices: () => ({ catalogue: 2 }) },
    ];
    expect(() => composeServices(features, db, store, config)).toThrow('model-catalogue provides catalogue, which assessments (composed before it) uses: compose model-catalogue first');
    // In order, or without the feature that provides it at all (it makes its own): composed.
    expect(composeServices([features[1], features[0]], db, store, config)).toEqual({ catalogue: 2, assessments: 1 });
    expect(composeServices([features[0]], db, store, config)).toEqual({ assessments: 1 });
  });

  it('refuses two features that create a service of the same name, naming it and the second feature', () => {
    const features: FeatureManifest[] = [
      { name: 'organisations', createServices: () => ({ organisations: 1 }) },
      { name: 'imposter', createServices: () => ({ organisations: 2 }) },
    ];
    expect(() => composeServices(features, db, store, config)).toThrow('two features create a service named organisations (the second is imposter)');
  });
});

describe('projectionsOf', () => {
  it('lists the projections of every feature, in order', () => {
    const [a, b, c] = [projection('organisations'), projection('chains'), projection('assessments')];
    expect(projectionsOf([{ name: 'one', projections: [a, b], createServices: () => ({}) }, { name: 'two', projections: [c], createServices: () => ({}) }, { name: 'none', createServices: () => ({}) }])).toEqual([a, b, c]);
  });

  it('refuses a projection name used twice, naming it', () => {
    const features: FeatureManifest[] = [
      { name: 'one', projections: [projection('organisations'), projection('chains')], createServices: () => ({}) },
      { name: 'two', projections: [projection('chains')], createServices: () => ({}) },
    ];
    expect(() => projectionsOf(features)).toThrow('projection names used twice: chains');
  });
});

describe('reactionsOf', () => {
  it('binds each reaction to the composed services as a projection that keeps no rows', async () => {
    const calls: unknown[][] = [];
    const services = { recalculations: { kind: 'recalculations' } };
    const feature: FeatureManifest<typeof services> = {
      name: 'assessments',
      reactions: [{ name: 'recalculation_trigger', eventTypes: ['ModelVersionPublished'], apply: async (...args) => void calls.push(args) }],
      createServices: () => services,
    };
    const [reaction, ...others] = reactionsOf([feature as FeatureManifest], services);
    expect(others).toEqual([]);
    expect(reaction).toMatchObject({ name: 'recalculation_trigger', eventTypes: ['ModelVersionPublished'] });

    const events = [{ type: 'ModelVersionPublished', eventId: 'e-1' }] as unknown as RecordedEvent[];
    await reaction.apply(trx, events);
    expect(calls).toEqual([[trx, events, services]]);
    await expect(reaction.reset(trx)).resolves.toBeUndefined();
  });

  it('reads the events without their data for a reaction that says it needs none', () => {
    const feature: FeatureManifest<object> = {
      name: 'insights',
      reactions: [
        { name: 'header_reader', eventTypes: ['ScoreCalculated'], readsData: false, apply: async () => undefined },
        { name: 'data_reader', eventTypes: ['ScoreCalculated'], apply: async () => undefined },
      ],
      createServices: () => ({}),
    };
    expect(reactionsOf([feature as FeatureManifest], {}).map((r) => [r.name, r.readsData ?? true])).toEqual([
      ['header_reader', false],
      ['data_reader', true],
    ]);
  });
});

describe('jobsOf', () => {
  // The platform's jobs grow; these tests compose two of them.
  const TWO_JOBS = ['event-store.verify-stream', 'assessment.recalculate'] as const;

  const recalculationFeature = (calls: unknown[][]): FeatureManifest<{ tag: string }> => ({
    name: 'assessments',
    jobs: {
      'assessment.recalculate': {
        handle: async (...args) => void calls.push(['handle', ...args]),
        onFinalFailure: async (...args) => void calls.push(['onFinalFailure', ...args]),
      },
    },
    createServices: () => ({ tag: 'assessments' }),
  });

  it('binds the one handler of every job to the composed services', async () => {
    const calls: unknown[][] = [];
    const services = { tag: 'composed' };
    const registrations = jobsOf([eventStoreFeature as FeatureManifest, recalculationFeature(calls) as FeatureManifest], services, TWO_JOBS);
    expect(registrations.map((r) => r.name)).toEqual(['event-store.verify-stream', 'assessment.recalculate']);

    const recalculate = registrations.find((r) => r.name === 'assessment.recalculate')!;
    const payload = { recalculationId: 'rc-1', assessmentId: 'a-1' };
    await recalculate.handle(payload, { jobId: 'job-1', attempt: 2 });
    await recalculate.onFinalFailure(payload, 'boom');
    expect(calls).toEqual([
      ['handle', payload, { jobId: 'job-1', attempt: 2 }, services],
      ['onFinalFailure', payload, 'boom', services],
    ]);
  });

  it('refuses a composition where a job has no handler, naming the job', () => {
    expect(() => jobsOf([eventStoreFeature as FeatureManifest], {}, TWO_JOBS)).toThrow('job handlers are wrong: no handler for assessment.recalculate');
  });

  it('refuses a composition where a job has two handlers, naming the job', () => {
    const twice: FeatureManifest = { name: 'imposter', jobs: { 'assessment.recalculate': noHandler }, createServices: () => ({}) };
    expect(() => jobsOf([eventStoreFeature as FeatureManifest, recalculationFeature([]) as FeatureManifest, twice], {}, TWO_JOBS)).toThrow(
      'job handlers are wrong: two handlers for assessment.recalculate',
    );
  });

  it('refuses a handler for a job the platform does not know', () => {
    expect(() => jobsOf([eventStoreFeature as FeatureManifest, recalculationFeature([]) as FeatureManifest], {}, ['event-store.verify-stream'])).toThrow(
      'job handlers are wrong: a handler for the unknown job assessment.recalculate',
    );
  });
});
