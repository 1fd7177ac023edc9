export * from './organisation.events';
export * from './organisation.commands';
export { organisationDecider, isWithin, type OrganisationState, type Unit } from './organisation.decider';
export * from './chain.events';
export * from './chain.commands';
export * from './chain.decider';
