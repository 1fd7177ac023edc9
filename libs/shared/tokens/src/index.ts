/**
 * Injection tokens for what is not a class of its own. They live apart from everything that
 * provides them, so a feature can ask for the database without depending on what opens it.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
/** The read models of every feature the process composes, for readiness and lag. */
export const PROJECTIONS = Symbol('PROJECTIONS');
/** Every service the composed features created, by name (see FeatureManifest.createServices). */
export const FEATURE_SERVICES = Symbol('FEATURE_SERVICES');
