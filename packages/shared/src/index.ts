export * from './auth';
export * from './composer';
export * from './environments';
export * from './errors';
export * from './health';
export * from './run-state';
export * from './runs';
export * from './topology';
