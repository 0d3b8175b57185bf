import type { Knex } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import type { JournalMarkCell, RecheckedWork } from '../indicators/types';
import type { PreviousYearZones } from '../indicators/zones';
import type { ZoneLevel } from '../markers';
import { resultKey, yearKey, type AssessmentInfo, type Baseline, type ConductRow, type ResultDetail, type ResultSummary, type RiskDataset, type SchoolInfo } from './risk-dataset';

const IN_DEPTH_TYPES = new Set(['LYCEUM', 'GYMNASIUM']);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Reads a region's risk inputs: summaries of every school (cheap columns only), the heavy per-school detail
 * (histograms, task completion, journal cells, re-checks) only for the target schools, and the region
 * baselines the aggregates job keeps beside the reference values. A fixed number of statements.
 */
export async function loadRiskDataset(knex: Knex, regionId: number, years: number[], targetSchoolIds: number[] | null): Promise<RiskDataset> {
  const minYear = Math.min(...years) - 1;
  const maxYear = Math.max(...years) + 1;
  const schoolRows: { id: number; municipality_id: number; type: string; year: number | null; in_depth_study: boolean | null }[] = (
    await knex.raw(
      `select s.id, s.municipality_id, s.type, c.year, c.in_depth_study
       from school s left join school_context c on c.school_id = s.id and c.year between ? and ?
       where s.region_id = ? order by s.id`,
      [minYear, maxYear, regionId],
    )
  ).rows;
  const schools = new Map<number, SchoolInfo>();
  for (const row of schoolRows) {
    const school = schools.get(row.id) ?? { id: row.id, municipalityId: row.municipality_id, type: row.type, inDepthByYear: new Map() };
    if (row.year !== null) school.inDepthByYear.set(row.year, Boolean(row.in_depth_study) || IN_DEPTH_TYPES.has(row.type));
    schools.set(row.id, school);
  }
  const targets = targetSchoolIds ?? [...schools.keys()];
  const targetLiteral = intArrayLiteral(targets);

  const assessmentRows = (
    await knex.raw(
      `select a.id, a.procedure, a.year, a.grade, s.code as subject_code, s.name as subject_name, a.max_primary, a.mark_boundaries, a.minimum_test_score, a.tasks
       from assessment a join subject s on s.id = a.subject_id where a.year between ? and ?`,
      [minYear, maxYear],
    )
  ).rows;
  const assessments = new Map<number, AssessmentInfo>(
    assessmentRows.map((a: any) => [
      a.id,
      {
        id: a.id, procedure: a.procedure, year: a.year, grade: a.grade, subjectCode: a.subject_code, subjectName: a.subject_name,
        maxPrimary: a.max_primary, boundaries: a.mark_boundaries, minimumTestScore: a.minimum_test_score, tasks: a.tasks,
      },
    ]),
  );

  const results: ResultSummary[] = (
    await knex.raw(
      `select sr.school_id, sr.assessment_id, sr.year, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
              sr.mean_percent, sr.sd_percent, sr.mean_test_score, sr.below_minimum
       from school_result sr join school s on s.id = sr.school_id
       where s.region_id = ? and sr.year between ? and ?`,
      [regionId, minYear, maxYear],
    )
  ).rows.map((r: any) => ({
    schoolId: r.school_id, assessmentId: r.assessment_id, year: r.year, participants: r.participants,
    counts: r.count2 === null ? null : [r.count2, r.count3, r.count4, r.count5],
    meanPercent: r.mean_percent, sdPercent: r.sd_percent, meanTestScore: r.mean_test_score, belowMinimum: r.below_minimum,
  }));

  const details = new Map<string, ResultDetail>(
    (
      await knex.raw(
        `select school_id, assessment_id, histogram, task_completion from school_result
         where school_id = any(?::int[]) and year between ? and ?`,
        [targetLiteral, minYear, maxYear],
      )
    ).rows.map((r: any): [string, ResultDetail] => [resultKey(r.school_id, r.assessment_id), { histogram: r.histogram, taskCompletion: r.task_completion }]),
  );

  const journalCells = new Map<string, JournalMarkCell[]>();
  for (const year of years) {
    const rows = (
      await knex.raw(
        `select pr.school_id, pr.assessment_id, pr.mark, pr.journal_mark, count(*)::int as n
         from participant_result pr join assessment a on a.id = pr.assessment_id
         where pr.year = ? and pr.school_id = any(?::int[]) and a.procedure = 'VPR'
           and pr.mark is not null and pr.journal_mark between 2 and 5
         group by pr.school_id, pr.assessment_id, pr.mark, pr.journal_mark`,
        [year, targetLiteral],
      )
    ).rows;
    for (const r of rows) push(journalCells, resultKey(r.school_id, r.assessment_id), { testMark: r.mark, journalMark: r.journal_mark, count: r.n });
  }

  const rechecks = new Map<string, RecheckedWork[]>();
  for (const r of (
    await knex.raw(
      `select school_id, assessment_id, original_score, recheck_score, original_mark, recheck_mark from recheck_result
       where school_id = any(?::int[]) and original_mark is not null and recheck_mark is not null`,
      [targetLiteral],
    )
  ).rows) {
    push(rechecks, resultKey(r.school_id, r.assessment_id), { originalScore: r.original_score, recheckScore: r.recheck_score, originalMark: r.original_mark, recheckMark: r.recheck_mark });
  }

  const conduct = new Map<string, ConductRow[]>();
  for (const r of (
    await knex.raw(
      `select c.school_id, c.year, c.procedure, s.code as subject_code, c.grade, c.observers, c.video_at_checking
       from conduct_conditions c left join subject s on s.id = c.subject_id
       where c.school_id = any(?::int[]) and c.year between ? and ?`,
      [targetLiteral, minYear, maxYear],
    )
  ).rows) {
    push(conduct, yearKey(r.school_id, r.year), {
      procedure: r.procedure, subjectCode: r.subject_code, grade: r.grade, observersPresent: r.observers !== 'NONE', videoAtChecking: r.video_at_checking,
    });
  }

  const regionBaselines = new Map<number, Baseline>();
  const russia = new Map<number, Baseline>();
  for (const b of (
    await knex.raw(
      `select b.assessment_id, b.level, b.percent2, b.percent3, b.percent4, b.percent5, b.mean_percent, b.histogram, b.task_completion,
              b.journal_lowered, b.journal_confirmed, b.journal_raised
       from benchmark_result b join assessment a on a.id = b.assessment_id
       where a.year between ? and ? and (b.level = 'RUSSIA' or (b.level = 'REGION' and b.region_id = ?))`,
      [minYear, maxYear, regionId],
    )
  ).rows) {
    const baseline: Baseline = {
      percents: b.percent2 === null ? null : [b.percent2, b.percent3, b.percent4, b.percent5],
      meanPercent: b.mean_percent,
      histogram: b.histogram,
      taskCompletion: b.task_completion,
      journal: b.journal_lowered === null ? null : { lowered: b.journal_lowered, confirmed: b.journal_confirmed, raised: b.journal_raised },
    };
    (b.level === 'RUSSIA' ? russia : regionBaselines).set(b.assessment_id, baseline);
  }

  const storedBunchingP = new Map<number, { schoolId: number; pValue: number }[]>();
  if (targetSchoolIds) {
    for (const r of (
      await knex.raw(
        `select v.school_id, v.assessment_id, v.p_value from risk_indicator_value v join school s on s.id = v.school_id
         where s.region_id = ? and v.check_code = 'BOUNDARY_BUNCHING' and v.year = any(?::int[]) and v.p_value is not null
           and not (v.school_id = any(?::int[]))`,
        [regionId, intArrayLiteral(years), targetLiteral],
      )
    ).rows) {
      push(storedBunchingP, r.assessment_id, { schoolId: r.school_id, pValue: r.p_value });
    }
  }

  const storedZones = new Map<number, PreviousYearZones[]>();
  for (const r of (
    await knex.raw(`select school_id, year, objectivity, low_results from risk_zone where school_id = any(?::int[]) and year < ?`, [targetLiteral, Math.min(...years)])
  ).rows) {
    push(storedZones, r.school_id, { year: r.year, objectivity: r.objectivity as ZoneLevel, lowResults: r.low_results as ZoneLevel });
  }

  return {
    regionId, years: [...years].sort((a, b) => a - b), targetSchoolIds: new Set(targets), assessments, schools, results, details,
    journalCells, rechecks, conduct, regionBaselines, russia, storedBunchingP, storedZones,
  };
}
