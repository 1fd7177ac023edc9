import type { FeatureManifest } from '@maatlat/shared/features';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { Checkpoints } from './checkpoints.service';
import { ArchiveModule } from './archive.module';

export interface ArchiveServices {
  checkpoints: Checkpoints;
}

/** Archive and checkpoints: the signing key published, checkpoints on demand, score inclusion proofs. */
export const archiveFeature: FeatureManifest<ArchiveServices> = {
  name: 'archive',
  nestModule: ArchiveModule,
  createServices: (db, store, config) => ({ checkpoints: new Checkpoints(config, new AssessmentRepository(db, store)) }),
};
