/**
 * Participant rows against the scale that applies to them: the confirmed scale, else the importer's region's
 * provisional one (checked here for files whose rows carry their own keys; the parser checks files that name their
 * assessment), and the scale a ФИС ОКО file implies by its task headers, which becomes the assessment's scale when
 * none applies — confirmed when an administrator imports it, else provisional for the importer's region.
 */
import { markFor } from '../../../assessments/marks';
import { describeTasks } from '../../../assessments/scale';
import type { ImportMetadata, ParticipantResultRecord, ProcedureCode } from '../../parsing';
import type { LoaderField } from '../column-names';
import type { RowProblem } from '../loader-issues';
import type { StoredScale } from '../resolve/assessments';

/** Procedures whose marks follow from the primary score by the scale's boundaries. */
const MARKED_BY_BOUNDARIES: readonly ProcedureCode[] = ['VPR', 'NIKO', 'OGE', 'GVE'];

/**
 * Compares the tasks of a file (ФИС ОКО header "1 (1б)…") with the scale the hub keeps for the assessment;
 * returns the reason they disagree, or null.
 */
export function taskStructureConflict(metadata: ImportMetadata, scale: StoredScale): string | null {
  const fileTasks = metadata.tasks;
  if (!fileTasks || fileTasks.length === 0 || scale.tasks.length === 0) return null;
  const differs =
    fileTasks.length !== scale.tasks.length || fileTasks.some((task, i) => task.maxPoints !== null && task.maxPoints !== scale.tasks[i].maxPoints);
  if (!differs) return null;
  const difference = `в файле ${fileTasks.length} (${describeTasks(fileTasks)}), в хабе ${scale.tasks.length} (${describeTasks(scale.tasks)})`;
  return scale.status === 'PROVISIONAL'
    ? `Задания в файле не совпадают с предварительной шкалой процедуры вашего региона (взята из файла, загруженного регионом раньше): ${difference}. Проверьте год, предмет и класс файла; если ошибочна шкала, администратор хаба подтвердит верную.`
    : `Задания в файле не совпадают с подтверждённой шкалой процедуры (общей для всех регионов): ${difference}. Проверьте год, предмет и класс файла.`;
}

/** Tasks of a file as the assessment's scale: the maxima always, the tasks only when every level is known. */
export function scaleFromFile(metadata: ImportMetadata): { maxPrimary: number; tasks: { number: string; level: string; maxPoints: number }[] } | null {
  const tasks = metadata.tasks;
  if (!tasks || tasks.length === 0 || tasks.some((task) => task.maxPoints === null)) return null;
  const maxPrimary = tasks.reduce((sum, task) => sum + (task.maxPoints ?? 0), 0);
  const levelled = tasks.every((task) => task.level !== null);
  return { maxPrimary, tasks: levelled ? tasks.map((task) => ({ number: task.number, level: task.level!, maxPoints: task.maxPoints! })) : [] };
}

/** Whether the stored scale can find anything wrong with a row: an assessment just created has no scale yet. */
export function hasScaleRules(scale: StoredScale): boolean {
  return scale.maxPrimary !== null || scale.markBoundaries !== null || scale.tasks.length > 0;
}

/** What is wrong with a row under the stored scale (nothing when it fits). */
export function scaleProblems(record: ParticipantResultRecord, scale: StoredScale, header: (field: LoaderField) => string): RowProblem[] {
  const problems: RowProblem[] = [];
  const row = record.sourceRow;
  if (scale.maxPrimary !== null && record.primaryScore > scale.maxPrimary) {
    problems.push({
      row,
      column: header('primaryScore'),
      value: String(record.primaryScore),
      code: 'SCORE_ABOVE_MAX',
      reasonRu: `балл «${record.primaryScore}» больше максимального (${scale.maxPrimary}) по шкале процедуры`,
    });
  }
  if (scale.markBoundaries && record.mark !== null && MARKED_BY_BOUNDARIES.includes(record.procedure)) {
    const expected = markFor(record.primaryScore, scale.markBoundaries);
    if (expected !== record.mark) {
      problems.push({
        row,
        column: header('mark'),
        value: String(record.mark),
        code: 'MARK_INCONSISTENT_WITH_SCALE',
        reasonRu: `отметка «${record.mark}» не соответствует шкале: за первичный балл ${record.primaryScore} полагается «${expected}»`,
      });
    }
  }
  if (scale.tasks.length === 0 || record.taskScores.length === 0) return problems;
  if (record.taskScores.length !== scale.tasks.length) {
    problems.push({
      row,
      column: header('tasks'),
      value: String(record.taskScores.length),
      code: 'TASK_COUNT_MISMATCH',
      reasonRu: `в строке ${record.taskScores.length} заданий, а по шкале процедуры — ${scale.tasks.length}`,
    });
    return problems;
  }
  record.taskScores.forEach((score, i) => {
    if (score !== null && score > scale.tasks[i].maxPoints) {
      problems.push({
        row,
        column: header('tasks'),
        value: String(score),
        code: 'SCORE_ABOVE_MAX',
        reasonRu: `за задание ${scale.tasks[i].number} ${score} б. — больше максимального (${scale.tasks[i].maxPoints}) по шкале процедуры`,
      });
    }
  });
  return problems;
}
