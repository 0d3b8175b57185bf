/**
 * Assessment keys of a file (procedure × year × session × subject × grade) → assessment ids with the scale that
 * applies to the import: the confirmed one, else the provisional one of the importer's region (src/assessments/
 * scale.ts). Missing assessments are created inside the import's transaction, so a rejected import leaves none.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { AssessmentTask } from '../../../assessments/assessment.entity';
import { hasScaleValues, type ScaleStatus } from '../../../assessments/scale';
import type { ProcedureCode } from '../../parsing';
import { PROCEDURE_NAMES_RU } from '../../parsing/cell-values';
import { UNDO_TARGETS, type UndoLog } from '../../undo/undo-log';

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
  /** Whose scale it is; null while neither a confirmed nor a provisional one applies. */
  status: ScaleStatus | null;
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

function assessmentKeyString(key: AssessmentKey): string {
  return `${key.procedure}|${key.year}|${key.session}|${key.subjectId}|${key.grade}`;
}

interface ScaleColumns {
  max_primary: number | null;
  mark_boundaries: number[] | null;
  minimum_test_score: number | null;
  tasks: AssessmentTask[] | null;
}

interface AssessmentRow extends ScaleColumns {
  id: number;
  /** The region's provisional scale (null columns when it has none). */
  provisional: ScaleColumns;
}

const SELECT = `select a.id, a.max_primary, a.mark_boundaries, a.minimum_test_score, a.tasks,
    json_build_object('max_primary', p.max_primary, 'mark_boundaries', p.mark_boundaries, 'minimum_test_score', p.minimum_test_score, 'tasks', p.tasks) as provisional
  from assessment a left join provisional_scale p on p.assessment_id = a.id and p.region_id = ?
  where a.procedure = ? and a.year = ? and a.session = ? and a.subject_id = ? and a.grade = ?`;

const scaleOf = (row: ScaleColumns, status: ScaleStatus): StoredScale => ({
  maxPrimary: row.max_primary,
  markBoundaries: row.mark_boundaries,
  minimumTestScore: row.minimum_test_score,
  tasks: row.tasks ?? [],
  status,
});

export class AssessmentResolver {
  private readonly cache = new Map<string, ResolvedAssessment>();

  /**
   * `regionId`: the region whose provisional scales apply (provisionalRegionOf); null = confirmed scales only.
   * `undo`: the import's undo log, told of each assessment created, so the import's revert removes it again.
   */
  constructor(
    private readonly knex: Knex,
    private readonly regionId: number | null = null,
    private readonly undo: UndoLog | null = null,
  ) {}

  /** The stored assessment, or null; creates nothing. */
  async find(key: AssessmentKey): Promise<ResolvedAssessment | null> {
    const cached = this.cache.get(assessmentKeyString(key));
    if (cached) return cached;
    const { rows } = await this.knex.raw(SELECT, [this.regionId, key.procedure, key.year, key.session, key.subjectId, key.grade]);
    return rows[0] ? this.remember(key, rows[0]) : null;
  }

  /** The assessment, created when missing (in the transaction this resolver was given). */
  async ensure(key: AssessmentKey): Promise<ResolvedAssessment> {
    const found = await this.find(key);
    if (found) return found;
    const { rows: created } = await this.knex.raw(
      `insert into assessment (procedure, year, session, subject_id, grade) values (?, ?, ?, ?, ?)
       on conflict (procedure, year, session, subject_id, grade) do nothing returning id`,
      [key.procedure, key.year, key.session, key.subjectId, key.grade],
    );
    if (created.length > 0 && this.undo) await this.undo.keysOnly(UNDO_TARGETS.assessment, 'select ?::int as id', [created[0].id]);
    const { rows } = await this.knex.raw(SELECT, [this.regionId, key.procedure, key.year, key.session, key.subjectId, key.grade]);
    return this.remember(key, rows[0]);
  }

  /**
   * The assessment when a scale applies to it (confirmed, or the importer's region's provisional one); else why not,
   * in Russian, saying what to load first. Data that means something only against a scale (reference values,
   * re-checks, aggregates, participant rows of a file that brings no task maxima) is held this way, and nothing is
   * created: an assessment without a scale would take the data as if it had been checked.
   */
  async scaled(key: AssessmentKey, subjectName: string): Promise<{ assessment: ResolvedAssessment } | { reasonRu: string }> {
    const found = await this.find(key);
    if (found !== null && found.scale.status !== null) return { assessment: found };
    const what = `${PROCEDURE_NAMES_RU[key.procedure]} ${key.year}, ${subjectName}, ${key.grade} класс`;
    const reasonRu =
      `${found !== null ? `у процедуры «${what}» в хабе нет шкалы` : `процедуры «${what}» в хабе ещё нет`}: эти данные без шкалы не загружаются. ` +
      'Загрузите сначала шкалу (шаблон «Шкалы перевода», assessment-scales) или результаты участников ФИС ОКО с максимумами заданий, затем этот файл снова';
    return { reasonRu };
  }

  cached(key: AssessmentKey): ResolvedAssessment | null {
    return this.cache.get(assessmentKeyString(key)) ?? null;
  }

  private remember(key: AssessmentKey, row: AssessmentRow): ResolvedAssessment {
    const confirmed = scaleOf(row, 'CONFIRMED');
    const provisional = row.provisional.max_primary === null ? null : scaleOf(row.provisional, 'PROVISIONAL');
    const none: StoredScale = { ...confirmed, status: null };
    const resolved: ResolvedAssessment = { id: row.id, key, scale: hasScaleValues(confirmed) ? confirmed : (provisional ?? none) };
    this.cache.set(assessmentKeyString(key), resolved);
    return resolved;
  }
}
