export * from './permissions';
export * from './types';
export * from './routes';
export * from './migrationFormats';
export * from './fleet';
