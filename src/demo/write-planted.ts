/**
 * Writes the demo region's planted manifest to test/fixtures/demo-planted.json.
 * Run from the repository root: node -r ts-node/register/transpile-only src/demo/write-planted.ts
 * A test fails when the committed file drifts from the generator, so re-run this after changing the generator.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateDemoRegion } from './generate-region';
import { PLANTED_FIXTURE_PATH, plantedManifestJson } from './planted-manifest';

const target = resolve(__dirname, '..', '..', PLANTED_FIXTURE_PATH);
const { planted } = generateDemoRegion();
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, plantedManifestJson(planted), 'utf8');
console.log(`Wrote ${planted.length} planted anomalies to ${target}`);
