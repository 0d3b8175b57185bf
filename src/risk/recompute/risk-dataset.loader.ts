import type { Knex } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import type { JournalMarkCell, RecheckedWork } from '../indicators/types';
import type { FiredMarker, PreviousYearZones, SubjectGradeMarkers } from '../indicators/zones';
import type { ZoneLevel } from '../markers';
import { resultKey, yearKey, type AssessmentInfo, type Baseline, type ConductRow, type ResultDetail, type ResultSummary, type RiskDataset, type SchoolInfo } from './risk-dataset';

const IN_DEPTH_TYPES = new Set(['LYCEUM', 'GYMNASIUM']);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Reads a region's risk inputs: summaries of every school (cheap columns only, packed), the heavy per-school
 * detail (histograms, task completion, journal cells, re-checks) only for the target schools, the region
 * baselines the aggregates job keeps beside the reference values, and — for a recompute of some schools — the
 * other schools' p-values of the region-wide checks and the targets' earlier zones. A fixed number of
 * statements: the school list first, the rest together.
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
  // The region's schools as an unnested id list rather than a join on school.region_id: the planner knows
  // how many there are and hash-joins, instead of looping over the schools with an index scan each.
  const regionLiteral = intArrayLiteral([...schools.keys()]);

  const yearsLiteral = intArrayLiteral(years);
  // The remaining statements are independent: issued together, so one school's recompute waits for the
  // slowest of them rather than for their sum.
  const [assessmentRows, packedRows, detailRows, journalRows, recheckRows, conductRows, baselineRows, storedPRows, storedZoneRows] = await Promise.all([
    rows(knex,
      `select a.id, a.procedure, a.year, a.grade, s.code as subject_code, s.name as subject_name, a.max_primary, a.mark_boundaries, a.minimum_test_score, a.tasks
       from assessment a join subject s on s.id = a.subject_id where a.year between ? and ?`,
      [minYear, maxYear]),
    // Every school of the region, every assessment: tens of thousands of rows of a dozen numbers. They travel as
    // one text (rows by ';', fields by ',', NULL as empty) — row-by-row objects from the driver cost several
    // times more to build than the numbers themselves, which matters when one school is recomputed. Percentages
    // and test scores travel as integers in units of 1e-4 (float-to-text is the server's dearest part): a
    // hundred-thousandth of a percentage point is far below anything the methodology can tell apart.
    rows(knex,
      `select string_agg(concat_ws(',', sr.school_id, sr.assessment_id, sr.year, sr.participants, coalesce(sr.count2::text, ''),
              coalesce(sr.count3::text, ''), coalesce(sr.count4::text, ''), coalesce(sr.count5::text, ''),
              coalesce(round(sr.mean_percent * ${PACKED_SCALE})::bigint::text, ''), coalesce(round(sr.sd_percent * ${PACKED_SCALE})::bigint::text, ''),
              coalesce(round(sr.mean_test_score * ${PACKED_SCALE})::bigint::text, ''), coalesce(sr.below_minimum::text, '')), ';') as packed
       from school_result sr join unnest(?::int[]) as region_school(id) on region_school.id = sr.school_id
       where sr.year between ? and ?`,
      [regionLiteral, minYear, maxYear]),
    rows(knex,
      `select school_id, assessment_id, histogram, task_completion from school_result
       where school_id = any(?::int[]) and year between ? and ?`,
      [targetLiteral, minYear, maxYear]),
    // The years are chosen through the assessments, not `pr.year`: a condition on the partition key also makes
    // the planner AND in each partition's whole primary-key index, while the (school_id, assessment_id) index
    // alone finds a school's works directly.
    rows(knex,
      `select pr.school_id, pr.assessment_id, pr.mark, pr.journal_mark, count(*)::int as n
       from participant_result pr join assessment a on a.id = pr.assessment_id
       where a.year = any(?::int[]) and pr.school_id = any(?::int[]) and a.procedure = 'VPR'
         and pr.mark is not null and pr.journal_mark between 2 and 5
       group by pr.school_id, pr.assessment_id, pr.mark, pr.journal_mark`,
      [yearsLiteral, targetLiteral]),
    rows(knex,
      `select school_id, assessment_id, original_score, recheck_score, original_mark, recheck_mark from recheck_result
       where school_id = any(?::int[]) and original_mark is not null and recheck_mark is not null`,
      [targetLiteral]),
    rows(knex,
      `select c.school_id, c.year, c.procedure, s.code as subject_code, c.grade, c.observers, c.video_at_checking
       from conduct_conditions c left join subject s on s.id = c.subject_id
       where c.school_id = any(?::int[]) and c.year between ? and ?`,
      [targetLiteral, minYear, maxYear]),
    rows(knex,
      `select b.assessment_id, b.level, b.percent2, b.percent3, b.percent4, b.percent5, b.mean_percent, b.histogram, b.task_completion,
              b.journal_lowered, b.journal_confirmed, b.journal_raised
       from benchmark_result b join assessment a on a.id = b.assessment_id
       where a.year between ? and ? and (b.level = 'RUSSIA' or (b.level = 'REGION' and b.region_id = ?))`,
      [minYear, maxYear, regionId]),
    // Region-wide checks: the other schools' p-values, from the copy kept beside each stored zone (one small
    // row per school × year instead of every indicator value of the region).
    targetSchoolIds
      ? rows(knex,
        `select z.details -> 'regionWideP' as p from risk_zone z join unnest(?::int[]) as region_school(id) on region_school.id = z.school_id
         where z.year = any(?::int[]) and not (z.school_id = any(?::int[]))`,
        [regionLiteral, yearsLiteral, targetLiteral])
      : Promise.resolve([]),
    rows(knex,
      `select school_id, year, objectivity, low_results, details -> 'objectivity' -> 'markersBySubjectGrade' as objectivity_units,
              details -> 'lowResults' -> 'markersBySubjectGrade' as low_results_units
       from risk_zone where school_id = any(?::int[]) and year < ?`,
      [targetLiteral, Math.min(...years)]),
  ]);

  const assessments = new Map<number, AssessmentInfo>(
    assessmentRows.map((a: any) => [
      a.id,
      {
        id: a.id, procedure: a.procedure, year: a.year, grade: a.grade, subjectCode: a.subject_code, subjectName: a.subject_name,
        maxPrimary: a.max_primary, boundaries: a.mark_boundaries, minimumTestScore: a.minimum_test_score, tasks: a.tasks,
      },
    ]),
  );
  const results: ResultSummary[] = packedRows.flatMap((r: { packed: string | null }) => (r.packed ? unpackResults(r.packed) : []));
  const details = new Map<string, ResultDetail>(
    detailRows.map((r: any): [string, ResultDetail] => [resultKey(r.school_id, r.assessment_id), { histogram: r.histogram, taskCompletion: r.task_completion }]),
  );
  const journalCells = new Map<string, JournalMarkCell[]>();
  for (const r of journalRows) push(journalCells, resultKey(r.school_id, r.assessment_id), { testMark: r.mark, journalMark: r.journal_mark, count: r.n });
  const rechecks = new Map<string, RecheckedWork[]>();
  for (const r of recheckRows) {
    push(rechecks, resultKey(r.school_id, r.assessment_id), { originalScore: r.original_score, recheckScore: r.recheck_score, originalMark: r.original_mark, recheckMark: r.recheck_mark });
  }
  const conduct = new Map<string, ConductRow[]>();
  for (const r of conductRows) {
    push(conduct, yearKey(r.school_id, r.year), {
      procedure: r.procedure, subjectCode: r.subject_code, grade: r.grade, observersPresent: r.observers !== 'NONE', videoAtChecking: r.video_at_checking,
    });
  }
  const regionBaselines = new Map<number, Baseline>();
  const russia = new Map<number, Baseline>();
  for (const b of baselineRows) {
    const baseline: Baseline = {
      percents: b.percent2 === null ? null : [b.percent2, b.percent3, b.percent4, b.percent5],
      meanPercent: b.mean_percent,
      histogram: b.histogram,
      taskCompletion: b.task_completion,
      journal: b.journal_lowered === null ? null : { lowered: b.journal_lowered, confirmed: b.journal_confirmed, raised: b.journal_raised },
    };
    (b.level === 'RUSSIA' ? russia : regionBaselines).set(b.assessment_id, baseline);
  }
  const storedP = new Map<string, Map<number, number[]>>();
  for (const r of storedPRows) {
    for (const [check, pairs] of Object.entries((r.p ?? {}) as Record<string, unknown>)) {
      if (!Array.isArray(pairs)) continue; // not written by this methodology: the next region recompute rewrites it
      const byAssessment = storedP.get(check) ?? storedP.set(check, new Map()).get(check)!;
      for (let i = 0; i + 1 < pairs.length; i += 2) push(byAssessment, pairs[i], pairs[i + 1]);
    }
  }
  const storedZones = new Map<number, PreviousYearZones[]>();
  for (const r of storedZoneRows) {
    const units = [...(r.objectivity_units ?? []), ...(r.low_results_units ?? [])] as SubjectGradeMarkers[];
    const markers: FiredMarker[] = units.flatMap((u) => (u.markers ?? []).map((marker) => ({ marker, procedure: u.procedures?.[0] ?? null, subject: u.subject, grade: u.grade })));
    push(storedZones, r.school_id, { year: r.year, objectivity: r.objectivity as ZoneLevel, lowResults: r.low_results as ZoneLevel, markers });
  }

  return {
    regionId, years: [...years].sort((a, b) => a - b), targetSchoolIds: new Set(targets), assessments, schools, results, details,
    journalCells, rechecks, conduct, regionBaselines, russia, storedP, storedZones,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rows(knex: Knex, sql: string, bindings: readonly (string | number)[]): Promise<any[]> {
  return (await knex.raw(sql, bindings as (string | number)[])).rows;
}

/** Percentages and test scores in the packed results are integers in units of 1 / PACKED_SCALE. */
const PACKED_SCALE = 10_000;
const FIELDS = 12;
const COMMA = 44;
const SEMICOLON = 59;
const ZERO = 48;

/**
 * Reads the packed results (non-negative integers; ',' between fields, ';' between rows, empty = NULL)
 * with one pass over the characters: splitting into hundreds of thousands of substrings would cost more
 * garbage collection than the recompute of one school itself.
 */
function unpackResults(packed: string): ResultSummary[] {
  const out: ResultSummary[] = [];
  const fields: (number | null)[] = new Array<number | null>(FIELDS).fill(null);
  let field = 0;
  let value = 0;
  let empty = true;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : SEMICOLON;
    if (c === COMMA || c === SEMICOLON) {
      fields[field++] = empty ? null : value;
      value = 0;
      empty = true;
      if (c === SEMICOLON) {
        if (field !== FIELDS) throw new Error(`packed school_result row has ${field} fields, expected ${FIELDS}`);
        out.push(toSummary(fields));
        field = 0;
      }
    } else {
      value = value * 10 + (c - ZERO);
      empty = false;
    }
  }
  return out;
}

const scaled = (v: number | null): number | null => (v === null ? null : v / PACKED_SCALE);

function toSummary(f: readonly (number | null)[]): ResultSummary {
  return {
    schoolId: f[0] as number,
    assessmentId: f[1] as number,
    year: f[2] as number,
    participants: f[3] as number,
    counts: f[4] === null ? null : [f[4], f[5] ?? 0, f[6] ?? 0, f[7] ?? 0],
    meanPercent: scaled(f[8]),
    sdPercent: scaled(f[9]),
    meanTestScore: scaled(f[10]),
    belowMinimum: f[11],
  };
}
