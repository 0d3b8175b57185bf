import type { ResultSummary } from './risk-dataset';

/**
 * A school's result summaries travel as one text (rows by ';', fields by ',', NULL as empty): a region has
 * tens of thousands of rows of a dozen numbers, and row-by-row objects from the driver cost several times
 * more to build than the numbers themselves. Percentages and test scores travel as integers in units of
 * 1 / PACKED_SCALE (float-to-text is the server's dearest part): a hundred-thousandth of a percentage point
 * is far below anything the methodology can tell apart.
 */
const PACKED_SCALE = 10_000;
const FIELDS = 16;
/** Fields holding arrays (the histogram, task completion), their values separated by spaces. */
const HISTOGRAM_FIELD = 14;
const TASKS_FIELD = 15;
const COMMA = 44;
const SPACE = 32;
const SEMICOLON = 59;
const ZERO = 48;

/** The aggregate over `alias` (school_result rows of one school) giving its packed summaries, rows by assessment id. */
export function packedResultsSql(alias: string): string {
  const n = (column: string) => `coalesce(${alias}.${column}::text, '')`;
  const scaled = (column: string) => `coalesce(round(${alias}.${column} * ${PACKED_SCALE})::bigint::text, '')`;
  return `string_agg(concat_ws(',', ${alias}.assessment_id, ${alias}.year, ${alias}.participants, ${n('count2')}, ${n('count3')}, ${n('count4')}, ${n('count5')},
    ${scaled('mean_percent')}, ${scaled('sd_percent')}, ${scaled('mean_test_score')}, ${n('below_minimum')},
    ${n('journal_lowered')}, ${n('journal_confirmed')}, ${n('journal_raised')}, coalesce(array_to_string(${alias}.histogram, ' '), ''),
    coalesce(array_to_string(array(select round(x * ${PACKED_SCALE})::bigint from unnest(${alias}.task_completion) x), ' '), '')), ';' order by ${alias}.assessment_id)`;
}

/**
 * Reads one school's packed summaries (non-negative integers) with one pass over the characters: splitting
 * into hundreds of thousands of substrings would cost more garbage collection than the recompute of one
 * school itself.
 */
export function unpackResults(schoolId: number, packed: string): ResultSummary[] {
  const out: ResultSummary[] = [];
  const fields: (number | null)[] = new Array<number | null>(FIELDS).fill(null);
  const arrays: (number[] | null)[] = [null, null];
  let field = 0;
  let value = 0;
  let empty = true;
  let array: number[] | null = null;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : SEMICOLON;
    if (c === SPACE) {
      (array ??= []).push(value);
      value = 0;
      empty = true;
    } else if (c === COMMA || c === SEMICOLON) {
      if (field === HISTOGRAM_FIELD || field === TASKS_FIELD) {
        if (!empty) (array ??= []).push(value);
        arrays[field - HISTOGRAM_FIELD] = array;
        array = null;
        field++;
      } else fields[field++] = empty ? null : value;
      value = 0;
      empty = true;
      if (c === SEMICOLON) {
        if (field !== FIELDS) throw new Error(`packed school_result row of school ${schoolId} has ${field} fields, expected ${FIELDS}`);
        out.push(toSummary(schoolId, fields, arrays[0], arrays[1]));
        arrays[0] = arrays[1] = null;
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

function toSummary(schoolId: number, f: readonly (number | null)[], histogram: number[] | null, tasks: number[] | null): ResultSummary {
  return {
    schoolId,
    assessmentId: f[0] as number,
    year: f[1] as number,
    participants: f[2] as number,
    counts: f[3] === null ? null : [f[3], f[4] ?? 0, f[5] ?? 0, f[6] ?? 0],
    meanPercent: scaled(f[7]),
    sdPercent: scaled(f[8]),
    meanTestScore: scaled(f[9]),
    belowMinimum: f[10],
    journal: f[11] === null || f[12] === null || f[13] === null ? null : [f[11], f[12], f[13]],
    histogram,
    taskCompletion: tasks === null ? null : tasks.map((t) => t / PACKED_SCALE),
  };
}
