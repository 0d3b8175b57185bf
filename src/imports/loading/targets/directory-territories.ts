/**
 * Regions and municipalities of a school-directory import: those the hub lacks are created from the file's codes
 * and names (regions by administrators only: a regional centre's key belongs to a region that exists), and a row
 * that cannot be placed says what to add. Runs inside the import's transaction, so a rejected file creates nothing.
 */
import { Role } from '../../../auth/role';
import { territoryCodeProblem, territoryNameProblem } from '../../../schools/admin/territory.service';
import type { LoadContext } from './target';

export interface CreatedTerritory {
  code: string;
  name: string;
}

/** Sets region_id of staged rows whose region the hub lacks, creating it when the row names it; reports the rest. */
export async function placeMissingRegions(ctx: LoadContext, stage: string): Promise<CreatedTerritory[]> {
  const { trx, issues, principal } = ctx;
  const { rows: missing } = await trx.raw(
    `select source_row, region_code, region_name, first_value(region_name) over w as first_name, first_value(source_row) over w as first_row
     from ${stage} where region_id is null
     window w as (partition by region_code order by (region_name is null), source_row)
     order by source_row`,
  );
  const creatable = new Map<string, string>();
  for (const row of missing as { source_row: number; region_code: string; region_name: string | null; first_name: string | null; first_row: number }[]) {
    const command = `msoko-hub region create ${row.region_code} "Наименование"`;
    if (principal.role !== Role.ADMIN) {
      issues.error({ row: row.source_row, column: 'Код региона', value: row.region_code, code: 'REGION_NOT_FOUND', reasonRu: `регион «${row.region_code}» в хабе не заведён; завести регион может администратор хаба (${command})` });
      continue;
    }
    if (row.region_name === null && row.first_name === null) {
      issues.error({
        row: row.source_row,
        column: 'Код региона',
        value: row.region_code,
        code: 'REGION_NOT_FOUND',
        reasonRu: `регион «${row.region_code}» в хабе не заведён: добавьте в файл столбец «Регион» с его наименованием — хаб заведёт его при загрузке — или заведите регион командой ${command}`,
      });
      continue;
    }
    const problem = territoryCodeProblem(row.region_code) ?? (row.first_name === null ? null : territoryNameProblem(row.first_name));
    if (problem !== null) {
      issues.error({ row: row.source_row, column: 'Код региона', value: row.region_code, code: 'REGION_NOT_FOUND', reasonRu: `регион «${row.region_code}» нельзя завести: ${problem}` });
      continue;
    }
    if (row.region_name !== null && row.region_name.toLowerCase() !== row.first_name!.toLowerCase()) {
      issues.error({
        row: row.source_row,
        column: 'Регион',
        value: row.region_name,
        code: 'REGION_NAME_CONFLICT',
        reasonRu: `новый регион «${row.region_code}» в строке ${row.first_row} назван «${row.first_name}», здесь — «${row.region_name}»: укажите одно наименование`,
      });
      continue;
    }
    creatable.set(row.region_code, row.first_name!);
  }
  if (creatable.size === 0) return [];
  const codes = [...creatable.keys()];
  const { rows: created } = await trx.raw(
    `insert into region (code, name) select * from unnest(?::text[], ?::text[]) on conflict (code) do nothing returning code, name`,
    [codes, codes.map((code) => creatable.get(code)!)],
  );
  await trx.raw(`update ${stage} s set region_id = r.id from region r where s.region_id is null and r.code = s.region_code`);
  return created as CreatedTerritory[];
}

/** Rows whose municipality the hub lacks and whose row does not give both its code and its name. */
export async function reportUnplaceableMunicipalities(ctx: LoadContext, stage: string): Promise<void> {
  const { rows } = await ctx.trx.raw(
    `select source_row, municipality_code, municipality_name from ${stage}
     where municipality_id is null and region_id is not null and (municipality_code is null or municipality_name is null) order by source_row`,
  );
  for (const row of rows as { source_row: number; municipality_code: string | null; municipality_name: string | null }[]) {
    if (row.municipality_code === null) {
      ctx.issues.error({
        row: row.source_row,
        column: 'Муниципалитет',
        value: row.municipality_name,
        code: 'MUNICIPALITY_NOT_FOUND',
        reasonRu: `муниципалитет «${row.municipality_name}» в регионе не найден — укажите «Код муниципалитета», чтобы завести новый`,
      });
    } else {
      ctx.issues.error({
        row: row.source_row,
        column: 'Код муниципалитета',
        value: row.municipality_code,
        code: 'MUNICIPALITY_NOT_FOUND',
        reasonRu: `муниципалитета с кодом «${row.municipality_code}» в регионе нет — укажите его наименование в столбце «Муниципалитет», чтобы завести новый`,
      });
    }
  }
}

/** «Заведены регионы: 77 «Москва»…» for the batch's notes. */
export function territoryNotesRu(regions: CreatedTerritory[], municipalities: CreatedTerritory[]): string[] {
  const list = (items: CreatedTerritory[]) => items.map((item) => `${item.code} «${item.name}»`).join(', ');
  const notes: string[] = [];
  if (regions.length > 0) notes.push(`Заведены регионы (${regions.length}): ${list(regions)}.`);
  if (municipalities.length > 0) notes.push(`Заведены муниципалитеты (${municipalities.length}): ${list(municipalities.slice(0, 20))}${municipalities.length > 20 ? ' …' : ''}.`);
  return notes;
}
