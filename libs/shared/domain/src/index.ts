export * from './decider';
export * from './errors';
export { canonicalJson } from './canonical-json';
