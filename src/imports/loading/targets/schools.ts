/**
 * The school directory template → school, municipality and school_alias.
 *
 * Scope: the schools of the file. A row is matched to an existing school of its region by any of its codes
 * (login, РЦОИ code, ИНН, other codes); a row that matches none is a new school. A matched school takes the
 * row's name, type, locality and municipality; of its codes, each kind the row fills is replaced by the row's
 * value (an empty cell keeps what the hub has). Regions (administrators only) and municipalities missing in
 * the hub are created from code and name, and those it has renamed when the row names them differently. A type or
 * locality left unknown keeps what the hub has.
 */
import { Role } from '../../../shared/role';
import { ownRegionFragment } from '../../../auth/scope';
import type { SchoolDirectoryRecord } from '../../parsing';
import { arrayLiteral } from '../../../shared/sql';
import { riskOnly } from '../../../jobs/recompute-chain';
import { UNDO_TARGETS } from '../../undo/undo-log';
import { StagedLoader, type StageColumn } from '../staging';
import { placeMissingRegions, renameTerritories, reportNameConflicts, reportUnplaceableMunicipalities, territoryNotesRu, type CreatedTerritory } from './directory-territories';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<SchoolDirectoryRecord>[] = [
  { name: 'region_code', type: 'text', value: (r) => r.regionCode },
  { name: 'region_name', type: 'text', value: (r) => r.regionName },
  { name: 'municipality_code', type: 'text', value: (r) => r.municipalityCode },
  { name: 'municipality_name', type: 'text', value: (r) => r.municipalityName },
  { name: 'name', type: 'text', value: (r) => r.name },
  { name: 'short_name', type: 'text', value: (r) => r.shortName },
  { name: 'ogrn', type: 'text', value: (r) => r.ogrn },
  { name: 'address', type: 'text', value: (r) => r.address },
  { name: 'fis_oko_login', type: 'text', value: (r) => r.fisOkoLogin },
  { name: 'rcoi_code', type: 'text', value: (r) => r.rcoiCode },
  { name: 'inn', type: 'text', value: (r) => r.inn },
  { name: 'school_type', type: 'school_type', value: (r) => r.schoolType },
  { name: 'urban', type: 'boolean', value: (r) => r.urban },
  { name: 'other_codes', type: 'text[]', value: (r) => r.otherCodes },
];

const KIND_RU: Record<string, string> = { FISOKO_LOGIN: 'логин ФИС ОКО', RCOI_CODE: 'код РЦОИ', INN: 'ИНН', OTHER: 'другой код' };
const KIND_HEADER: Record<string, string> = { FISOKO_LOGIN: 'Логин ФИС ОКО', RCOI_CODE: 'Код ОО (РЦОИ)', INN: 'ИНН', OTHER: 'Другие коды' };

export class SchoolsLoader extends StagedLoader<SchoolDirectoryRecord> {
  private readonly codes: string;
  private createdRegions: CreatedTerritory[] = [];

  constructor(ctx: LoadContext) {
    super(ctx, 'schools', COLUMNS);
    this.codes = `import_school_codes_${ctx.batchId}`;
  }

