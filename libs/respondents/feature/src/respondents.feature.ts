import type { FeatureManifest } from '@maatlat/shared/features';
import { Organisations } from '@maatlat/organisations/data-access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { PersonalDataVault, Respondents, respondentsProjection } from '@maatlat/respondents/data-access';
import { RespondentsModule } from './respondents.module';

export interface RespondentsServices {
  respondents: Respondents;
  vault: PersonalDataVault;
}

/** Respondents by pseudonym, their personal data sealed with keys of their own (AVG erasure by key). */
export const respondentsFeature: FeatureManifest<RespondentsServices> = {
  name: 'respondents',
  uses: ['organisations'],
  nestModule: RespondentsModule,
  projections: [respondentsProjection],
  createServices: (db, store, config, provided: { organisations?: Organisations } = {}) => {
    // Without the key-encryption keys no process may handle personal data: a ConfigError at start.
    const vault = PersonalDataVault.fromConfig(db, config);
    const organisations = provided.organisations ?? new Organisations(db, store);
    return { vault, respondents: new Respondents(db, store, vault, { organisations, assessments: new AssessmentRepository(db, store) }) };
  },
};
