export * from './archive-format';
export * from './merkle';
export * from './mdto';
export * from './checkpoint';
export * from './archive-export';
export * from './archive-export.commands';