  async validate(): Promise<void> {
    const { trx, issues, principal } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.addColumn('region_id', 'integer');
    await this.stageTable.addColumn('municipality_id', 'integer');
    await this.stageTable.addColumn('school_id', 'integer');
    await this.stageTable.addColumn('is_new', 'boolean');
    await trx.raw(`update ${stage} s set region_id = r.id from region r where r.code = s.region_code`);
    this.createdRegions = await placeMissingRegions(this.ctx, stage);
    if (principal.role !== Role.ADMIN) {
      const ownRegion = ownRegionFragment(principal, stage);
      for (const row of await this.stageTable.rows<{ source_row: number; region_code: string }>('region_code', `region_id is not null and not (${ownRegion.sql})`, ownRegion.bindings)) {
        issues.error({
          row: row.source_row,
          column: 'Код региона',
          value: row.region_code,
          code: 'REGION_OUT_OF_SCOPE',
          reasonRu: `ОО другого региона («${row.region_code}»): ключ регионального центра загружает справочник только своего региона`,
        });
      }
    }

    // Every code of every row, typed, to match existing schools and to write aliases.
    await trx.raw(`create temp table ${this.codes} on commit drop as
      select s.source_row, c.kind::alias_kind as kind, c.value from ${stage} s
        cross join lateral (values ('FISOKO_LOGIN', s.fis_oko_login), ('RCOI_CODE', s.rcoi_code), ('INN', s.inn)) as c(kind, value)
        where c.value is not null
      union all
      select s.source_row, 'OTHER'::alias_kind, o.value from ${stage} s cross join lateral unnest(s.other_codes) as o(value)`);
    const { rows: matches } = await trx.raw(
      `select c.source_row, array_agg(distinct a.school_id order by a.school_id) as ids,
         bool_or(sch.region_id is distinct from s.region_id) as elsewhere,
         (array_agg(c.kind::text || ':' || c.value order by c.kind) filter (where sch.region_id is distinct from s.region_id))[1] as taken
       from ${this.codes} c join ${stage} s on s.source_row = c.source_row
       join school_alias a on a.kind = c.kind and a.value = c.value join school sch on sch.id = a.school_id
       group by c.source_row`,
    );
    const matched: [number, number][] = [];
    for (const row of matches as { source_row: number; ids: number[]; elsewhere: boolean; taken: string | null }[]) {
      if (row.elsewhere) {
        const [kind, value] = (row.taken ?? ':').split(/:(.*)/s);
        // Whose school holds the code is not said: a key must not learn what lies outside its scope.
        issues.error({ row: row.source_row, column: KIND_HEADER[kind] ?? null, value, code: 'ALIAS_TAKEN', reasonRu: `${KIND_RU[kind] ?? 'код'} «${value}» нельзя закрепить за этой ОО: код уже используется; проверьте его или обратитесь к администратору хаба` });
      } else if (row.ids.length > 1) {
        issues.error({
          row: row.source_row,
          column: null,
          value: null,
          code: 'SCHOOL_CODES_CONFLICT',
          reasonRu: `коды строки относятся к разным ОО хаба (id ${row.ids.join(', ')}) — исправьте коды или объедините ОО`,
        });
      } else {
        matched.push([row.source_row, row.ids[0]]);
      }
    }
    if (matched.length > 0) {
      await trx.raw(`update ${stage} s set school_id = m.id from unnest(?::int[], ?::int[]) as m(row, id) where s.source_row = m.row`, [
        arrayLiteral(matched.map(([row]) => row)),
        arrayLiteral(matched.map(([, id]) => id)),
      ]);
    }
    await trx.raw(`update ${stage} set is_new = school_id is null`);

    for (const row of await this.stageTable.duplicates<object>('school_id', 'school_id', 'school_id is not null')) {
      issues.error({ row: row.source_row, column: null, value: null, code: 'DUPLICATE_ROW', reasonRu: `эта ОО уже описана в строке ${row.first_row}` });
    }
    const { rows: sharedCodes } = await trx.raw(
      `select source_row, kind::text as kind, value, first_row from (
         select source_row, kind, value, min(source_row) over (partition by kind, value) as first_row from ${this.codes}) t
       where source_row <> first_row order by source_row`,
    );
    for (const row of sharedCodes as { source_row: number; kind: string; value: string; first_row: number }[]) {
      issues.error({ row: row.source_row, column: KIND_HEADER[row.kind], value: row.value, code: 'DUPLICATE_ROW', reasonRu: `${KIND_RU[row.kind]} «${row.value}» уже указан в строке ${row.first_row}` });
    }

    await trx.raw(
      `update ${stage} s set municipality_id = m.id from municipality m
       where m.region_id = s.region_id and (case when s.municipality_code is not null then m.code = s.municipality_code else lower(m.name) = lower(s.municipality_name) end)`,
    );
    await reportUnplaceableMunicipalities(this.ctx, stage);
    await reportNameConflicts(this.ctx, stage, this.createdRegions);
  }

