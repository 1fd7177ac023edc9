import { FoldedStreams } from '@maatlat/shared/event-store';
import type { FeatureManifest } from '@maatlat/shared/features';
import { assessmentDecider } from '@maatlat/assessments/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { AssessmentRepository, assessmentsProjection, RecalculationRepository } from '@maatlat/assessments/data-access';
import { Assessments, Recalculations } from './assessments.service';
import type { AssessmentsContext } from './assessments.context';
import { recalculationTrigger } from './recalculation-trigger';
import { AssessmentsModule } from './assessments.module';

export interface AssessmentsServices {
  assessments: Assessments;
  recalculations: Recalculations;
}

/** What assessments stand on, from the features composed before them (or made here when alone). */
interface Provided {
  catalogue?: ModelCatalogue;
  organisations?: Organisations;
  chains?: Chains;
  respondents?: Respondents;
  vault?: PersonalDataVault;
}

/**
 * Assessments: open, invite, answer, submit, close with scores, explain, "as of", verify; and
 * recalculation when a model version is published with a crosswalk or the algorithm is upgraded.
 * This is the worked example of a feature manifest (README, "Architecture").
 */
export const assessmentsFeature: FeatureManifest<AssessmentsServices> = {
  name: 'assessments',
  uses: ['catalogue', 'organisations', 'chains', 'vault', 'respondents'],
  nestModule: AssessmentsModule,
  projections: [assessmentsProjection],
  reactions: [recalculationTrigger],
  jobs: {
    'assessment.recalculate': {
      handle: ({ recalculationId, assessmentId }, context, { recalculations }) =>
        recalculations.recalculateOne(recalculationId, assessmentId, { now: new Date(), actor: 'system:recalculation', correlationId: context.jobId }),
      // Recorded on the recalculation, where progress is read from, with the reason.
      onFinalFailure: ({ recalculationId, assessmentId }, reason, { recalculations }) =>
        recalculations.recordFailure(recalculationId, assessmentId, reason, { now: new Date(), actor: 'system:recalculation', correlationId: `${recalculationId}:${assessmentId}` }),
    },
  },
  createServices: (db, store, config, provided: Provided = {}) => {
    const catalogue = provided.catalogue ?? new ModelCatalogue(db, store);
    const organisations = provided.organisations ?? new Organisations(db, store);
    const chains = provided.chains ?? new Chains(db, store, organisations);
    const vault = provided.vault ?? PersonalDataVault.fromConfig(db, config);
    const respondents = provided.respondents ?? new Respondents(db, store, vault);
    const context: AssessmentsContext = {
      db,
      store,
      folded: new FoldedStreams(store, assessmentDecider),
      // Only `peek` and `remember` are used: response streams are folded over their assessment.
      responses: new FoldedStreams(store, assessmentDecider, 20_000),
      assessments: new AssessmentRepository(db, store),
      recalculations: new RecalculationRepository(db, store),
      catalogue,
      organisations,
      chains,
      respondents,
      vault,
    };
    return { assessments: new Assessments(context), recalculations: new Recalculations(context) };
  },
};
