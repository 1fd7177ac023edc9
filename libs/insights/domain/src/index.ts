export * from './trend-point';
export * from './comparability';
export * from './statistics';
export * from './change';
export * from './benchmark';
export * from './benchmark-publication';
export * from './benchmark-publication.commands';
export * from './peer-score';