  async merge(): Promise<MergeOutcome> {
    const { trx } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    const renames = await renameTerritories(this.ctx, stage, this.createdRegions);
    const { rows: createdMunicipalities } = await trx.raw(
      `insert into municipality (region_id, code, name)
       select distinct on (region_id, municipality_code) region_id, municipality_code, municipality_name from ${stage}
       where municipality_id is null order by region_id, municipality_code, source_row
       on conflict (region_id, code) do nothing returning code, name`,
    );
    // A region created for rows that were all refused (ACCEPT_VALID) is not kept empty.
    const { rows: droppedRegions } = await trx.raw(
      `delete from region r where r.code = any(?::text[]) and not exists (select 1 from ${stage} s where s.region_id = r.id) returning code`,
      [this.createdRegions.map((region) => region.code)],
    );
    const dropped = new Set((droppedRegions as { code: string }[]).map((row) => row.code));
    this.createdRegions = this.createdRegions.filter((region) => !dropped.has(region.code));
    // Regions, municipalities and schools the import created: a revert deletes them (unless data arrived for them since).
    await this.ctx.undo.keysOnly(UNDO_TARGETS.region, `select id from region where code = any('${arrayLiteral(this.createdRegions.map((region) => region.code))}'::text[])`);
    await this.ctx.undo.keysOnly(
      UNDO_TARGETS.municipality,
      `select m.id from municipality m join ${stage} s on m.region_id = s.region_id and m.code = s.municipality_code where s.municipality_id is null`,
    );
    await trx.raw(`update ${stage} s set municipality_id = m.id from municipality m where s.municipality_id is null and m.region_id = s.region_id and m.code = s.municipality_code`);
    const { rows: changed } = await trx.raw(
      `select s.school_id from ${stage} s join school sch on sch.id = s.school_id where (sch.type, sch.urban) is distinct from (coalesce(s.school_type, sch.type), coalesce(s.urban, sch.urban))`,
    );
    await this.ctx.undo.keep(UNDO_TARGETS.school, `select school_id as id from ${stage} where not is_new`);
    await trx.raw(`update ${stage} set school_id = nextval(pg_get_serial_sequence('school', 'id')) where is_new`);
    const added = await trx.raw(
      `insert into school (id, region_id, municipality_id, name, short_name, ogrn, address, type, urban)
       select school_id, region_id, municipality_id, name, short_name, ogrn, address, school_type, urban from ${stage} where is_new`,
    );
    await this.ctx.undo.keysOnly(UNDO_TARGETS.school, `select school_id as id from ${stage} where is_new`);
    await this.ctx.undo.keep(UNDO_TARGETS.schoolAlias, `select school_id from ${stage}`);
    const updated = await trx.raw(
      `update school sch set municipality_id = s.municipality_id, name = s.name, short_name = coalesce(s.short_name, sch.short_name),
         ogrn = coalesce(s.ogrn, sch.ogrn), address = coalesce(s.address, sch.address),
         type = coalesce(s.school_type, sch.type), urban = coalesce(s.urban, sch.urban)
       from ${stage} s where s.school_id = sch.id and not s.is_new`,
    );
    // Each kind of code the row fills replaces the school's code of that kind; other codes are replaced as a set.
    await trx.raw(
      `delete from school_alias a using ${this.codes} c join ${stage} s on s.source_row = c.source_row
       where a.school_id = s.school_id and a.kind = c.kind and c.kind <> 'OTHER' and a.value <> c.value`,
    );
    await trx.raw(
      `delete from school_alias a using ${stage} s
       where a.school_id = s.school_id and a.kind = 'OTHER' and cardinality(s.other_codes) > 0 and not (a.value = any(s.other_codes))`,
    );
    await trx.raw(
      `insert into school_alias (school_id, kind, value) select s.school_id, c.kind, c.value from ${this.codes} c join ${stage} s on s.source_row = c.source_row
       on conflict (kind, value) do nothing`,
    );
    const { rows: all } = await trx.raw(`select school_id, school_type is null as no_type, urban is null as no_locality, is_new from ${stage}`);
    const unknowns = all as { no_type: boolean; no_locality: boolean; is_new: boolean }[];
    const unknownNote = (what: string, missing: (row: (typeof unknowns)[number]) => boolean): string[] => {
      const rows = unknowns.filter(missing);
      if (rows.length === 0) return [];
      const fresh = rows.filter((row) => row.is_new).length;
      return [`${what} не указан(а) у ОО: ${rows.length} (новых — ${fresh}: хаб хранит «не указано»; у известных хабу ОО оставлено прежнее значение).`];
    };
    return {
      inserted: added.rowCount ?? 0,
      replaced: updated.rowCount ?? 0,
      affected: { schoolIds: (all as { school_id: number }[]).map((row) => row.school_id), assessmentIds: [], years: [] },
      // A school's type and locality enter the risk methodology (lyceums, rural schools): recompute where they changed.
      recompute: riskOnly(
        (changed as { school_id: number }[]).map((row) => row.school_id),
        null,
        null,
        `import ${this.ctx.batchId}`,
      ),
      notesRu: [
        ...territoryNotesRu(this.createdRegions, createdMunicipalities as CreatedTerritory[], renames),
        ...unknownNote('Тип ОО', (row) => row.no_type),
        ...unknownNote('Местность', (row) => row.no_locality),
      ],
    };
  }
}
