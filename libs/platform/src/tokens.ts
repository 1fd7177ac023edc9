/** Injection tokens for what is not a class of its own. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
