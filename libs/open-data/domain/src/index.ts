export * from './publication';
export * from './dataset';
