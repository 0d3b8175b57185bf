/** `msoko-hub region …` and `msoko-hub municipality …`: regions and municipalities through the hub's GraphQL API. */
import { exitCodeOfRefusal, HubClient } from './hub-client';
import { table } from './progress';

export type TerritoryCommand =
  | { kind: 'region-create'; code: string; name: string }
  | { kind: 'region-rename'; code: string; name: string }
  | { kind: 'region-list' }
  | { kind: 'municipality-create'; regionCode: string; code: string; name: string }
  | { kind: 'municipality-rename'; regionCode: string; code: string; name: string };

const REGION = 'id code name';
const MUNICIPALITY = 'id code name region { code name }';

/** Exit code: 0 done, 2 the hub refused (a code taken, a region not found, a bad name…), 1 could not run. */
export async function runTerritory(command: TerritoryCommand, url: string, key: string, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const client = new HubClient(url, key);
  return exitCodeOfRefusal(err, async () => {
    switch (command.kind) {
      case 'region-list': {
        const { regions } = await client.graphql<{ regions: { code: string; name: string; municipalities: { totalCount: number } }[] }>(
          `{ regions { code name municipalities(first: 1) { totalCount } } }`,
        );
        out.write(regions.length === 0 ? 'Регионов в хабе нет.\n' : `${table(['код', 'регион', 'муниципалитетов'], regions.map((r) => [r.code, r.name, r.municipalities.totalCount]))}\n`);
        return 0;
      }
      case 'region-create': {
        const { createRegion: r } = await client.graphql<{ createRegion: { code: string; name: string } }>(`mutation($input: CreateRegionInput!) { createRegion(input: $input) { ${REGION} } }`, {
          input: { code: command.code, name: command.name },
        });
        out.write(`Регион заведён: ${r.code} «${r.name}»\n`);
        return 0;
      }
      case 'region-rename': {
        const { renameRegion: r } = await client.graphql<{ renameRegion: { code: string; name: string } }>(`mutation($input: RenameRegionInput!) { renameRegion(input: $input) { ${REGION} } }`, {
          input: { code: command.code, name: command.name },
        });
        out.write(`Регион ${r.code} теперь называется «${r.name}»\n`);
        return 0;
      }
      case 'municipality-create': {
        const { createMunicipality: m } = await client.graphql<{ createMunicipality: { code: string; name: string; region: { code: string } } }>(
          `mutation($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { ${MUNICIPALITY} } }`,
          { input: { regionCode: command.regionCode, code: command.code, name: command.name } },
        );
        out.write(`Муниципалитет заведён: ${m.code} «${m.name}» (регион ${m.region.code})\n`);
        return 0;
      }
      case 'municipality-rename': {
        const { renameMunicipality: m } = await client.graphql<{ renameMunicipality: { code: string; name: string; region: { code: string } } }>(
          `mutation($input: RenameMunicipalityInput!) { renameMunicipality(input: $input) { ${MUNICIPALITY} } }`,
          { input: { regionCode: command.regionCode, code: command.code, name: command.name } },
        );
        out.write(`Муниципалитет ${m.code} (регион ${m.region.code}) теперь называется «${m.name}»\n`);
        return 0;
      }
    }
  });
}
