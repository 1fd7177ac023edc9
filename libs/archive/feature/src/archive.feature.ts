import type { FeatureManifest } from '@maatlat/shared/features';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { ArchiveExportFiles, checkScoreInclusionProof, verifyArchive } from '@maatlat/archive/data-access';
import { checkpointFromCopy, RETENTION_PATTERN } from '@maatlat/archive/domain';
import { ArchiveExports } from './archive-exports.service';
import { Checkpoints } from './checkpoints.service';
import { ArchiveModule } from './archive.module';

export interface ArchiveServices {
  checkpoints: Checkpoints;
  archiveExports: ArchiveExports;
}

const SYSTEM = 'system:archive';

/**
 * What the archive offers with no database, no configuration and no network: an auditor checks an
 * export (`cli archive verify`) or a score's inclusion proof (`cli proof verify`) on their own machine.
 */
const offline = { verifyArchive, checkScoreInclusionProof, checkpointFromCopy, RETENTION_PATTERN };

/**
 * Archive and checkpoints: the signing key published, checkpoints on demand and every
 * CHECKPOINT_INTERVAL_MINUTES (by the worker, when the log moved), score inclusion proofs, and
 * archival exports as a job (`archive.export`) for an organisation's coordinators and auditors.
 */
export const archiveFeature: FeatureManifest<ArchiveServices> & { offline: typeof offline } = {
  name: 'archive',
  uses: ['organisations'],
  offline,
  nestModule: ArchiveModule,
  jobs: {
    'archive.export': {
      handle: async ({ exportId, organisationId }, context, { archiveExports }) =>
        void (await archiveExports.generate(exportId, organisationId, { now: new Date(), actor: SYSTEM, correlationId: context.jobId })),
      // Recorded on the export, where its status is read, with the reason.
      onFinalFailure: ({ exportId, organisationId }, reason, { archiveExports }) => archiveExports.recordFailure(exportId, organisationId, reason, { now: new Date(), actor: SYSTEM, correlationId: exportId }),
    },
  },
  schedules: [
    {
      name: 'log-checkpoint',
      // Only a platform with a signing key records checkpoints.
      everyMs: (config) => (config.signingKey ? config.checkpointIntervalMs : 0),
      run: ({ pool, now }, { checkpoints }) => checkpoints.recordIfDue(pool, now),
    },
  ],
  createServices: (db, store, config, provided: { organisations?: Organisations } = {}) => ({
    checkpoints: new Checkpoints(config, new AssessmentRepository(db, store)),
    archiveExports: new ArchiveExports(config, store, provided.organisations ?? new Organisations(db, store), new ArchiveExportFiles(db)),
  }),
};
