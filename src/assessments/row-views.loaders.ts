import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../shared/sql';
import type { ResultFilter } from './result-filter.input';
import { SchoolResult } from './school-result.entity';

/**
 * School results for GraphQL reads without ORM hydration — the hottest rows of the read path (a list of 100
 * schools reads ~4,000 of them) — as read-only views like those of src/schools/entity-views.ts, with one
 * difference: the histogram and task-completion arrays are not read with the row. They are most of its bytes,
 * and few queries ask for them: when one does, loadResultArrays() reads them for all its results at once (the
 * field resolvers in school-result.resolver.ts), as text parsed only then. Views are never managed by an
 * EntityManager and must not be persisted.
 */

/** '{1,NULL,2}' → [1, null, 2] (PostgreSQL text of a one-dimensional numeric array). */
function parseNumberArray(text: string | null): (number | null)[] | null {
  if (text == null) return null;
  const body = text.slice(1, -1);
  if (body === '') return [];
  return body.split(',').map((item) => (item === 'NULL' ? null : Number(item)));
}

/** A prototype below the entity's that shadows its setters with plain fields. */
function viewPrototype<T extends object>(entity: { prototype: T }, fields: readonly string[]): T {
  const descriptors: PropertyDescriptorMap = {};
  for (const name of fields) descriptors[name] = { value: null, writable: true, enumerable: true, configurable: true };
  return Object.create(entity.prototype, descriptors);
}

const RESULT_VIEW = viewPrototype(SchoolResult, [
  'id', 'school', 'assessment', 'year', 'participants', 'count2', 'count3', 'count4', 'count5', 'meanPrimary', 'meanPercent', 'histogram',
  'journalLowered', 'journalConfirmed', 'journalRaised', 'journalMismatch2', 'belowMinimum', 'meanTestScore', 'taskCompletion', 'sdPercent',
  'countTest80', 'countTest100', 'source', 'arraysPending',
]);
// pg parses every timestamp into a Date as it reads the row — thousands per list; this one is parsed when asked for.
Object.defineProperty(RESULT_VIEW, 'updatedAt', {
  get(this: { updatedAtText: string }) {
    return new Date(this.updatedAtText);
  },
  enumerable: true,
  configurable: true,
});

type Row = Record<string, any>;
const ref = <T>(id: number | null): T => (id == null ? null : { id }) as T;

/**
 * The columns of a result view, in the order the statement sends them. They travel as one JSON array per
 * result, aggregated in PostgreSQL: parsing one JSON text natively costs a fraction of what the driver spends
 * on 20 typed fields of each of thousands of rows.
 */
const VIEW_COLUMNS = `sr.id, sr.school_id, sr.assessment_id, sr.year, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
  sr.mean_primary, sr.mean_percent, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.journal_mismatch2, sr.below_minimum,
  sr.mean_test_score, sr.sd_percent, sr.source, sr.updated_at, sr.count_test_80, sr.count_test_100`;

type ViewRow = [number, number, number, number, number, number | null, number | null, number | null, number | null, number | null, number | null,
  number | null, number | null, number | null, number | null, number | null, number | null, number | null, string, string, number | null, number | null];

function resultView(row: ViewRow): SchoolResult {
  const view = Object.create(RESULT_VIEW);
  view.id = row[0];
  view.school = ref(row[1]);
  view.assessment = ref(row[2]);
  view.year = row[3];
  view.participants = row[4];
  view.count2 = row[5];
  view.count3 = row[6];
  view.count4 = row[7];
  view.count5 = row[8];
  view.meanPrimary = row[9];
  view.meanPercent = row[10];
  view.journalLowered = row[11];
  view.journalConfirmed = row[12];
  view.journalRaised = row[13];
  view.journalMismatch2 = row[14];
  view.belowMinimum = row[15];
  view.meanTestScore = row[16];
  view.sdPercent = row[17];
  view.source = row[18];
  view.updatedAtText = row[19];
  view.countTest80 = row[20];
  view.countTest100 = row[21];
  view.arraysPending = true;
  return view;
}

/** Whether a result is a view whose arrays are still to be read (see loadResultArrays). */
export function arraysPending(result: SchoolResult): boolean {
  return (result as SchoolResult & { arraysPending?: boolean }).arraysPending === true;
}

export interface ResultArrays {
  id: number;
  histogram: (number | null)[] | null;
  taskCompletion: (number | null)[] | null;
}

/** The histogram and task completion of the given results: one statement. */
export async function loadResultArrays(em: EntityManager, ids: readonly number[]): Promise<ResultArrays[]> {
  const rows: Row[] = await em
    .getConnection()
    .execute(`select id, histogram::text as histogram, task_completion::text as task_completion from school_result where id = any(?::int[])`, [intArrayLiteral(ids)], 'all');
  return rows.map((row) => ({ id: row.id, histogram: parseNumberArray(row.histogram), taskCompletion: parseNumberArray(row.task_completion) }));
}

/** Results of the given schools under a result filter, ordered by year and assessment: one statement. */
export async function loadSchoolResultViews(em: EntityManager, schoolIds: readonly number[], filter: ResultFilter): Promise<SchoolResult[]> {
  const conditions = ['sr.school_id = any(?::int[])'];
  const bindings: unknown[] = [intArrayLiteral(schoolIds)];
  const byAssessment: string[] = [];
  if (filter.years?.length) {
    conditions.push('sr.year = any(?::int[])');
    bindings.push(intArrayLiteral(filter.years));
  }
  if (filter.procedure) {
    byAssessment.push('a.procedure::text = ?');
    bindings.push(filter.procedure);
  }
  if (filter.grade) {
    byAssessment.push('a.grade = ?');
    bindings.push(filter.grade);
  }
  if (filter.subjectCode) {
    byAssessment.push('a.subject_id = (select su.id from subject su where su.code = ?)');
    bindings.push(filter.subjectCode);
  }
  if (byAssessment.length) conditions.push(`sr.assessment_id in (select a.id from assessment a where ${byAssessment.join(' and ')})`);
  const rows: Row[] = await em.getConnection().execute(
    `select json_agg(json_build_array(${VIEW_COLUMNS}) order by sr.year, sr.assessment_id)::text as views
     from school_result sr where ${conditions.join(' and ')}`,
    bindings,
    'all',
  );
  const views: ViewRow[] = rows[0]?.views ? JSON.parse(rows[0].views) : [];
  return views.map(resultView);
}
