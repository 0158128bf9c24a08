export * from './build';
export * from './defaults';
export * from './form';
export * from './import';
export * from './manifest-leaves';
export * from './query';
export * from './yaml-text';
