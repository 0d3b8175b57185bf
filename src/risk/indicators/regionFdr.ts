import { benjaminiHochbergWith, type SortedPValues } from '../stats/multipleTesting';
import { formatNumberRu, pluralRu } from './formatRu';
import { IndicatorResult } from './types';

export interface SchoolCheckResult<R extends IndicatorResult = IndicatorResult> {
  schoolId: string;
  result: R;
}

export interface RegionFdrDecision<R extends IndicatorResult = IndicatorResult> {
  schoolId: string;
  /** Benjamini–Hochberg q-value across the region's judged schools; null when not judged. */
  qValue: number | null;
  flagged: boolean;
  /** The school's result with status and marker decided at the region level. */
  result: R;
}

/**
 * Region-wide decision for an indicator tested in every school of one assessment (journal mismatch, task
 * inversion): Benjamini–Hochberg over the per-school p-values, so that of the schools flagged at most
 * `fdrAlpha` are expected to be false alarms. A region has hundreds of schools and each of them a dozen
 * assessments: at a per-school α of 5% every school would collect a few chance markers a year, and two of
 * them already make a zone. A school is flagged when its own decision was FLAGGED (which also checks the
 * effect size) *and* its q ≤ `fdrAlpha`. Schools refused (INSUFFICIENT_DATA) or without a p-value take no
 * part and pass through unchanged. `otherPValues`: p-values of the region's other schools judged earlier
 * (single-school recomputes): they take part in the correction but get no decision here.
 */
export function applyRegionFdr<R extends IndicatorResult>(results: readonly SchoolCheckResult<R>[], fdrAlpha: number, otherPValues: readonly number[] | SortedPValues = []): RegionFdrDecision<R>[] {
  const judged = results.filter((r) => r.result.status !== 'INSUFFICIENT_DATA' && typeof r.result.pValue === 'number');
  const tested = judged.length + otherPValues.length;
  const qValues = benjaminiHochbergWith(judged.map((r) => r.result.pValue as number), otherPValues);
  const qBySchool = new Map(judged.map((r, i) => [r, qValues[i]]));
  return results.map((entry) => {
    const qValue = qBySchool.get(entry);
    if (qValue === undefined) return { schoolId: entry.schoolId, qValue: null, flagged: false, result: entry.result };
    const perSchool = entry.result.status === 'FLAGGED';
    const flagged = perSchool && qValue <= fdrAlpha;
    const note = perSchool
      ? ` С поправкой Бенджамини–Хохберга по ${tested} ${pluralRu(tested, ['школе', 'школам', 'школам'])} региона q = ${formatNumberRu(qValue, qValue < 0.01 ? 4 : 3)} ` +
        `(порог ${formatNumberRu(fdrAlpha, 3)}): ${flagged ? 'сигнал подтверждается.' : 'на уровне региона сигнал не подтверждается (такое отклонение ожидаемо среди многих школ).'}`
      : '';
    const result: R = {
      ...entry.result,
      status: flagged ? 'FLAGGED' : entry.result.status === 'FLAGGED' ? 'CLEAR' : entry.result.status,
      marker: flagged ? entry.result.marker : null,
      explanationRu: entry.result.explanationRu + note,
      evidence: {
        ...entry.result.evidence,
        baseline: { ...entry.result.evidence.baseline, fdr: { qValue, schoolsTested: tested, fdrAlpha } },
      },
    };
    return { schoolId: entry.schoolId, qValue, flagged, result };
  });
}
