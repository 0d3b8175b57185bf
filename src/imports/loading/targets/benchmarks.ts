/**
 * Benchmarks template → benchmark_result with source 'imported' (published values, which the hub's own
 * computation never overwrites). Scope: assessment × level × territory. A row without a subject is the territory's
 * total over the procedure in its year → benchmark_exam_total (participants, the ЕГЭ share ≥ 220 over three subjects);
 * scope: year × procedure × level × territory. Russia's values are shared by every region, so only administrators load
 * them; a regional centre loads its region and its municipalities.
 */
import { Role } from '../../../shared/role';
import { ownRegionFragment } from '../../../auth/scope';
import type { BenchmarkRecord } from '../../parsing';
import { riskOnly } from '../../../jobs/recompute-chain';
import { StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<BenchmarkRecord>[] = [
  { name: 'level', type: 'benchmark_level', value: (r) => r.level },
  { name: 'territory_code', type: 'text', value: (r) => r.territoryCode },
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'participants', type: 'integer', value: (r) => r.participants },
  { name: 'percent2', type: 'double precision', value: (r) => r.percent2 },
  { name: 'percent3', type: 'double precision', value: (r) => r.percent3 },
  { name: 'percent4', type: 'double precision', value: (r) => r.percent4 },
  { name: 'percent5', type: 'double precision', value: (r) => r.percent5 },
  { name: 'mean_percent', type: 'double precision', value: (r) => r.meanPercent },
  { name: 'mean_test_score', type: 'double precision', value: (r) => r.meanTestScore },
  { name: 'percent_below_minimum', type: 'double precision', value: (r) => r.percentBelowMinimum },
  { name: 'percent_test_80', type: 'double precision', value: (r) => r.percentTest80 },
  { name: 'percent_test_100', type: 'double precision', value: (r) => r.percentTest100 },
  { name: 'percent_sum3_220', type: 'double precision', value: (r) => r.percentSum3_220 },
];

const TERRITORY = 'Код территории';

export class BenchmarksLoader extends StagedLoader<BenchmarkRecord> {

  constructor(ctx: LoadContext) {
    super(ctx, 'benchmarks', COLUMNS);
  }

