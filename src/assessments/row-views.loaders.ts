import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../shared/sql';
import type { ResultFilter } from './result-filter.input';
import { SchoolResult } from './school-result.entity';

/**
 * School results for GraphQL reads without ORM hydration — the hottest rows of the read path (a list of 100
 * schools reads ~4,000 of them) — as read-only views like those of src/schools/entity-views.ts, with one
 * difference: the histogram and task-completion arrays travel as text and are parsed only when a client asks
 * for them. Views are never managed by an EntityManager and must not be persisted.
 */

/** '{1,NULL,2}' → [1, null, 2] (PostgreSQL text of a one-dimensional numeric array). */
export function parseNumberArray(text: string | null): (number | null)[] | null {
  if (text == null) return null;
  const body = text.slice(1, -1);
  if (body === '') return [];
  return body.split(',').map((item) => (item === 'NULL' ? null : Number(item)));
}

/** A prototype below the entity's that shadows its setters with plain fields and parses arrays lazily. */
function viewPrototype<T extends object>(entity: { prototype: T }, fields: readonly string[], arrays: readonly string[]): T {
  const descriptors: PropertyDescriptorMap = {};
  for (const name of fields) descriptors[name] = { value: null, writable: true, enumerable: true, configurable: true };
  for (const name of arrays) {
    const textField = `${name}Text`;
    descriptors[textField] = { value: null, writable: true, enumerable: false, configurable: true };
    descriptors[name] = {
      get(this: Record<string, string | null>) {
        return parseNumberArray(this[textField]);
      },
      enumerable: true,
      configurable: true,
    };
  }
  return Object.create(entity.prototype, descriptors);
}

const RESULT_VIEW = viewPrototype(
  SchoolResult,
  ['id', 'school', 'assessment', 'year', 'participants', 'count2', 'count3', 'count4', 'count5', 'meanPrimary', 'meanPercent', 'journalLowered',
    'journalConfirmed', 'journalRaised', 'journalMismatch2', 'belowMinimum', 'meanTestScore', 'sdPercent', 'source', 'updatedAt'],
  ['histogram', 'taskCompletion'],
);

type Row = Record<string, any>;
const ref = <T>(id: number | null): T => (id == null ? null : { id }) as T;

function resultView(row: Row): SchoolResult {
  const view = Object.create(RESULT_VIEW);
  view.id = row.id;
  view.school = ref(row.school_id);
  view.assessment = ref(row.assessment_id);
  view.year = row.year;
  view.participants = row.participants;
  view.count2 = row.count2;
  view.count3 = row.count3;
  view.count4 = row.count4;
  view.count5 = row.count5;
  view.meanPrimary = row.mean_primary;
  view.meanPercent = row.mean_percent;
  view.histogramText = row.histogram;
  view.journalLowered = row.journal_lowered;
  view.journalConfirmed = row.journal_confirmed;
  view.journalRaised = row.journal_raised;
  view.journalMismatch2 = row.journal_mismatch2;
  view.belowMinimum = row.below_minimum;
  view.meanTestScore = row.mean_test_score;
  view.taskCompletionText = row.task_completion;
  view.sdPercent = row.sd_percent;
  view.source = row.source;
  view.updatedAt = row.updated_at;
  return view;
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
    `select sr.id, sr.school_id, sr.assessment_id, sr.year, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
            sr.mean_primary, sr.mean_percent, sr.histogram::text as histogram, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised,
            sr.journal_mismatch2, sr.below_minimum, sr.mean_test_score, sr.task_completion::text as task_completion, sr.sd_percent,
            sr.source, sr.updated_at
     from school_result sr where ${conditions.join(' and ')}
     order by sr.year, sr.assessment_id`,
    bindings,
    'all',
  );
  return rows.map(resultView);
}
