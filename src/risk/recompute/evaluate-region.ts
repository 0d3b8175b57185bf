import { Procedure, PROCEDURE_RU } from '../../assessments/enums';
import { combineEvidence, type BalanceFinding, type RegionEvidence, type SchoolYearEvidence } from '../evidence/combine';
import { assessObjectivity, SIGN_MARKER, signSentenceRu, type AssessmentNames } from '../evidence/objectivity-zone';
import { measureSigns, type SignValue } from '../evidence/signs';
import {
  aboveBenchmark, assignZones, belowBenchmark, failsRising, giaBelowMinimum, highResults, lowResultsPersistent, recheckDiscrepancy,
  type FailCounts, type FiredMarker, type IndicatorName, type IndicatorResult, type PreviousYearZones, type ProcedureFails, type ResultLevels,
  type SchoolResultSummary, type SchoolZones,
} from '../indicators';
import { roundTo } from '../indicators/result';
import type { EvidenceThresholds, RiskThresholds } from '../methodology/thresholds';
import { METHODOLOGY_VERSION } from '../methodology/version';
import { MARKER_ZONE, MarkerCode } from '../markers';
import { pOfZ } from '../stats/combine-evidence';
import { fitTwoLevelShareColumns, shrunkenShare, type TwoLevelShareModel } from '../stats/two-level-shares';
import { resultKey, yearKey, type AssessmentInfo, type ResultSummary, type RiskDataset } from './risk-dataset';

/** One stored indicator value: the check (the marker it can fire), where it applies, and the pure result. */
export interface Evaluation {
  schoolId: number;
  year: number;
  assessmentId: number | null;
  check: MarkerCode;
  result: IndicatorResult;
  qValue: number | null;
}

export interface ZoneOutcome {
  schoolId: number;
  year: number;
  zones: SchoolZones;
}

const COMPULSORY_GIA_SUBJECTS = new Set(['RUS', 'MATH', 'MATH_PROF', 'MATH_BASE']);
const SCHOOLS_PER_YIELD = 25;
/** Findings that describe the school's level, listed beside the objectivity zone but never a reason for it. */
const CONTEXT_CHECKS = new Set<MarkerCode>([MarkerCode.HIGH_RESULTS, MarkerCode.ABOVE_BENCHMARK]);
/** Which marker a CONFIRMATION sign fires, by the procedure it was not confirmed by. */
const CONFIRMATION_CHECK: Record<string, MarkerCode> = { VPR: MarkerCode.COHORT_DROP, OGE: MarkerCode.NOT_CONFIRMED_OGE, EGE: MarkerCode.NOT_CONFIRMED_EGE };

const subjectRu = (a: AssessmentInfo) => a.subjectName.toLowerCase();
const assessmentKey = (procedure: string, subjectCode: string, grade: number, year: number) => `${procedure}|${subjectCode}|${grade}|${year}`;

/**
 * Evaluates methodology v2 over a loaded region. The objectivity zone rests on the direct signs measured for
 * every school of the region against honest schools' spread and combined per school-year (src/risk/evidence),
 * computed once per region snapshot and shared by every recompute that reads it, so a one-school recompute
 * decides exactly as a full one. The low-results zone keeps v1's indicators and rules (shares of «2» shrunk by the
 * region's two-level model), with benchmarks as context only. Zones go year by year so persistence sees the
 * fresh previous years. Yields to the event loop between schools so a worker keeps renewing its job lock.
 */
