export * from './version';
export * from './thresholds';
export * from './resolve-thresholds';
