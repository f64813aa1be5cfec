export * from './migrations';
export * from './proto';
