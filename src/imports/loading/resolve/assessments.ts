/**
 * Assessment keys of a file (procedure × year × session × subject × grade) → assessment ids with their stored
 * scales. Missing assessments are created inside the import's transaction, so a rejected import leaves none.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { AssessmentTask } from '../../../assessments/assessment.entity';
import type { ProcedureCode } from '../../parsing';

export interface AssessmentKey {
  procedure: ProcedureCode;
  year: number;
  session: string;
  subjectId: number;
  grade: number;
}

export interface StoredScale {
  maxPrimary: number | null;
  /** Minimum primary score for «3», «4», «5». */
  markBoundaries: number[] | null;
  minimumTestScore: number | null;
  tasks: AssessmentTask[];
}

export interface ResolvedAssessment {
  id: number;
  key: AssessmentKey;
  scale: StoredScale;
}

/** The session when the upload does not name one: ВПР and НИКО are written in spring, the rest in the main period. */
export function defaultSession(procedure: ProcedureCode): string {
  return procedure === 'VPR' || procedure === 'NIKO' ? 'spring' : 'main';
}

export function assessmentKeyString(key: AssessmentKey): string {
  return `${key.procedure}|${key.year}|${key.session}|${key.subjectId}|${key.grade}`;
}

interface AssessmentRow {
  id: number;
  max_primary: number | null;
  mark_boundaries: number[] | null;
  minimum_test_score: number | null;
  tasks: AssessmentTask[];
}

const SELECT = `select id, max_primary, mark_boundaries, minimum_test_score, tasks from assessment
  where procedure = ? and year = ? and session = ? and subject_id = ? and grade = ?`;

export class AssessmentResolver {
  private readonly cache = new Map<string, ResolvedAssessment>();

  constructor(private readonly knex: Knex) {}

  /** The stored assessment, or null; creates nothing. */
  async find(key: AssessmentKey): Promise<ResolvedAssessment | null> {
    const cached = this.cache.get(assessmentKeyString(key));
    if (cached) return cached;
    const { rows } = await this.knex.raw(SELECT, [key.procedure, key.year, key.session, key.subjectId, key.grade]);
    return rows[0] ? this.remember(key, rows[0]) : null;
  }

  /** The assessment, created when missing (in the transaction this resolver was given). */
  async ensure(key: AssessmentKey): Promise<ResolvedAssessment> {
    const found = await this.find(key);
    if (found) return found;
    await this.knex.raw(
      `insert into assessment (procedure, year, session, subject_id, grade) values (?, ?, ?, ?, ?)
       on conflict (procedure, year, session, subject_id, grade) do nothing`,
      [key.procedure, key.year, key.session, key.subjectId, key.grade],
    );
    const { rows } = await this.knex.raw(SELECT, [key.procedure, key.year, key.session, key.subjectId, key.grade]);
    return this.remember(key, rows[0]);
  }

  cached(key: AssessmentKey): ResolvedAssessment | null {
    return this.cache.get(assessmentKeyString(key)) ?? null;
  }

  private remember(key: AssessmentKey, row: AssessmentRow): ResolvedAssessment {
    const resolved: ResolvedAssessment = {
      id: row.id,
      key,
      scale: { maxPrimary: row.max_primary, markBoundaries: row.mark_boundaries, minimumTestScore: row.minimum_test_score, tasks: row.tasks ?? [] },
    };
    this.cache.set(assessmentKeyString(key), resolved);
    return resolved;
  }
}
