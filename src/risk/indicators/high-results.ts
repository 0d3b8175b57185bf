import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { fitEmpiricalBayesArrays, shrinkEstimate, ShrunkenEstimate } from '../stats/empirical-bayes';
import { normalUpperTail } from '../../stats/normal';
import { formatNumberRu, formatPercentRu, pluralRu } from './format-ru';
import { buildResult, insufficientData, roundTo } from './result';
import { HighResultsInput, IndicatorResult, SchoolResultSummary } from './types';

/**
 * Indicator 1 — high results against the region (marker HIGH_RESULTS).
 *
 * Two measures per school: mean share of max and share of «4»+«5». For each, an empirical-Bayes
 * model over the comparison group (τ² by method of moments, sampling variance = pooled within-school
 * variance / n for the mean, p̄(1 − p̄) / n for the share — pooled, so a class where everyone got «5»
 * does not get zero variance) gives a shrunken z: (shrunken − μ) / τ. `value` = the larger of the two
 * shrunken z's; flagged when it reaches the bar. `pValue` = the marginal upper tail of the same measure
 * (how unusual the raw value is for a typical school of that size).
 *
 * Schools with in-depth study ("told apart"): compared with their own peer group (the region's other
 * in-depth schools) when there are at least `minPeerGroupSchools` of them; otherwise with all the
 * region's schools at a bar raised by `inDepthExtraZ`. Ordinary schools are compared with all schools.
 */
export function highResults(input: HighResultsInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.highResults;
  const { school } = input;
  const prepared = preparedRegion(input.regionSchools, school);
  const region = prepared.region;
  const common = { indicator: 'HIGH_RESULTS' as const, marker: MarkerCode.HIGH_RESULTS, thresholds: t };
  const inputs = { schoolId: school.schoolId, participants: school.participants, meanShareOfMax: school.meanShareOfMax, share45: share45(school), inDepthStudy: school.inDepthStudy };

  if (school.participants < t.minParticipants) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: `Участников ${school.participants} — меньше ${t.minParticipants}: результат школы слишком мал для сравнения с регионом.` });
  }
  const peers = prepared.peers;
  const usePeerGroup = school.inDepthStudy && peers.length >= t.minPeerGroupSchools;
  const group = usePeerGroup ? peers : region;
  const bar = t.minShrunkenZ + (school.inDepthStudy && !usePeerGroup ? t.inDepthExtraZ : 0);
  const comparison = usePeerGroup ? 'IN_DEPTH_PEERS' : school.inDepthStudy ? 'ALL_SCHOOLS_HIGHER_BAR' : 'ALL_SCHOOLS';
  if (group.length < t.minRegionSchools) {
    return insufficientData({ ...common, inputs, baseline: { comparisonSchools: group.length }, explanationRu: `Для сравнения лишь ${group.length} ${schoolsRu(group.length)} (нужно не меньше ${t.minRegionSchools}): разброс между школами не оценить.` });
  }

  const { pooledWithinVariance, regionShare45, shareVariance, meanModel, shareModel } = groupModels(prepared, usePeerGroup ? 'peers' : 'region');
  const mean = shrinkEstimate({ estimate: school.meanShareOfMax, samplingVariance: pooledWithinVariance / school.participants }, meanModel);
  const share = shrinkEstimate({ estimate: share45(school), samplingVariance: shareVariance / school.participants }, shareModel);
  const leading: ShrunkenEstimate = share.shrunkenZ > mean.shrunkenZ ? share : mean;
  const value = roundTo(leading.shrunkenZ, 3);
  const flagged = leading.shrunkenZ >= bar;

  const warnings: string[] = [];
  if (meanModel.tau2 === 0 && shareModel.tau2 === 0) warnings.push('Школы региона различаются не больше, чем позволяет случайность: сжатая оценка равна нулю.');
  if (school.inDepthStudy && !usePeerGroup) {
    warnings.push(`В регионе лишь ${peers.length} ${schoolsRu(peers.length)} с углублённым изучением: школа сравнивается со всеми школами по повышенному порогу ${formatNumberRu(bar, 1)}.`);
  }
  const groupRu = usePeerGroup ? `по ${group.length} школам с углублённым изучением` : 'по школам региона';
  const explanationRu =
    `Средний процент выполнения ${formatPercentRu(school.meanShareOfMax)} при ${formatPercentRu(meanModel.grandMean)} ${groupRu}, ` +
    `доля отметок «4» и «5» ${formatPercentRu(share45(school))} при ${formatPercentRu(shareModel.grandMean)}; ` +
    `сжатая z-оценка ${formatNumberRu(value, 1)} (порог ${formatNumberRu(bar, 1)})` +
    (flagged ? ': результаты заметно выше региональных.' : '.');

  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value,
    pValue: normalUpperTail(leading.marginalZ),
    warnings,
    explanationRu,
    inputs,
    baseline: {
      comparison,
      comparisonSchools: group.length,
      bar,
      meanShareOfMax: { grandMean: meanModel.grandMean, tau2: meanModel.tau2, pooledWithinVariance, ...mean },
      share45: { grandMean: shareModel.grandMean, tau2: shareModel.tau2, pooledShare: regionShare45, ...share },
    },
  });
}

