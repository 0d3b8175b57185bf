import { Procedure, PROCEDURE_RU } from '../../assessments/enums';
import {
  aboveBenchmark, applyBunchingFdr, applyRegionFdr, assignZones, belowBenchmark, boundaryBunching, externalConfirmation, failsRising, giaBelowMinimum,
  highResults, journalLowered, journalRaised, lowResultsPersistent, recheckDiscrepancy, sharpChange, taskInversion,
  type BoundaryBunchingResult, type ExternalConfirmationKind, type FailCounts, type FiredMarker, type IndicatorResult, type PreviousYearZones, type PairedSchoolResult,
  type ProcedureFails, type ResultLevels, type SchoolResultSummary, type SchoolYearChange, type SchoolZones, type TaskLevel,
} from '../indicators';
import type { RiskThresholds } from '../methodology/thresholds';
import { MarkerCode } from '../markers';
import { fitTwoLevelShareColumns, shrunkenShare, type TwoLevelShareModel } from '../stats/twoLevelShares';
import { REGION_WIDE_CHECK_CODES, resultKey, yearKey, type AssessmentInfo, type ResultSummary, type RiskDataset } from './risk-dataset';

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
  /**
   * The school's p-values this year of the checks decided region-wide: per check, a flat list
   * [assessmentId, p, assessmentId, p, …]. Stored beside the zone so that a later single-school recompute can
   * read the region's p-values from one small row per school instead of from every indicator value (see
   * region-p-values.ts).
   */
  regionWideP: Record<string, number[]>;
}

const LEVEL_LETTER = { BASIC: 'Б', ADVANCED: 'П', HIGH: 'В' } as const;
const COMPULSORY_GIA_SUBJECTS = new Set(['RUS', 'MATH', 'MATH_PROF', 'MATH_BASE']);
/** Cohort and external pairs: [first procedure, first grade, second procedure, second grade, year offset, kind]. */
const PAIRS: [Procedure, number, Procedure, number, number, ExternalConfirmationKind][] = [
  [Procedure.VPR, 8, Procedure.OGE, 9, 1, 'VPR8_OGE'],
  [Procedure.VPR, 11, Procedure.EGE, 11, 0, 'VPR11_EGE'],
  [Procedure.VPR, 4, Procedure.VPR, 5, 1, 'VPR4_VPR5'],
];
const KIND_CHECK: Record<ExternalConfirmationKind, MarkerCode> = {
  VPR8_OGE: MarkerCode.NOT_CONFIRMED_OGE,
  VPR11_EGE: MarkerCode.NOT_CONFIRMED_EGE,
  VPR4_VPR5: MarkerCode.COHORT_DROP,
};
const SCHOOLS_PER_YIELD = 25;

const subjectRu = (a: AssessmentInfo) => a.subjectName.toLowerCase();
const assessmentKey = (procedure: string, subjectCode: string, grade: number, year: number) => `${procedure}|${subjectCode}|${grade}|${year}`;

/**
 * Evaluates methodology v1 over a loaded region: every indicator for every target school × year × assessment;
 * Benjamini–Hochberg across the region's schools for the checks tested in every school (bunching, journal
 * mismatch, task inversion — `REGION_WIDE_CHECK_CODES`; in a single-school recompute the other schools'
 * stored p-values take part); the shares of «2» shrunk by the region's two-level model before the low-results
 * checks; then zones year by year so persistence and repeated signs see the fresh previous years.
 * Region-level inputs (summaries, changes, pairs, models) are built once per assessment or year, on first use,
 * and shared by every school. Pure computation on the dataset; yields to the event loop between schools so a
 * worker keeps renewing its job lock.
 */
