export { Organisations, type OrganisationView, type UnitView } from './organisations';
export { organisationsProjection } from './organisations.projection';
export { Chains, chainsProjection, type ChainView } from './chains';
