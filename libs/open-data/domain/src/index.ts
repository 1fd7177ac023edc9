export * from './publication';
export * from './dataset';
export * from './publication.commands';
