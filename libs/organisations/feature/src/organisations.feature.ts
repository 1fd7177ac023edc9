import type { FeatureManifest } from '@maatlat/shared/features';
import { Chains, chainsProjection, Organisations, organisationsProjection } from '@maatlat/organisations/data-access';
import { OrganisationsModule } from './organisations.module';

export interface OrganisationsServices {
  organisations: Organisations;
  chains: Chains;
}

/** Organisations (type, size band), their unit trees, and chains of units across organisations. */
export const organisationsFeature: FeatureManifest<OrganisationsServices> = {
  name: 'organisations',
  nestModule: OrganisationsModule,
  projections: [organisationsProjection, chainsProjection],
  createServices: (db, store) => {
    const organisations = new Organisations(db, store);
    return { organisations, chains: new Chains(db, store, organisations) };
  },
};
