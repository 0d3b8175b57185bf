import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { benjaminiHochbergWith, type SortedPValues } from '../stats/multipleTesting';
import { BoundaryBunchingResult } from './boundaryBunching';
import { formatNumberRu, pluralRu } from './formatRu';

export interface SchoolBunchingResult {
  schoolId: string;
  result: BoundaryBunchingResult;
}

export interface BunchingFdrDecision {
  schoolId: string;
  /** The school's per-school p-value (Bonferroni over boundaries); null when it was not judged. */
  pValue: number | null;
  /** Benjamini–Hochberg q-value across the region's judged schools; null when not judged. */
  qValue: number | null;
  /** q ≤ fdrAlpha and the school's total excess at the boundaries reaches `minExcessShare`. */
  flagged: boolean;
  /** The school's result with status, marker and explanation decided at the region level. */
  result: BoundaryBunchingResult;
}

/**
 * Region-wide decision for BOUNDARY_BUNCHING: Benjamini–Hochberg over the per-school p-values of one
 * assessment, so that among the schools flagged at most `fdrAlpha` are expected to be false alarms.
 * Schools the per-school step refused (INSUFFICIENT_DATA) take no part and pass through unchanged.
 * `otherPValues`: p-values of the region's other schools, judged earlier (a single-school recompute keeps
 * the region-wide correction): they take part in the correction but get no decision here.
 */
export function applyBunchingFdr(results: readonly SchoolBunchingResult[], thresholds: RiskThresholds, otherPValues: readonly number[] | SortedPValues = []): BunchingFdrDecision[] {
  const t = thresholds.boundaryBunching;
  const judged = results.filter((r) => r.result.status !== 'INSUFFICIENT_DATA' && r.result.pValue !== undefined);
  const tested = judged.length + otherPValues.length;
  const qValues = benjaminiHochbergWith(judged.map((r) => r.result.pValue as number), otherPValues);
  const qBySchool = new Map(judged.map((r, i) => [r, qValues[i]]));
  return results.map((entry) => {
    const qValue = qBySchool.get(entry);
    if (qValue === undefined) return { schoolId: entry.schoolId, pValue: null, qValue: null, flagged: false, result: entry.result };
    const largeEnough = entry.result.details !== null && entry.result.details.excessShare >= t.minExcessShare;
    const flagged = qValue <= t.fdrAlpha && largeEnough;
    const fdrNote =
      ` С поправкой Бенджамини–Хохберга по ${tested} ${pluralRu(tested, ['школе', 'школам', 'школам'])} региона ` +
      `q = ${formatNumberRu(qValue, qValue < 0.01 ? 4 : 3)} (порог ${formatNumberRu(t.fdrAlpha, 3)}): ` +
      (flagged ? 'пик подтверждается.' : 'пик на уровне региона не подтверждается.');
    const result: BoundaryBunchingResult = {
      ...entry.result,
      status: flagged ? 'FLAGGED' : 'CLEAR',
      marker: flagged ? MarkerCode.BOUNDARY_BUNCHING : null,
      explanationRu: entry.result.explanationRu + fdrNote,
      evidence: {
        ...entry.result.evidence,
        baseline: { ...entry.result.evidence.baseline, fdr: { qValue, schoolsTested: tested, fdrAlpha: t.fdrAlpha } },
      },
    };
    return { schoolId: entry.schoolId, pValue: entry.result.pValue as number, qValue, flagged, result };
  });
}
