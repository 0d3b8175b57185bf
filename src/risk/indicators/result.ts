import { MarkerCode } from '../markers';
import { METHODOLOGY_VERSION } from '../methodology/version';
import { IndicatorName, IndicatorResult, IndicatorStatus } from './types';

/** Everything an indicator decides; the builder adds the methodology version and keeps shapes uniform. */
export interface ResultParts {
  indicator: IndicatorName;
  status: IndicatorStatus;
  /** The marker this indicator fires when FLAGGED. */
  marker: MarkerCode;
  value: number | null;
  pValue?: number;
  warnings?: string[];
  explanationRu: string;
  inputs: Record<string, unknown>;
  baseline: Record<string, unknown>;
  thresholds: object;
}

export function buildResult(parts: ResultParts): IndicatorResult {
  const result: IndicatorResult = {
    indicator: parts.indicator,
    marker: parts.status === 'FLAGGED' ? parts.marker : null,
    value: parts.value,
    status: parts.status,
    warnings: parts.warnings ?? [],
    explanationRu: parts.explanationRu,
    evidence: {
      inputs: parts.inputs,
      // The thresholds section itself (frozen by `resolveThresholds`), not a copy: a region recompute builds a
      // quarter of a million results, and one shared object per section serialises the same.
      baseline: { ...parts.baseline, thresholds: parts.thresholds },
      methodologyVersion: METHODOLOGY_VERSION,
    },
  };
  if (parts.pValue !== undefined) result.pValue = parts.pValue;
  return result;
}

/** A refusal to judge: value null, no marker, the Russian reason as the explanation. */
export function insufficientData(
  parts: Omit<ResultParts, 'status' | 'value' | 'pValue'> & { value?: number | null },
): IndicatorResult {
  return buildResult({ ...parts, status: 'INSUFFICIENT_DATA', value: parts.value ?? null });
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function assertHistogram(histogram: readonly number[], maxScore: number, name: string): void {
  if (histogram.length !== maxScore + 1) {
    throw new RangeError(`${name} must have maxScore + 1 = ${maxScore + 1} entries, got ${histogram.length}`);
  }
  for (const count of histogram) {
    if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`${name} must hold non-negative integer counts, got ${count}`);
  }
}

/** Rounds for storage and display; decisions are made on unrounded values. */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
