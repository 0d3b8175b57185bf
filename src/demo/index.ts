/** Public API of the demo-region generator. */
export { DEMO_SEED, generateDemoRegion, generateRegion } from './generate-region';
export { markForScore } from './scales';
export { plantedManifestJson } from './planted-manifest';
export * from './types';
