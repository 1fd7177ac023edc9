export { Organisations, type OrganisationView, type UnitView } from './organisations';
export { organisationsProjection } from './organisations.projection';