  async validate(): Promise<void> {
    const { trx, issues, principal } = this.ctx;
    const stage = this.stageTable.name;
    const admin = principal.role === Role.ADMIN;
    // Rows without a subject are totals over the procedure: no subject, no assessment (and no scale needed).
    await this.stageTable.resolveSubjects('subject_name', true);
    await this.stageTable.resolveAssessments('requireScale');
    await this.stageTable.addColumn('region_id', 'integer');
    await this.stageTable.addColumn('municipality_id', 'integer');
    await this.stageTable.addColumn('territories', 'integer');
    await trx.raw(`update ${stage} s set region_id = r.id from region r where s.level = 'REGION' and r.code = s.territory_code`);
    // Municipality codes are unique within a region only: a regional centre means its own region's; for
    // administrators a code found in several regions is ambiguous.
    const municipalities = ownRegionFragment(principal, 'municipality');
    await trx.raw(
      `update ${stage} s set territories = m.n, municipality_id = m.id, region_id = m.region_id
       from (select code, count(*)::int as n, min(id) as id, min(region_id) as region_id from municipality where ${municipalities.sql} group by code) m
       where s.level = 'MUNICIPALITY' and m.code = s.territory_code`,
      municipalities.bindings,
    );
    const ownRegion = ownRegionFragment(principal, stage);
    const problems = await this.stageTable.rows<{ source_row: number; level: string; code: string; region_id: number | null; territories: number | null }>(
      'level::text as level, territory_code as code, region_id, territories',
      `(level = 'REGION' and (region_id is null or not (${ownRegion.sql})))
        or (level = 'MUNICIPALITY' and (municipality_id is null or territories > 1))
        or (level = 'RUSSIA' and ${admin ? 'false' : 'true'})`,
      ownRegion.bindings,
    );
    for (const row of problems) {
      if (row.level === 'RUSSIA') {
        issues.error({
          row: row.source_row,
          column: 'Уровень',
          value: 'Россия',
          code: 'BENCHMARK_LEVEL_FORBIDDEN',
          reasonRu: 'значения по России общие для всех регионов: их загружает администратор хаба',
        });
      } else if (row.level === 'REGION' && row.region_id !== null) {
        issues.error({ row: row.source_row, column: TERRITORY, value: row.code, code: 'TERRITORY_OUT_OF_SCOPE', reasonRu: `регион «${row.code}» — не регион вашего ключа` });
      } else if ((row.territories ?? 0) > 1) {
        issues.error({
          row: row.source_row,
          column: TERRITORY,
          value: row.code,
          code: 'TERRITORY_AMBIGUOUS',
          reasonRu: `код муниципалитета «${row.code}» есть в нескольких регионах хаба — загрузите файл ключом регионального центра нужного региона`,
        });
      } else {
        const what = row.level === 'REGION' ? 'регион' : 'муниципалитет';
        issues.error({ row: row.source_row, column: TERRITORY, value: row.code, code: 'TERRITORY_NOT_FOUND', reasonRu: `${what} с кодом «${row.code}» в хабе не найден` });
      }
    }
    for (const row of await this.stageTable.duplicates<{ code: string }>(
      'assessment_id, level, coalesce(region_id, 0), coalesce(municipality_id, 0)',
      'territory_code as code',
      'assessment_id is not null',
    )) {
      issues.error({ row: row.source_row, column: 'Предмет', value: null, code: 'DUPLICATE_ROW', reasonRu: `значения этой территории по этой процедуре уже есть в строке ${row.first_row}` });
    }
    for (const row of await this.stageTable.duplicates<{ code: string }>(
      'year, procedure, level, coalesce(region_id, 0), coalesce(municipality_id, 0)',
      'territory_code as code',
      'subject_name is null',
    )) {
      issues.error({ row: row.source_row, column: TERRITORY, value: row.code, code: 'DUPLICATE_ROW', reasonRu: `итог этой территории по этой процедуре за год уже есть в строке ${row.first_row}` });
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await this.ctx.undo.keep(UNDO_TARGETS.benchmarkResult, `select assessment_id, level, region_id, municipality_id from ${stage} where assessment_id is not null`);
    await this.ctx.undo.keep(UNDO_TARGETS.benchmarkExamTotal, `select year, procedure, level, region_id, municipality_id from ${stage} where subject_name is null`);
    const { rows: totals } = await trx.raw(
      `insert into benchmark_exam_total as t (year, procedure, level, region_id, municipality_id, participants, percent_sum3_220, source, updated_at)
       select year, procedure, level, region_id, municipality_id, participants, percent_sum3_220, 'imported', now() from ${stage} where subject_name is null
       on conflict (year, procedure, level, coalesce(region_id, 0), coalesce(municipality_id, 0)) do update set
         participants = excluded.participants, percent_sum3_220 = excluded.percent_sum3_220, source = 'imported', updated_at = now()
       returning (xmax = 0) as inserted`,
    );
    const { rows: results } = await trx.raw(
      `insert into benchmark_result as b (assessment_id, level, region_id, municipality_id, participants, percent2, percent3, percent4, percent5, mean_percent,
         mean_test_score, percent_below_minimum, percent_test_80, percent_test_100, source)
       select assessment_id, level, region_id, municipality_id, participants, percent2, percent3, percent4, percent5, mean_percent,
         mean_test_score, percent_below_minimum, percent_test_80, percent_test_100, 'imported' from ${stage} where assessment_id is not null
       on conflict (assessment_id, level, coalesce(region_id, 0), coalesce(municipality_id, 0)) do update set
         participants = excluded.participants, percent2 = excluded.percent2, percent3 = excluded.percent3, percent4 = excluded.percent4,
         percent5 = excluded.percent5, mean_percent = excluded.mean_percent, mean_test_score = excluded.mean_test_score,
         percent_below_minimum = excluded.percent_below_minimum, percent_test_80 = excluded.percent_test_80, percent_test_100 = excluded.percent_test_100,
         source = 'imported'
       returning (xmax = 0) as inserted`,
    );
    const rows = [...results, ...totals] as { inserted: boolean }[];
    const { rows: scope } = await trx.raw(`select distinct assessment_id, year, level::text as level, region_id from ${stage}`);
    const list = scope as { assessment_id: number | null; year: number; level: string; region_id: number | null }[];
    const years = [...new Set(list.map((row) => row.year))];
    const inserted = (rows as { inserted: boolean }[]).filter((row) => row.inserted).length;
    // Deviations from these values enter the risk of every school they are the reference of.
    const regionIds = list.some((row) => row.level === 'RUSSIA') ? null : [...new Set(list.map((row) => row.region_id!))];
    return {
      inserted,
      replaced: rows.length - inserted,
      affected: { schoolIds: [], assessmentIds: [...new Set(list.flatMap((row) => (row.assessment_id === null ? [] : [row.assessment_id])))], years },
      recompute: riskOnly(null, regionIds, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }
}
