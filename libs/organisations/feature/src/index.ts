export { organisationsFeature, type OrganisationsServices } from './organisations.feature';
export type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
