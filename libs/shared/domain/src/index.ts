export * from './decider';
export * from './errors';
export { canonicalJson, sameJson } from './canonical-json';
export { ENTITY_ID, assertIds, parseStreamId } from './ids';
export { groupBy } from './group-by';
export { seededRandom } from './seeded-random';
export { sha256 } from './sha256';
