export { Organisations } from './organisations';
export type { OrganisationView, UnitView } from './organisations.context';
export type { OrganisationSummary } from './list-organisations';
export type { UnitNode } from './read-organisation';
export { organisationsProjection } from './organisations.projection';
export { Chains } from './chains';
export { chainsProjection } from './chains.projection';
export type { ChainView } from './chains.context';
export type { ChainSummary } from './list-chains';
