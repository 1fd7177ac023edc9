import { sql } from 'kysely';
import type { FeatureManifest } from '@maatlat/shared/features';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { OpenData, type CheckpointCopy } from '@maatlat/open-data/data-access';
import { Publications } from './publications.service';
import { benchmarkEditionsPublished } from './benchmark-editions-published';
import { OpenDataModule } from './open-data.module';

export interface OpenDataServices {
  publications: Publications;
}

/** What open data stands on, from the features composed before them (or made here when alone). */
interface Provided {
  catalogue?: ModelCatalogue;
  organisations?: Organisations;
  /** The checkpoint key set, from the archive feature when composed. */
  checkpoints?: { publicKeys(): { keys: unknown[] } };
}

/** How often the worker looks whether a checkpoint recorded since the latest dataset version needs a new one. */
const DATASET_LOOK_MS = 60_000;

/**
 * Woo open data: publication of results by coordinators, the public dataset in immutable versions
 * (a new one on each publication or withdrawal, on each published benchmark edition, and within a
 * minute of each new signed checkpoint).
 */
export const openDataFeature: FeatureManifest<OpenDataServices> = {
  name: 'open-data',
  uses: ['catalogue', 'organisations', 'checkpoints'],
  nestModule: OpenDataModule,
  reactions: [benchmarkEditionsPublished],
  schedules: [
    {
      name: 'dataset-checkpoints',
      everyMs: () => DATASET_LOOK_MS,
      run: ({ now }, { publications }) => publications.openData.refresh(now),
    },
  ],
  createServices: (db, store, config, provided: Provided = {}) => {
    const assessments = new AssessmentRepository(db, store);
    const openData = new OpenData(
      db,
      store,
      {
        licence: config.openDataLicence,
        publisher: config.openDataPublisher,
        minGroup: config.benchmarkMinGroup,
        baseUrl: config.openDataBaseUrl,
        // Each version carries the signed checkpoints, so they live outside the database too.
        checkpoints: {
          all: async () => {
            const { rows } = await sql<CheckpointCopy>`SELECT statement, signature FROM log_checkpoints ORDER BY sequence`.execute(db);
            return { checkpoints: rows, keys: provided.checkpoints?.publicKeys().keys ?? [] };
          },
          latestSequence: async () => {
            const { rows } = await sql<{ sequence: number | null }>`SELECT max(sequence) AS sequence FROM log_checkpoints`.execute(db);
            return rows[0].sequence;
          },
        },
      },
      { assessments, organisations: provided.organisations, catalogue: provided.catalogue },
    );
    return { publications: new Publications(openData, assessments) };
  },
};
