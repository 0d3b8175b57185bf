/** The planted manifest as committed to test/fixtures/demo-planted.json (one formatting for writer and test). */
import type { PlantedAnomaly } from './types';

export const PLANTED_FIXTURE_PATH = 'test/fixtures/demo-planted.json';

export function plantedManifestJson(planted: PlantedAnomaly[]): string {
  return `${JSON.stringify(planted, null, 2)}\n`;
}
