import type { ResultSummary } from './risk-dataset';

/**
 * A school's result summaries travel as one text (rows by ';', fields by ',', NULL as empty): a region has
 * tens of thousands of rows of a dozen numbers, and row-by-row objects from the driver cost several times
 * more to build than the numbers themselves. Percentages and test scores travel as integers in units of
 * 1 / PACKED_SCALE (float-to-text is the server's dearest part): a hundred-thousandth of a percentage point
 * is far below anything the methodology can tell apart.
 */
const PACKED_SCALE = 10_000;
const FIELDS = 11;
const COMMA = 44;
const SEMICOLON = 59;
const ZERO = 48;

/** The aggregate over `alias` (school_result rows of one school) giving its packed summaries, rows by assessment id. */
export function packedResultsSql(alias: string): string {
  const n = (column: string) => `coalesce(${alias}.${column}::text, '')`;
  const scaled = (column: string) => `coalesce(round(${alias}.${column} * ${PACKED_SCALE})::bigint::text, '')`;
  return `string_agg(concat_ws(',', ${alias}.assessment_id, ${alias}.year, ${alias}.participants, ${n('count2')}, ${n('count3')}, ${n('count4')}, ${n('count5')},
    ${scaled('mean_percent')}, ${scaled('sd_percent')}, ${scaled('mean_test_score')}, ${n('below_minimum')}), ';' order by ${alias}.assessment_id)`;
}

/**
 * Reads one school's packed summaries (non-negative integers) with one pass over the characters: splitting
 * into hundreds of thousands of substrings would cost more garbage collection than the recompute of one
 * school itself.
 */
export function unpackResults(schoolId: number, packed: string): ResultSummary[] {
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
        if (field !== FIELDS) throw new Error(`packed school_result row of school ${schoolId} has ${field} fields, expected ${FIELDS}`);
        out.push(toSummary(schoolId, fields));
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

function toSummary(schoolId: number, f: readonly (number | null)[]): ResultSummary {
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
  };
}
