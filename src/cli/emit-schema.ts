import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHubSchema, printHubSchema } from '../app/schema';
import { runCli } from '../app/run-cli';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

runCli(async (log) => {
  writeFileSync(SCHEMA_FILE, printHubSchema(await buildHubSchema()));
  log.info({ file: SCHEMA_FILE }, 'GraphQL SDL written');
});