export async function evaluateRegion(ds: RiskDataset, t: RiskThresholds, onProgress: (done: number, total: number) => Promise<void> | void = () => undefined): Promise<{ evaluations: Evaluation[]; zones: ZoneOutcome[] }> {
  const index = indexDataset(ds);
  const evidence = regionEvidence(ds.region, ds.years, t.evidence);
  const names = assessmentNames(ds);
  const fired = (e: Evaluation): FiredMarker | null => {
    if (e.result.status !== 'FLAGGED' || !e.result.marker) return null;
    const n = e.assessmentId ? names(e.assessmentId) : undefined;
    return { marker: e.result.marker, procedure: n?.procedure ?? null, subject: n?.subject ?? null, grade: n?.grade ?? null };
  };
  const evaluations: Evaluation[] = [];
  const zones: ZoneOutcome[] = [];
  const freshZones = new Map<number, PreviousYearZones[]>();
  const targets = [...ds.targetSchoolIds].filter((id) => ds.region.schools.has(id)).sort((a, b) => a - b);
  const total = targets.length * ds.years.length;
  let done = 0;

  for (const year of ds.years) {
    for (const schoolId of targets) {
      const own = evaluateSchoolYear(ds, index, t, schoolId, year);
      const firedMarkers = own.map(fired).filter((m): m is FiredMarker => m !== null);
      const previousYears = [...(ds.storedZones.get(schoolId) ?? []), ...(freshZones.get(schoolId) ?? [])];
      const schoolYear = evidence.bySchoolYear.get(yearKey(schoolId, year));
      const hasResults = (index.bySchoolYear.get(yearKey(schoolId, year)) ?? []).length > 0;
      const objectivity = assessObjectivity(
        {
          year, evidence: schoolYear, hasResults, context: firedMarkers.filter((m) => CONTEXT_CHECKS.has(m.marker)), previousYears, names,
          rechecks: own.filter((e) => e.check === MarkerCode.RECHECK_DISCREPANCY && e.result.status === 'FLAGGED').map((e) => ({ marker: fired(e)!, explanationRu: e.result.explanationRu })),
        },
        t.evidence,
      );
      own.push(...signEvaluations(ds, schoolId, year, schoolYear, evidence.balance.get(yearKey(schoolId, year)), objectivity.firing, t));
      evaluations.push(...own);
      const objectivityMarkers: FiredMarker[] = objectivity.zone.markersBySubjectGrade.flatMap((u) =>
        u.markers.map((marker) => ({ marker, procedure: u.procedures[0] ?? null, subject: u.subject, grade: u.grade })),
      );
      const result = assignZones(
        {
          year, hasResults, objectivity: objectivity.zone, objectivitySummaryRu: objectivity.summaryRu,
          markers: firedMarkers.filter((m) => MARKER_ZONE[m.marker] === 'LOW_RESULTS'),
          conductConditions: conductFor(ds, index, schoolId, year), previousYears,
        },
        t,
      );
      zones.push({ schoolId, year, zones: result });
      const list = freshZones.get(schoolId) ?? [];
      list.push({ year, objectivity: result.objectivity.level, lowResults: result.lowResults.level, markers: [...objectivityMarkers, ...firedMarkers.filter((m) => MARKER_ZONE[m.marker] === 'LOW_RESULTS')] });
      freshZones.set(schoolId, list);
      if (++done % SCHOOLS_PER_YIELD === 0) {
        await onProgress(done, total);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  await onProgress(total, total);
  return { evaluations, zones };
}

/** An assessment as the analyst names it (procedure, subject, grade), for explanations and markers. */
function assessmentNames(ds: RiskDataset): (assessmentId: number) => AssessmentNames | undefined {
  return (assessmentId) => {
    const a = ds.region.assessments.get(assessmentId);
    return a ? { procedure: PROCEDURE_RU[a.procedure], subject: subjectRu(a), grade: a.grade } : undefined;
  };
}

/**
 * The signs of every school of the region and their combination, per snapshot, years and options: a snapshot
 * never changes, so every recompute that reads it — of the whole region or of one school — gets the same
 * evidence for every school.
 */
const evidenceCache = new WeakMap<RiskDataset['region'], Map<string, RegionEvidence>>();

function regionEvidence(region: RiskDataset['region'], years: readonly number[], t: EvidenceThresholds): RegionEvidence {
  const key = `${years.join(',')}|${t.minParticipants}|${t.windowWidth}`;
  const cached = evidenceCache.get(region) ?? evidenceCache.set(region, new Map()).get(region)!;
  let evidence = cached.get(key);
  if (!evidence) {
    evidence = combineEvidence(measureSigns(region, years, { minParticipants: t.minParticipants, windowWidth: t.windowWidth }));
    cached.set(key, evidence);
  }
  return evidence;
}

/**
 * The stored values of the signs: one per sign and assessment (or per school-year for the pooled signs), FLAGGED
 * where the sign carries the evidence of a school-year at WATCH or above. The journal's other side — school marks
 * above ВПР, «понизили» — is stored as JOURNAL_LOWERED, a finding on the balance of the school's own assessment
 * system, outside the objectivity zone.
 */
function signEvaluations(
  ds: RiskDataset, schoolId: number, year: number, evidence: SchoolYearEvidence | undefined, found: BalanceFinding | undefined, firing: readonly SignValue[], t: RiskThresholds,
): Evaluation[] {
  const out: Evaluation[] = [];
  const names = assessmentNames(ds);
  for (const pooled of evidence?.signs ?? []) {
    for (const v of pooled.values) {
      const check =
        v.sign === 'CONFIRMATION' ? CONFIRMATION_CHECK[ds.region.assessments.get(v.detail.secondAssessmentId)?.procedure ?? 'VPR'] ?? MarkerCode.COHORT_DROP : SIGN_MARKER[v.sign];
      const flagged = firing.includes(v);
      const pValue = v.z === null ? undefined : pOfZ(v.z);
      out.push({
        schoolId, year, assessmentId: v.assessmentId, check, qValue: null,
        result: {
          indicator: SIGN_INDICATOR[v.sign], marker: flagged ? check : null, value: roundTo(v.effect, 5), status: v.z === null ? 'INSUFFICIENT_DATA' : flagged ? 'FLAGGED' : 'CLEAR',
          ...(pValue === undefined ? {} : { pValue }), warnings: [], explanationRu: signSentenceRu(v, names),
          evidence: { inputs: { ...v.detail, effect: v.effect, variance: v.variance }, baseline: { z: v.z, thresholds: t.evidence }, methodologyVersion: METHODOLOGY_VERSION },
        },
      });
    }
  }
  if (found) {
    const balance = found.value;
    const lowered = balance.z! >= t.evidence.markerZ && found.q <= t.evidence.riskFdr;
    out.push({
      schoolId, year, assessmentId: null, check: MarkerCode.JOURNAL_LOWERED, qValue: found.q,
      result: {
        indicator: 'JOURNAL_MISMATCH', marker: lowered ? MarkerCode.JOURNAL_LOWERED : null, value: roundTo(balance.effect, 5), status: lowered ? 'FLAGGED' : 'CLEAR', pValue: pOfZ(balance.z!),
        warnings: [], explanationRu: signSentenceRu(balance, names),
        evidence: { inputs: { ...balance.detail, effect: balance.effect, variance: balance.variance }, baseline: { z: balance.z, thresholds: t.evidence }, methodologyVersion: METHODOLOGY_VERSION },
      },
    });
  }
  return out;
}

const SIGN_INDICATOR: Record<SignValue['sign'], IndicatorName> = {
  BALANCE: 'JOURNAL_MISMATCH',
  BUNCHING: 'BOUNDARY_BUNCHING',
  JOURNAL: 'JOURNAL_MISMATCH',
  TASKS: 'TASK_INVERSION',
  JUMP: 'SHARP_CHANGE',
  CONFIRMATION: 'EXTERNAL_CONFIRMATION',
};

/** Region-wide structures derived from one region snapshot, shared by every school of the recompute. */
interface RegionIndex {
  byAssessment: Map<number, ResultSummary[]>;
  /** assessment → school → summary (numeric keys: a region has tens of thousands of rows). */
  byAssessmentSchool: Map<number, Map<number, ResultSummary>>;
  assessmentIdByKey: Map<string, number>;
  summaries: Map<number, SchoolResultSummary[]>;
  /** Two-level shrinkage models of the share of «2» by `${year}:${minTrials}` (built on first use). */
  failModels: Map<string, TwoLevelShareModel>;
}

interface DatasetIndex extends RegionIndex {
  /** Only the target schools' rows, by `${schoolId}:${year}`. */
  bySchoolYear: Map<string, ResultSummary[]>;
}

/**
 * The region index of each snapshot, kept as long as the snapshot is: the snapshot is shared by the recomputes
 * that read the region while none of its rows changed (region-results.ts), so a one-school recompute finds the
 * models, ranks and change distributions already built — exactly the ones a recompute of the whole region
 * builds, since they are built from the same rows in the same order. Everything in it depends on the snapshot
 * alone (and, for the shrinkage models, on the size bar in their key); the indicators' own caches of region
 * statistics hang on its arrays in the same way.
 */
const regionIndexes = new WeakMap<RiskDataset['region'], RegionIndex>();

function regionIndex(region: RiskDataset['region']): RegionIndex {
  let index = regionIndexes.get(region);
  if (index) return index;
  const byAssessment = new Map<number, ResultSummary[]>();
  const byAssessmentSchool = new Map<number, Map<number, ResultSummary>>();
  for (const r of region.results) {
    let list = byAssessment.get(r.assessmentId);
    if (!list) {
      list = [];
      byAssessment.set(r.assessmentId, list);
      byAssessmentSchool.set(r.assessmentId, new Map());
    }
    list.push(r);
    byAssessmentSchool.get(r.assessmentId)!.set(r.schoolId, r);
  }
  const assessmentIdByKey = new Map<string, number>();
  for (const a of region.assessments.values()) assessmentIdByKey.set(assessmentKey(a.procedure, a.subjectCode, a.grade, a.year), a.id);
  index = { byAssessment, byAssessmentSchool, assessmentIdByKey, summaries: new Map(), failModels: new Map() };
  regionIndexes.set(region, index);
  return index;
}

function indexDataset(ds: RiskDataset): DatasetIndex {
  const bySchoolYear = new Map<string, ResultSummary[]>();
  for (const schoolId of ds.targetSchoolIds) {
    for (const r of ds.region.resultsBySchool.get(schoolId) ?? []) {
      const key = yearKey(r.schoolId, r.year);
      (bySchoolYear.get(key) ?? bySchoolYear.set(key, []).get(key)!).push(r);
    }
  }
  return { ...regionIndex(ds.region), bySchoolYear };
}

const resultOf = (index: DatasetIndex, schoolId: number, assessmentId: number) => index.byAssessmentSchool.get(assessmentId)?.get(schoolId);

const countsFailShares = (a: AssessmentInfo | undefined) => a !== undefined && (a.procedure === Procedure.VPR || a.procedure === Procedure.OGE);

/** The region's shares of «2» in one year (ВПР and ОГЭ, every school), as a two-level shrinkage model. */
function failModel(ds: RiskDataset, index: DatasetIndex, year: number, t: RiskThresholds): TwoLevelShareModel {
  const minTrials = t.lowResults.minParticipantsPerProcedure;
  const key = `${year}:${minTrials}`;
  let model = index.failModels.get(key);
  if (!model) {
    const groupIds: number[] = [];
    const itemKeys: number[] = [];
    const successes: number[] = [];
    const trials: number[] = [];
    for (const r of ds.region.results) {
      if (r.year !== year || !r.counts || !countsFailShares(ds.region.assessments.get(r.assessmentId))) continue;
      groupIds.push(r.schoolId);
      itemKeys.push(r.assessmentId);
      successes.push(r.counts[0]);
      trials.push(r.participants);
    }
    model = fitTwoLevelShareColumns({ groupIds, itemKeys, successes, trials }, minTrials);
    index.failModels.set(key, model);
  }
  return model;
}

function failCounts(ds: RiskDataset, index: DatasetIndex, t: RiskThresholds, r: ResultSummary): FailCounts {
  const failCount = r.counts![0];
  if (!t.lowResults.shrinkFailShares) return { participants: r.participants, failCount };
  return { participants: r.participants, failCount, shrunkenFailShare: shrunkenShare(failModel(ds, index, r.year, t), r.schoolId, r.assessmentId, failCount, r.participants) };
}

function toSummary(ds: RiskDataset, r: ResultSummary): SchoolResultSummary | null {
  if (r.meanPercent === null || r.counts === null) return null;
  return {
    schoolId: String(r.schoolId),
    participants: r.participants,
    meanShareOfMax: r.meanPercent / 100,
    sdShareOfMax: r.sdPercent === null ? null : r.sdPercent / 100,
    marks: { mark2: r.counts[0], mark3: r.counts[1], mark4: r.counts[2], mark5: r.counts[3] },
    inDepthStudy: ds.region.schools.get(r.schoolId)?.inDepthByYear.get(r.year) ?? false,
  };
}

function regionSummaries(ds: RiskDataset, index: DatasetIndex, assessmentId: number): SchoolResultSummary[] {
  let list = index.summaries.get(assessmentId);
  if (!list) {
    list = (index.byAssessment.get(assessmentId) ?? []).map((r) => toSummary(ds, r)).filter((s): s is SchoolResultSummary => s !== null);
    index.summaries.set(assessmentId, list);
  }
  return list;
}

function levels(r: ResultSummary | { percents: [number, number, number, number] | null; meanPercent: number | null }): ResultLevels | null {
  if ('counts' in r) {
    if (!r.counts || r.meanPercent === null) return null;
    const marked = r.counts.reduce((a, b) => a + b, 0);
    if (marked === 0) return null;
    return { meanShareOfMax: r.meanPercent / 100, failShare: r.counts[0] / marked, share45: (r.counts[2] + r.counts[3]) / marked };
  }
  if (!r.percents || r.meanPercent === null) return null;
  return { meanShareOfMax: r.meanPercent / 100, failShare: r.percents[0] / 100, share45: (r.percents[2] + r.percents[3]) / 100 };
}

/**
 * The indicators of one school-year kept from v1: high results and benchmarks (context of the objectivity zone),
 * re-checks, and the low-results indicators (shares of «2», rising fails, ГИА below the minimum).
 */
function evaluateSchoolYear(ds: RiskDataset, index: DatasetIndex, t: RiskThresholds, schoolId: number, year: number): Evaluation[] {
  const out: Evaluation[] = [];
  const push = (assessmentId: number | null, check: MarkerCode, result: IndicatorResult) => out.push({ schoolId, year, assessmentId, check, result, qValue: null });
  const rows = index.bySchoolYear.get(yearKey(schoolId, year)) ?? [];
  const procedureFails: ProcedureFails[] = [];
  const gia: { procedure: 'ОГЭ' | 'ЕГЭ' | 'ГВЭ'; subject: string; compulsory: boolean; participants: number; belowMinimum: number }[] = [];

  for (const r of rows) {
    const a = ds.region.assessments.get(r.assessmentId);
    if (!a) continue;
    const baseline = ds.regionBaselines.get(a.id);
    const summary = toSummary(ds, r);

    if (a.procedure === Procedure.VPR && summary) {
      // A school below the indicator's size bar is refused before the region is looked at: no need to build it.
      const regionSchools = summary.participants < t.highResults.minParticipants ? [] : regionSummaries(ds, index, a.id);
      push(a.id, MarkerCode.HIGH_RESULTS, highResults({ school: summary, regionSchools }, t));
      const works = ds.rechecks.get(resultKey(schoolId, a.id));
      if (works?.length && a.maxPrimary) push(a.id, MarkerCode.RECHECK_DISCREPANCY, recheckDiscrepancy({ maxScore: a.maxPrimary, works }, t));
    }

    if ((a.procedure === Procedure.VPR || a.procedure === Procedure.OGE) && r.counts) {
      const school = levels(r);
      if (school) {
        const region = baseline ? levels(baseline) : null;
        const russiaBaseline = ds.russia.get(a.id);
        const benchmarkInput = { school: { ...school, participants: r.participants }, region, russia: russiaBaseline ? levels(russiaBaseline) : null };
        push(a.id, MarkerCode.BELOW_BENCHMARK, belowBenchmark(benchmarkInput, t));
        push(a.id, MarkerCode.ABOVE_BENCHMARK, aboveBenchmark(benchmarkInput, t));
      }
      const previousId = index.assessmentIdByKey.get(assessmentKey(a.procedure, a.subjectCode, a.grade, year - 1));
      const previous = previousId ? resultOf(index, schoolId, previousId) : undefined;
      procedureFails.push({
        procedure: PROCEDURE_RU[a.procedure],
        subject: subjectRu(a),
        grade: a.grade,
        current: failCounts(ds, index, t, r),
        previous: previous?.counts ? failCounts(ds, index, t, previous) : null,
      });
    }
    if ((a.procedure === Procedure.OGE || a.procedure === Procedure.EGE || a.procedure === Procedure.GVE) && r.belowMinimum !== null) {
      gia.push({ procedure: PROCEDURE_RU[a.procedure] as 'ОГЭ' | 'ЕГЭ' | 'ГВЭ', subject: subjectRu(a), compulsory: COMPULSORY_GIA_SUBJECTS.has(a.subjectCode), participants: r.participants, belowMinimum: r.belowMinimum });
    }
  }
  if (procedureFails.length) {
    push(null, MarkerCode.LOW_RESULTS_PERSISTENT, lowResultsPersistent({ procedures: procedureFails }, t));
    push(null, MarkerCode.FAILS_RISING, failsRising({ procedures: procedureFails }, t));
  }
  if (gia.length) push(null, MarkerCode.GIA_BELOW_MINIMUM, giaBelowMinimum({ results: gia }, t));
  return out;
}

function conductFor(ds: RiskDataset, index: DatasetIndex, schoolId: number, year: number) {
  const rows = ds.conduct.get(yearKey(schoolId, year)) ?? [];
  const out: { procedure: string; subject: string; grade: number; observersPresent: boolean | null; videoAtChecking: boolean | null }[] = [];
  for (const r of index.bySchoolYear.get(yearKey(schoolId, year)) ?? []) {
    const a = ds.region.assessments.get(r.assessmentId);
    if (!a) continue;
    const match =
      rows.find((c) => c.procedure === a.procedure && c.subjectCode === a.subjectCode && c.grade === a.grade) ??
      rows.find((c) => c.procedure === a.procedure && (c.subjectCode === null || c.subjectCode === a.subjectCode) && (c.grade === null || c.grade === a.grade));
    out.push({ procedure: PROCEDURE_RU[a.procedure], subject: subjectRu(a), grade: a.grade, observersPresent: match ? match.observersPresent : null, videoAtChecking: match ? match.videoAtChecking : null });
  }
  return out;
}
