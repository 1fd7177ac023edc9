import type { FeatureManifest } from '@maatlat/shared/features';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { Checkpoints } from './checkpoints.service';
import { ArchiveModule } from './archive.module';

export interface ArchiveServices {
  checkpoints: Checkpoints;
}

/**
 * Archive and checkpoints: the signing key published, checkpoints on demand and every
 * CHECKPOINT_INTERVAL_MINUTES (by the worker, when the log moved), score inclusion proofs.
 */
export const archiveFeature: FeatureManifest<ArchiveServices> = {
  name: 'archive',
  nestModule: ArchiveModule,
  schedules: [
    {
      name: 'log-checkpoint',
      // Only a platform with a signing key records checkpoints.
      everyMs: (config) => (config.signingKey ? config.checkpointIntervalMs : 0),
      run: ({ pool, now }, { checkpoints }) => checkpoints.recordIfDue(pool, now),
    },
  ],
  createServices: (db, store, config) => ({ checkpoints: new Checkpoints(config, new AssessmentRepository(db, store)) }),
};