function share45(s: SchoolResultSummary): number {
  const { mark2, mark3, mark4, mark5 } = s.marks;
  const total = mark2 + mark3 + mark4 + mark5;
  return total > 0 ? (mark4 + mark5) / total : 0;
}

/** Pooled within-school variance of pupils' share of max: Σ (nᵢ − 1) sᵢ² / Σ (nᵢ − 1). */
function pooledVariance(schools: readonly SchoolResultSummary[]): number {
  let numerator = 0;
  let degrees = 0;
  for (const s of schools) {
    if (s.sdShareOfMax === null || s.participants < 2) continue;
    numerator += (s.participants - 1) * s.sdShareOfMax ** 2;
    degrees += s.participants - 1;
  }
  // A region reporting no spreads at all: fall back to a typical ВПР spread (SD ≈ 0.2 of max).
  return degrees > 0 && numerator > 0 ? numerator / degrees : 0.04;
}

function model(schools: readonly SchoolResultSummary[], measure: (s: SchoolResultSummary) => number, unitVariance: number) {
  const estimates = new Float64Array(schools.length);
  const variances = new Float64Array(schools.length);
  schools.forEach((s, i) => {
    estimates[i] = measure(s);
    variances[i] = unitVariance / s.participants;
  });
  return fitEmpiricalBayesArrays(estimates, variances);
}

interface PreparedRegion {
  region: SchoolResultSummary[];
  peers: SchoolResultSummary[];
  models: Partial<Record<'region' | 'peers', GroupModels>>;
}
interface GroupModels {
  pooledWithinVariance: number;
  regionShare45: number;
  shareVariance: number;
  meanModel: ReturnType<typeof model>;
  shareModel: ReturnType<typeof model>;
}

/**
 * The comparison group and its fitted models depend only on the region's list, which a region recompute
 * passes as one array for every school of an assessment: they are computed once per array (a cache on the
 * array's identity; the result is the same as computing them afresh, only not a thousand times).
 */
const preparedByRegion = new WeakMap<readonly SchoolResultSummary[], { ids: Set<string>; prepared: PreparedRegion }>();

function preparedRegion(regionSchools: readonly SchoolResultSummary[], school: SchoolResultSummary): PreparedRegion {
  let cached = preparedByRegion.get(regionSchools);
  if (!cached) {
    const region = regionSchools.filter((s) => s.participants > 0);
    cached = { ids: new Set(regionSchools.map((s) => s.schoolId)), prepared: { region, peers: region.filter((s) => s.inDepthStudy), models: {} } };
    preparedByRegion.set(regionSchools, cached);
  }
  if (cached.ids.has(school.schoolId)) return cached.prepared;
  // The school is not in the list: compare it with the list plus itself (not cached).
  const region = [...regionSchools, school].filter((s) => s.participants > 0);
  return { region, peers: region.filter((s) => s.inDepthStudy), models: {} };
}

function groupModels(prepared: PreparedRegion, which: 'region' | 'peers'): GroupModels {
  const cached = prepared.models[which];
  if (cached) return cached;
  const group = prepared[which];
  const pooledWithinVariance = pooledVariance(group);
  const regionShare45 = group.reduce((a, s) => a + share45(s) * s.participants, 0) / group.reduce((a, s) => a + s.participants, 0);
  const shareVariance = Math.max(regionShare45 * (1 - regionShare45), 1e-6);
  const models: GroupModels = {
    pooledWithinVariance,
    regionShare45,
    shareVariance,
    meanModel: model(group, (s) => s.meanShareOfMax, pooledWithinVariance),
    shareModel: model(group, share45, shareVariance),
  };
  prepared.models[which] = models;
  return models;
}

function schoolsRu(n: number): string {
  return pluralRu(n, ['школа', 'школы', 'школ']);
}