export async function evaluateRegion(ds: RiskDataset, t: RiskThresholds, onProgress: (done: number, total: number) => Promise<void> | void = () => undefined): Promise<{ evaluations: Evaluation[]; zones: ZoneOutcome[] }> {
  const index = indexDataset(ds);
  const evaluations: Evaluation[] = [];
  const zones: ZoneOutcome[] = [];
  const freshZones = new Map<number, PreviousYearZones[]>();
  const targets = [...ds.targetSchoolIds].filter((id) => ds.region.schools.has(id)).sort((a, b) => a - b);
  const total = targets.length * ds.years.length;
  let done = 0;

  for (const year of ds.years) {
    const yearEvaluations: Evaluation[] = [];
    const regionWide: RegionWideChecks = new Map();
    for (const schoolId of targets) {
      yearEvaluations.push(...evaluateSchoolYear(ds, index, t, schoolId, year, regionWide));
      if (++done % SCHOOLS_PER_YIELD === 0) {
        await onProgress(done, total);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    yearEvaluations.push(...decideRegionWide(ds, t, year, regionWide));
    evaluations.push(...yearEvaluations);
    const regionWidePBySchool = new Map<number, Record<string, number[]>>();
    for (const e of yearEvaluations) {
      if (e.assessmentId === null || !REGION_WIDE_CHECKS.has(e.check) || e.result.status === 'INSUFFICIENT_DATA' || typeof e.result.pValue !== 'number') continue;
      const own = regionWidePBySchool.get(e.schoolId) ?? regionWidePBySchool.set(e.schoolId, {}).get(e.schoolId)!;
      (own[e.check] ??= []).push(e.assessmentId, e.result.pValue);
    }

    const firedBySchool = new Map<number, FiredMarker[]>();
    for (const e of yearEvaluations) {
      if (e.result.status !== 'FLAGGED' || !e.result.marker) continue;
      const assessment = e.assessmentId ? ds.region.assessments.get(e.assessmentId) : undefined;
      const list = firedBySchool.get(e.schoolId) ?? [];
      list.push({
        marker: e.result.marker,
        procedure: assessment ? PROCEDURE_RU[assessment.procedure] : null,
        subject: assessment ? subjectRu(assessment) : null,
        grade: assessment ? assessment.grade : null,
      });
      firedBySchool.set(e.schoolId, list);
    }
    for (const schoolId of targets) {
      const previousYears = [...(ds.storedZones.get(schoolId) ?? []), ...(freshZones.get(schoolId) ?? [])];
      const result = assignZones(
        { year, markers: firedBySchool.get(schoolId) ?? [], conductConditions: conductFor(ds, index, schoolId, year), previousYears },
        t,
      );
      zones.push({ schoolId, year, zones: result, regionWideP: regionWidePBySchool.get(schoolId) ?? {} });
      const list = freshZones.get(schoolId) ?? [];
      list.push({ year, objectivity: result.objectivity.level, lowResults: result.lowResults.level, markers: firedBySchool.get(schoolId) ?? [] });
      freshZones.set(schoolId, list);
    }
  }
  await onProgress(total, total);
  return { evaluations, zones };
}

/** Region-wide structures derived from one region snapshot, shared by every school of the recompute. */
interface RegionIndex {
  byAssessment: Map<number, ResultSummary[]>;
  /** assessment → school → summary (numeric keys: a region has tens of thousands of rows). */
  byAssessmentSchool: Map<number, Map<number, ResultSummary>>;
  assessmentIdByKey: Map<string, number>;
  summaries: Map<number, SchoolResultSummary[]>;
  /** Two-level shrinkage models of the share of «2» by `${year}:${minTrials}` (built on first use). */
  failModels: Map<string, TwoLevelShareModel>;
  /** Region inputs built once per assessment (or pair), shared by every school. */
  changes: Map<number, { regionSchools: SchoolYearChange[]; bySchool: Map<number, SchoolYearChange> }>;
  pairs: Map<string, { regionSchools: PairedSchoolResult[]; bySchool: Map<number, PairedSchoolResult> }>;
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
  index = { byAssessment, byAssessmentSchool, assessmentIdByKey, summaries: new Map(), failModels: new Map(), changes: new Map(), pairs: new Map() };
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
 * Checks decided at the region level (Benjamini–Hochberg across the region's schools of one assessment):
 * per `${check}:${assessmentId}`, the fresh per-school results of the target schools.
 */
type RegionWideChecks = Map<string, { check: MarkerCode; assessmentId: number; fresh: { schoolId: number; result: IndicatorResult }[] }>;
const REGION_WIDE_CHECKS = new Set<string>(REGION_WIDE_CHECK_CODES);
export const regionWideKey = (check: string, assessmentId: number) => `${check}:${assessmentId}`;

function evaluateSchoolYear(
  ds: RiskDataset,
  index: DatasetIndex,
  t: RiskThresholds,
  schoolId: number,
  year: number,
  regionWide: RegionWideChecks,
): Evaluation[] {
  const out: Evaluation[] = [];
  const push = (assessmentId: number | null, check: MarkerCode, result: IndicatorResult) => {
    if (assessmentId !== null && REGION_WIDE_CHECKS.has(check)) {
      const key = regionWideKey(check, assessmentId);
      (regionWide.get(key) ?? regionWide.set(key, { check, assessmentId, fresh: [] }).get(key)!).fresh.push({ schoolId, result });
      return;
    }
    out.push({ schoolId, year, assessmentId, check, result, qValue: null });
  };
  const rows = index.bySchoolYear.get(yearKey(schoolId, year)) ?? [];
  const procedureFails: ProcedureFails[] = [];
  const gia: { procedure: 'ОГЭ' | 'ЕГЭ' | 'ГВЭ'; subject: string; compulsory: boolean; participants: number; belowMinimum: number }[] = [];

  for (const r of rows) {
    const a = ds.region.assessments.get(r.assessmentId);
    if (!a) continue;
    const key = resultKey(schoolId, a.id);
    const detail = ds.details.get(key);
    const baseline = ds.regionBaselines.get(a.id);
    const summary = toSummary(ds, r);

    if (a.procedure === Procedure.VPR && summary) {
      // A school below the indicator's size bar is refused before the region is looked at: no need to build it.
      const regionSchools = summary.participants < t.highResults.minParticipants ? [] : regionSummaries(ds, index, a.id);
      push(a.id, MarkerCode.HIGH_RESULTS, highResults({ school: summary, regionSchools }, t));
      if (detail?.histogram && baseline?.histogram && a.maxPrimary && a.boundaries && detail.histogram.length === a.maxPrimary + 1 && baseline.histogram.length === a.maxPrimary + 1) {
        const scale = { maxScore: a.maxPrimary, boundaries: a.boundaries.map((minScore, i) => ({ mark: (i + 3) as 3 | 4 | 5, minScore })) };
        push(a.id, MarkerCode.BOUNDARY_BUNCHING, boundaryBunching({ scale, schoolHistogram: detail.histogram, regionHistogram: baseline.histogram, regionIncludesSchool: true }, t));
      }
      const cells = ds.journalCells.get(key);
      if (cells?.length && baseline?.journal) {
        const journalInput = { cells, region: baseline.journal };
        push(a.id, MarkerCode.JOURNAL_RAISED, journalRaised(journalInput, t));
        push(a.id, MarkerCode.JOURNAL_LOWERED, journalLowered(journalInput, t));
      }
      if (detail?.taskCompletion && baseline?.taskCompletion && a.tasks.length === detail.taskCompletion.length) {
        const tasks = a.tasks.map((task, i) => ({
          taskId: task.number,
          maxPoints: task.maxPoints,
          level: (LEVEL_LETTER[task.level] ?? null) as TaskLevel | null,
          schoolCompletion: detail.taskCompletion![i],
          regionCompletion: baseline.taskCompletion![i],
        }));
        push(a.id, MarkerCode.TASK_INVERSION, taskInversion({ participants: r.participants, tasks }, t));
      }
      const works = ds.rechecks.get(key);
      if (works?.length && a.maxPrimary) push(a.id, MarkerCode.RECHECK_DISCREPANCY, recheckDiscrepancy({ maxScore: a.maxPrimary, works }, t));
      const change = sharpChangeInput(ds, index, a, schoolId, t.sharpChange.minParticipants);
      if (change) push(a.id, MarkerCode.SHARP_CHANGE, sharpChange(change, t));
      for (const [firstProcedure, firstGrade, secondProcedure, secondGrade, offset, kind] of PAIRS) {
        if (a.procedure !== firstProcedure || a.grade !== firstGrade) continue;
        const paired = pairedInput(ds, index, a, secondProcedure, secondGrade, offset, schoolId, t.externalConfirmation.minParticipants);
        if (paired) push(a.id, KIND_CHECK[kind], externalConfirmation({ kind, ...paired }, t));
      }
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

function yearChange(current: ResultSummary, previous: ResultSummary | undefined): SchoolYearChange | null {
  if (!previous || previous.meanPercent === null || current.meanPercent === null) return null;
  return {
    schoolId: String(current.schoolId),
    previous: { meanShareOfMax: previous.meanPercent / 100, participants: previous.participants },
    current: { meanShareOfMax: current.meanPercent / 100, participants: current.participants },
  };
}

function sharpChangeInput(ds: RiskDataset, index: DatasetIndex, a: AssessmentInfo, schoolId: number, minParticipants: number): { school: SchoolYearChange; regionSchools: SchoolYearChange[] } | null {
  const previousId = index.assessmentIdByKey.get(assessmentKey(a.procedure, a.subjectCode, a.grade, a.year - 1));
  const current = resultOf(index, schoolId, a.id);
  if (!previousId || !current) return null;
  const own = yearChange(current, resultOf(index, schoolId, previousId));
  if (!own) return null;
  // Too small to be judged: the indicator refuses before it looks at the region.
  if (own.previous.participants < minParticipants || own.current.participants < minParticipants) return { school: own, regionSchools: [own] };
  let region = index.changes.get(a.id);
  if (!region) {
    const regionSchools: SchoolYearChange[] = [];
    const bySchool = new Map<number, SchoolYearChange>();
    for (const r of index.byAssessment.get(a.id) ?? []) {
      const change = yearChange(r, resultOf(index, r.schoolId, previousId));
      if (!change) continue;
      regionSchools.push(change);
      bySchool.set(r.schoolId, change);
    }
    region = { regionSchools, bySchool };
    index.changes.set(a.id, region);
  }
  const school = region.bySchool.get(schoolId);
  // The same region array for every school of the assessment: the indicator caches its region statistics on it.
  return school ? { school, regionSchools: region.regionSchools } : null;
}

function pairedInput(
  ds: RiskDataset,
  index: DatasetIndex,
  first: AssessmentInfo,
  secondProcedure: Procedure,
  secondGrade: number,
  offset: number,
  schoolId: number,
  minParticipants: number,
): { school: PairedSchoolResult; regionSchools: PairedSchoolResult[] } | null {
  const secondSubjects = secondProcedure === Procedure.EGE && first.subjectCode === 'MATH' ? ['MATH_PROF', 'MATH_BASE'] : [first.subjectCode];
  const secondId = secondSubjects.map((s) => index.assessmentIdByKey.get(assessmentKey(secondProcedure, s, secondGrade, first.year + offset))).find((id) => id !== undefined);
  if (!secondId) return null;
  const second = ds.region.assessments.get(secondId)!;
  const levelOf = (r: ResultSummary, a: AssessmentInfo) => (a.procedure === Procedure.EGE ? (r.meanTestScore === null ? null : r.meanTestScore / 100) : r.meanPercent === null ? null : r.meanPercent / 100);
  const pairOf = (r1: ResultSummary): PairedSchoolResult | null => {
    const r2 = resultOf(index, r1.schoolId, secondId);
    const v1 = levelOf(r1, first);
    const v2 = r2 ? levelOf(r2, second) : null;
    if (!r2 || v1 === null || v2 === null) return null;
    return { schoolId: String(r1.schoolId), first: { value: v1, participants: r1.participants }, second: { value: v2, participants: r2.participants } };
  };
  const ownFirst = resultOf(index, schoolId, first.id);
  const own = ownFirst ? pairOf(ownFirst) : null;
  if (!own) return null;
  // Too small to be judged: the indicator refuses before it looks at the region.
  if (own.first.participants < minParticipants || own.second.participants < minParticipants) return { school: own, regionSchools: [own] };
  const key = `${first.id}:${secondId}`;
  let region = index.pairs.get(key);
  if (!region) {
    const regionSchools: PairedSchoolResult[] = [];
    const bySchool = new Map<number, PairedSchoolResult>();
    for (const r1 of index.byAssessment.get(first.id) ?? []) {
      const pair = pairOf(r1);
      if (!pair) continue;
      regionSchools.push(pair);
      bySchool.set(r1.schoolId, pair);
    }
    region = { regionSchools, bySchool };
    index.pairs.set(key, region);
  }
  const school = region.bySchool.get(schoolId);
  return school ? { school, regionSchools: region.regionSchools } : null;
}

/**
 * Region-level decisions (Benjamini–Hochberg across the region's schools of one assessment). In a
 * single-school recompute the other schools' stored p-values take part, so the correction is the same as in
 * a full recompute; only the target schools' decisions are made here.
 */
function decideRegionWide(ds: RiskDataset, t: RiskThresholds, year: number, regionWide: RegionWideChecks): Evaluation[] {
  const out: Evaluation[] = [];
  for (const { check, assessmentId, fresh } of regionWide.values()) {
    // Nothing judged among the targets (all refused as too small): nothing to decide, nothing to correct.
    const judged = fresh.some((f) => f.result.status !== 'INSUFFICIENT_DATA' && typeof f.result.pValue === 'number');
    if (!judged) {
      for (const f of fresh) out.push({ schoolId: f.schoolId, year, assessmentId, check, result: f.result, qValue: null });
      continue;
    }
    const others = ds.storedP.of(check, assessmentId);
    const entries = fresh.map((f) => ({ schoolId: String(f.schoolId), result: f.result }));
    const decisions =
      check === MarkerCode.BOUNDARY_BUNCHING
        ? applyBunchingFdr(entries as { schoolId: string; result: BoundaryBunchingResult }[], t, others)
        : applyRegionFdr(entries, check === MarkerCode.TASK_INVERSION ? t.taskInversion.fdrAlpha : t.journalMismatch.fdrAlpha, others);
    for (const decision of decisions.slice(0, fresh.length)) {
      // The bunching details (histograms, per-boundary tests) are also in the evidence; only the evidence is stored.
      const result = 'details' in decision.result ? { ...decision.result, details: null } : decision.result;
      out.push({ schoolId: Number(decision.schoolId), year, assessmentId, check, result, qValue: decision.qValue });
    }
  }
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
