export { organisationsFeature, type OrganisationsServices } from './organisations.feature';
