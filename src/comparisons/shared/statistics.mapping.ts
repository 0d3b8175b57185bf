import type { DifferenceResult, TrendResult, YearToYearChange } from '../stats';
import { DifferenceType, StatisticStatus, TrendType, YearChangeType } from './statistics.types';

/** GraphQL Float cannot carry ±∞ or NaN (a z with no noise at all): such values travel as null. */
export const finite = (value: number | null | undefined): number | null => (value != null && Number.isFinite(value) ? value : null);

export function toDifference(result: DifferenceResult): DifferenceType {
  if (result.status !== 'OK') {
    return { status: StatisticStatus.INSUFFICIENT_DATA, reason: result.reason, method: null, estimate: null, reference: null, difference: null, standardError: null, lower: null, upper: null, statistic: null, degreesOfFreedom: null, pValue: null, significant: null };
  }
  return {
    status: StatisticStatus.OK,
    reason: null,
    method: result.method,
    estimate: finite(result.estimate),
    reference: finite(result.reference),
    difference: finite(result.difference),
    standardError: finite(result.standardError),
    lower: finite(result.lower),
    upper: finite(result.upper),
    statistic: finite(result.statistic),
    degreesOfFreedom: finite(result.degreesOfFreedom),
    pValue: finite(result.pValue),
    significant: result.significant,
  };
}

export function toTrend(result: TrendResult): TrendType {
  if (result.status !== 'OK') {
    return { status: StatisticStatus.INSUFFICIENT_DATA, reason: result.reason, years: null, participants: null, slopePerYear: null, standardError: null, lower: null, upper: null, pValue: null, significant: null, lackOfFitChiSquare: null, lackOfFitPValue: null, points: [] };
  }
  return {
    status: StatisticStatus.OK,
    reason: null,
    years: result.years,
    participants: result.participants,
    slopePerYear: finite(result.slopePerYear),
    standardError: finite(result.standardError),
    lower: finite(result.lower),
    upper: finite(result.upper),
    pValue: finite(result.pValue),
    significant: result.significant,
    lackOfFitChiSquare: finite(result.lackOfFit.chiSquare),
    lackOfFitPValue: finite(result.lackOfFit.pValue),
    points: result.points,
  };
}

export function toYearChange(change: YearToYearChange): YearChangeType {
  return { yearFrom: change.yearFrom, yearTo: change.yearTo, change: toDifference(change.change) };
}
