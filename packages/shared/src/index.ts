export * from './auth';
export * from './environments';
export * from './errors';
export * from './health';
export * from './run-state';
