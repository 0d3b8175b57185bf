import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHubSchema, printHubSchema } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    const built = printHubSchema(await buildHubSchema());
    expect(built).toBe(committed);
  });

  it('describes its types in Russian for users of BI tools', async () => {
    const sdl = printHubSchema(await buildHubSchema());
    expect(sdl).toMatch(/"""Общеобразовательная организация \(ОО\)"""\ntype School /);
    expect(sdl).toMatch(/Баллы по заданиям; null — задание не выполнялось/);
  });
});
