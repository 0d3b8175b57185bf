/**
 * Regions and municipalities of a school-directory import: those the hub lacks are created from the file's codes
 * and names (regions by administrators only: a regional centre's key belongs to a region that exists), those it
 * has are renamed when the file names them differently (audited and undone like the rest of the import), and a
 * row that cannot be placed says what to add. Runs inside the import's transaction, so a rejected file changes
 * nothing.
 */
import { recordAuditIn } from '../../../auth/audit.service';
import { Role } from '../../../shared/role';
import { arrayLiteral } from '../../../shared/sql';
import { UNDO_TARGETS } from '../../undo/undo-log';
import { territoryCodeProblem, territoryNameProblem } from '../../../schools';
import type { LoadContext } from './target';

export interface CreatedTerritory {
  code: string;
  name: string;
}

interface RenamedTerritory {
  code: string;
  from: string;
  to: string;
}

export interface Renames {
  regions: RenamedTerritory[];
  municipalities: RenamedTerritory[];
  /** A regional centre's file naming its region differently: said, not done (regions are the administrators'). */
  regionsNotRenamed: RenamedTerritory[];
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

/**
 * Rows whose municipality the hub lacks and whose row does not give both its code and its name. A new municipality
 * needs its code from the file: the code is how the region's other files (РЦОИ protocols «Код МСУ», reference
 * values «Код территории») name it, so a code the hub made up would leave those files unmatched and let the real
 * code create the municipality a second time.
 */
export async function reportUnplaceableMunicipalities(ctx: LoadContext, stage: string): Promise<void> {
  const { rows } = await ctx.trx.raw(
    `select source_row, region_code, municipality_code, municipality_name from ${stage}
     where municipality_id is null and region_id is not null and (municipality_code is null or municipality_name is null) order by source_row`,
  );
  for (const row of rows as { source_row: number; region_code: string; municipality_code: string | null; municipality_name: string | null }[]) {
    if (row.municipality_code === null) {
      ctx.issues.error({
        row: row.source_row,
        column: 'Муниципалитет',
        value: row.municipality_name,
        code: 'MUNICIPALITY_NOT_FOUND',
        reasonRu:
          `муниципалитета «${row.municipality_name}» в регионе ${row.region_code} нет. Новый муниципалитет заводится с его кодом (код МСУ, как в протоколах РЦОИ): ` +
          `добавьте в файл столбец «Код муниципалитета» или заведите его командой msoko-hub municipality create ${row.region_code} КОД "${row.municipality_name}"; ` +
          'если он уже есть в хабе под другим наименованием, напишите наименование как в хабе (список: запрос region { municipalities })',
      });
    } else {
      ctx.issues.error({
        row: row.source_row,
        column: 'Код муниципалитета',
        value: row.municipality_code,
        code: 'MUNICIPALITY_NOT_FOUND',
        reasonRu: `муниципалитета с кодом «${row.municipality_code}» в регионе ${row.region_code} нет — укажите его наименование в столбце «Муниципалитет», чтобы завести новый`,
      });
    }
  }
}

/**
 * One name per region and per municipality in the file, and no municipality under another's name. New regions'
 * names are checked by placeMissingRegions (`created`); this checks the hub's regions, every municipality code, and
 * that a municipality's name (new, or renamed) is not another municipality's of the region, as createMunicipality
 * and renameMunicipality refuse it. Needs region_id and municipality_id set.
 */
export async function reportNameConflicts(ctx: LoadContext, stage: string, created: CreatedTerritory[]): Promise<void> {
  const firstNames = (code: string, name: string, where: string) =>
    `select source_row, ${code} as code, ${name} as name, first_name, first_row from (
       select source_row, ${code}, ${name}, first_value(${name}) over w as first_name, first_value(source_row) over w as first_row
       from ${stage} where ${name} is not null and ${where}
       window w as (partition by region_id, ${code} order by source_row)) t
     where lower(${name}) <> lower(first_name) order by source_row`;
  const { rows: regions } = await ctx.trx.raw(firstNames('region_code', 'region_name', 'region_id is not null and not (region_code = any(?::text[]))'), [
    arrayLiteral(created.map((region) => region.code)),
  ]);
  const { rows: municipalities } = await ctx.trx.raw(firstNames('municipality_code', 'municipality_name', 'region_id is not null and municipality_code is not null'));
  type Conflict = { source_row: number; code: string; name: string; first_name: string; first_row: number };
  for (const [list, column, issueCode, what] of [
    [regions, 'Регион', 'REGION_NAME_CONFLICT', 'регион'],
    [municipalities, 'Муниципалитет', 'MUNICIPALITY_NAME_CONFLICT', 'муниципалитет'],
  ] as const) {
    for (const row of list as Conflict[]) {
      ctx.issues.error({
        row: row.source_row,
        column,
        value: row.name,
        code: issueCode,
        reasonRu: `${what} «${row.code}» в строке ${row.first_row} назван «${row.first_name}», здесь — «${row.name}»: укажите одно наименование`,
      });
    }
  }
  const { rows: taken } = await ctx.trx.raw(
    `select s.source_row, s.municipality_code as code, s.municipality_name as name, min(o.code) as other from ${stage} s
     join municipality o on o.region_id = s.region_id and o.code <> s.municipality_code and lower(o.name) = lower(s.municipality_name)
     where s.municipality_code is not null group by s.source_row, s.municipality_code, s.municipality_name order by s.source_row`,
  );
  for (const row of taken as { source_row: number; code: string; name: string; other: string }[]) {
    ctx.issues.error({
      row: row.source_row,
      column: 'Муниципалитет',
      value: row.name,
      code: 'MUNICIPALITY_NAME_TAKEN',
      reasonRu: `муниципалитет «${row.name}» в регионе уже есть под кодом «${row.other}», а в строке указан код «${row.code}»: проверьте код или наименование`,
    });
  }
}

/**
 * The hub's regions and municipalities the file names differently take the file's name, as renameRegion and
 * renameMunicipality would: kept in the undo log first (a revert puts the old name back) and audited in the
 * import's transaction. Regions only by administrators, as they create them; a municipality by whoever may load
 * its region's directory, since the directory creates municipalities too. Call after the excluded rows are gone
 * and before new municipalities are created (rows matched by code only: a row without one cannot rename).
 */
export async function renameTerritories(ctx: LoadContext, stage: string, created: CreatedTerritory[]): Promise<Renames> {
  const { trx, principal, batchId } = ctx;
  const { rows: regions } = await trx.raw(
    `select distinct on (r.id) r.id, r.code, r.name as "from", s.region_name as "to" from ${stage} s join region r on r.id = s.region_id
     where s.region_name is not null and r.name <> s.region_name and not (r.code = any(?::text[])) order by r.id, s.source_row`,
    [arrayLiteral(created.map((region) => region.code))],
  );
  const { rows: municipalities } = await trx.raw(
    `select distinct on (m.id) m.id, r.code as region_code, m.code, m.name as "from", s.municipality_name as "to"
     from ${stage} s join municipality m on m.id = s.municipality_id and m.code = s.municipality_code join region r on r.id = m.region_id
     where s.municipality_name is not null and m.name <> s.municipality_name order by m.id, s.source_row`,
  );
  type Renamed = RenamedTerritory & { id: number; region_code?: string };
  const admin = principal.role === Role.ADMIN;
  const renamedRegions = admin ? (regions as Renamed[]) : [];
  for (const [target, table, list, action, targetOf] of [
    [UNDO_TARGETS.region, 'region', renamedRegions, 'region.rename', (row: Renamed) => `region:${row.code}`],
    [UNDO_TARGETS.municipality, 'municipality', municipalities as Renamed[], 'municipality.rename', (row: Renamed) => `municipality:${row.region_code}/${row.code}`],
  ] as const) {
    if (list.length === 0) continue;
    const ids = arrayLiteral(list.map((row) => row.id));
    await ctx.undo.keep(target, `select id from ${table} where id = any(?::int[])`, [ids]);
    await trx.raw(`update ${table} t set name = n.name from unnest(?::int[], ?::text[]) as n(id, name) where t.id = n.id`, [ids, arrayLiteral(list.map((row) => row.to))]);
    for (const row of list) await recordAuditIn(trx, principal, { action, target: targetOf(row), details: { from: row.from, to: row.to, importBatchId: batchId } });
  }
  const plain = (list: Renamed[]): RenamedTerritory[] => list.map(({ code, from, to }) => ({ code, from, to }));
  return { regions: plain(renamedRegions), municipalities: plain(municipalities as Renamed[]), regionsNotRenamed: admin ? [] : plain(regions as Renamed[]) };
}

/** «Заведены регионы: 77 «Москва»…», «Переименованы муниципалитеты: …» for the batch's notes. */
export function territoryNotesRu(regions: CreatedTerritory[], municipalities: CreatedTerritory[], renames: Renames): string[] {
  const list = (items: CreatedTerritory[]) => items.map((item) => `${item.code} «${item.name}»`).join(', ');
  const renamed = (items: RenamedTerritory[]) => items.map((item) => `${item.code} «${item.from}» → «${item.to}»`).join(', ');
  const notes: string[] = [];
  if (regions.length > 0) notes.push(`Заведены регионы (${regions.length}): ${list(regions)}.`);
  if (municipalities.length > 0) notes.push(`Заведены муниципалитеты (${municipalities.length}): ${list(municipalities.slice(0, 20))}${municipalities.length > 20 ? ' …' : ''}.`);
  if (renames.regions.length > 0) notes.push(`Переименованы регионы (${renames.regions.length}): ${renamed(renames.regions)}.`);
  if (renames.municipalities.length > 0) notes.push(`Переименованы муниципалитеты (${renames.municipalities.length}): ${renamed(renames.municipalities)}.`);
  for (const region of renames.regionsNotRenamed) {
    notes.push(`Регион ${region.code} в файле назван «${region.to}», в хабе — «${region.from}»: наименование не изменено — переименовывает регион администратор хаба (msoko-hub region rename ${region.code} "${region.to}").`);
  }
  return notes;
}
