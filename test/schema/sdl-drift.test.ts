import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNonNullType } from 'graphql';
import { buildHubSchema, printHubSchema } from '../../src/app/schema';

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

  it('declares every mutation nullable, so one failing mutation never hides what the others of the operation committed', async () => {
    const mutations = Object.values((await buildHubSchema()).getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(10);
    expect(mutations.filter((field) => isNonNullType(field.type)).map((field) => field.name)).toEqual([]);
  });
});
