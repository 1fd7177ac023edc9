import type { FeatureManifest } from '@maatlat/shared/features';
import { PersonalDataVault, Respondents, respondentsProjection } from '@maatlat/respondents/data-access';
import { RespondentsModule } from './respondents.module';

export interface RespondentsServices {
  respondents: Respondents;
  vault: PersonalDataVault;
}

/** Respondents by pseudonym, their personal data sealed with keys of their own (AVG erasure by key). */
export const respondentsFeature: FeatureManifest<RespondentsServices> = {
  name: 'respondents',
  nestModule: RespondentsModule,
  projections: [respondentsProjection],
  createServices: (db, store) => {
    const vault = new PersonalDataVault(db);
    return { vault, respondents: new Respondents(db, store, vault) };
  },
};
