export { Organisations, type OrganisationView, type OrganisationSummary, type UnitView, type UnitNode } from './organisations';
export { organisationsProjection } from './organisations.projection';
export { Chains, chainsProjection, type ChainView, type ChainSummary } from './chains';
