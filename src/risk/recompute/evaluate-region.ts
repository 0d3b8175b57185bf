import { Procedure } from '../../assessments/enums';
import {
  aboveBenchmark, applyBunchingFdr, assignZones, belowBenchmark, boundaryBunching, externalConfirmation, failsRising, giaBelowMinimum,
  highResults, journalLowered, journalRaised, lowResultsPersistent, recheckDiscrepancy, sharpChange, taskInversion,
  type BoundaryBunchingResult, type ExternalConfirmationKind, type FiredMarker, type IndicatorResult, type PairedSchoolResult,
  type ProcedureFails, type ResultLevels, type SchoolResultSummary, type SchoolYearChange, type SchoolZones, type TaskLevel,
} from '../indicators';
import type { RiskThresholds } from '../methodology/thresholds';
import { MarkerCode } from '../markers';
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

export const PROCEDURE_RU: Record<Procedure, string> = { VPR: 'ВПР', NIKO: 'НИКО', OGE: 'ОГЭ', EGE: 'ЕГЭ', GVE: 'ГВЭ', VSOSH: 'ВсОШ' };
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
 * Evaluates methodology v1 over a loaded region: every indicator for every target school × year × assessment,
 * Benjamini–Hochberg for bunching across the region's schools, then zones year by year so persistence sees
 * the fresh previous years. Pure computation on the dataset; yields to the event loop between schools so a
 * worker keeps renewing its job lock.
 */
export async function evaluateRegion(ds: RiskDataset, t: RiskThresholds, onProgress: (done: number, total: number) => Promise<void> | void = () => undefined): Promise<{ evaluations: Evaluation[]; zones: ZoneOutcome[] }> {
  const index = indexDataset(ds);
  const evaluations: Evaluation[] = [];
  const zones: ZoneOutcome[] = [];
  const freshZones = new Map<number, { year: number; objectivity: SchoolZones['objectivity']['level']; lowResults: SchoolZones['lowResults']['level'] }[]>();
  const targets = [...ds.targetSchoolIds].filter((id) => ds.schools.has(id)).sort((a, b) => a - b);
  const total = targets.length * ds.years.length;
  let done = 0;

  for (const year of ds.years) {
    const yearEvaluations: Evaluation[] = [];
    const bunching = new Map<number, { schoolId: number; result: BoundaryBunchingResult }[]>();
    for (const schoolId of targets) {
      yearEvaluations.push(...evaluateSchoolYear(ds, index, t, schoolId, year, bunching));
      if (++done % SCHOOLS_PER_YIELD === 0) {
        await onProgress(done, total);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    yearEvaluations.push(...decideBunching(ds, t, year, bunching));
    evaluations.push(...yearEvaluations);

    const firedBySchool = new Map<number, FiredMarker[]>();
    for (const e of yearEvaluations) {
      if (e.result.status !== 'FLAGGED' || !e.result.marker) continue;
      const assessment = e.assessmentId ? ds.assessments.get(e.assessmentId) : undefined;
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
      zones.push({ schoolId, year, zones: result });
      const list = freshZones.get(schoolId) ?? [];
      list.push({ year, objectivity: result.objectivity.level, lowResults: result.lowResults.level });
      freshZones.set(schoolId, list);
    }
  }
  await onProgress(total, total);
  return { evaluations, zones };
}

interface DatasetIndex {
  byAssessment: Map<number, ResultSummary[]>;
  bySchoolAssessment: Map<string, ResultSummary>;
  bySchoolYear: Map<string, ResultSummary[]>;
  assessmentIdByKey: Map<string, number>;
  summaries: Map<number, SchoolResultSummary[]>;
}

function indexDataset(ds: RiskDataset): DatasetIndex {
  const byAssessment = new Map<number, ResultSummary[]>();
  const bySchoolAssessment = new Map<string, ResultSummary>();
  const bySchoolYear = new Map<string, ResultSummary[]>();
  for (const r of ds.results) {
    (byAssessment.get(r.assessmentId) ?? byAssessment.set(r.assessmentId, []).get(r.assessmentId)!).push(r);
    bySchoolAssessment.set(resultKey(r.schoolId, r.assessmentId), r);
    const key = yearKey(r.schoolId, r.year);
    (bySchoolYear.get(key) ?? bySchoolYear.set(key, []).get(key)!).push(r);
  }
  const assessmentIdByKey = new Map<string, number>();
  for (const a of ds.assessments.values()) assessmentIdByKey.set(assessmentKey(a.procedure, a.subjectCode, a.grade, a.year), a.id);
  return { byAssessment, bySchoolAssessment, bySchoolYear, assessmentIdByKey, summaries: new Map() };
}

function toSummary(ds: RiskDataset, r: ResultSummary): SchoolResultSummary | null {
  if (r.meanPercent === null || r.counts === null) return null;
  return {
    schoolId: String(r.schoolId),
    participants: r.participants,
    meanShareOfMax: r.meanPercent / 100,
    sdShareOfMax: r.sdPercent === null ? null : r.sdPercent / 100,
    marks: { mark2: r.counts[0], mark3: r.counts[1], mark4: r.counts[2], mark5: r.counts[3] },
    inDepthStudy: ds.schools.get(r.schoolId)?.inDepthByYear.get(r.year) ?? false,
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

function evaluateSchoolYear(
  ds: RiskDataset,
  index: DatasetIndex,
  t: RiskThresholds,
  schoolId: number,
  year: number,
  bunching: Map<number, { schoolId: number; result: BoundaryBunchingResult }[]>,
): Evaluation[] {
  const out: Evaluation[] = [];
  const push = (assessmentId: number | null, check: MarkerCode, result: IndicatorResult) => out.push({ schoolId, year, assessmentId, check, result, qValue: null });
  const rows = index.bySchoolYear.get(yearKey(schoolId, year)) ?? [];
  const procedureFails: ProcedureFails[] = [];
  const gia: { procedure: 'ОГЭ' | 'ЕГЭ' | 'ГВЭ'; subject: string; compulsory: boolean; participants: number; belowMinimum: number }[] = [];

  for (const r of rows) {
    const a = ds.assessments.get(r.assessmentId);
    if (!a) continue;
    const key = resultKey(schoolId, a.id);
    const detail = ds.details.get(key);
    const baseline = ds.regionBaselines.get(a.id);
    const summary = toSummary(ds, r);

    if (a.procedure === Procedure.VPR && summary) {
      push(a.id, MarkerCode.HIGH_RESULTS, highResults({ school: summary, regionSchools: regionSummaries(ds, index, a.id) }, t));
      if (detail?.histogram && baseline?.histogram && a.maxPrimary && a.boundaries && detail.histogram.length === a.maxPrimary + 1 && baseline.histogram.length === a.maxPrimary + 1) {
        const scale = { maxScore: a.maxPrimary, boundaries: a.boundaries.map((minScore, i) => ({ mark: (i + 3) as 3 | 4 | 5, minScore })) };
        const result = boundaryBunching({ scale, schoolHistogram: detail.histogram, regionHistogram: baseline.histogram }, t);
        (bunching.get(a.id) ?? bunching.set(a.id, []).get(a.id)!).push({ schoolId, result });
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
      const change = sharpChangeInput(ds, index, a, schoolId);
      if (change) push(a.id, MarkerCode.SHARP_CHANGE, sharpChange(change, t));
      for (const [firstProcedure, firstGrade, secondProcedure, secondGrade, offset, kind] of PAIRS) {
        if (a.procedure !== firstProcedure || a.grade !== firstGrade) continue;
        const paired = pairedInput(ds, index, a, secondProcedure, secondGrade, offset, schoolId);
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
      const previous = previousId ? index.bySchoolAssessment.get(resultKey(schoolId, previousId)) : undefined;
      procedureFails.push({
        procedure: PROCEDURE_RU[a.procedure],
        subject: subjectRu(a),
        grade: a.grade,
        current: { participants: r.participants, failCount: r.counts[0] },
        previous: previous?.counts ? { participants: previous.participants, failCount: previous.counts[0] } : null,
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

function sharpChangeInput(ds: RiskDataset, index: DatasetIndex, a: AssessmentInfo, schoolId: number): { school: SchoolYearChange; regionSchools: SchoolYearChange[] } | null {
  const previousId = index.assessmentIdByKey.get(assessmentKey(a.procedure, a.subjectCode, a.grade, a.year - 1));
  if (!previousId) return null;
  const regionSchools: SchoolYearChange[] = [];
  let school: SchoolYearChange | null = null;
  for (const current of index.byAssessment.get(a.id) ?? []) {
    const previous = index.bySchoolAssessment.get(resultKey(current.schoolId, previousId));
    if (!previous || previous.meanPercent === null || current.meanPercent === null) continue;
    const change = {
      schoolId: String(current.schoolId),
      previous: { meanShareOfMax: previous.meanPercent / 100, participants: previous.participants },
      current: { meanShareOfMax: current.meanPercent / 100, participants: current.participants },
    };
    regionSchools.push(change);
    if (current.schoolId === schoolId) school = change;
  }
  return school ? { school, regionSchools } : null;
}

function pairedInput(
  ds: RiskDataset,
  index: DatasetIndex,
  first: AssessmentInfo,
  secondProcedure: Procedure,
  secondGrade: number,
  offset: number,
  schoolId: number,
): { school: PairedSchoolResult; regionSchools: PairedSchoolResult[] } | null {
  const secondSubjects = secondProcedure === Procedure.EGE && first.subjectCode === 'MATH' ? ['MATH_PROF', 'MATH_BASE'] : [first.subjectCode];
  const secondId = secondSubjects.map((s) => index.assessmentIdByKey.get(assessmentKey(secondProcedure, s, secondGrade, first.year + offset))).find((id) => id !== undefined);
  if (!secondId) return null;
  const second = ds.assessments.get(secondId)!;
  const levelOf = (r: ResultSummary, a: AssessmentInfo) => (a.procedure === Procedure.EGE ? (r.meanTestScore === null ? null : r.meanTestScore / 100) : r.meanPercent === null ? null : r.meanPercent / 100);
  const regionSchools: PairedSchoolResult[] = [];
  let school: PairedSchoolResult | null = null;
  for (const r1 of index.byAssessment.get(first.id) ?? []) {
    const r2 = index.bySchoolAssessment.get(resultKey(r1.schoolId, secondId));
    const v1 = levelOf(r1, first);
    const v2 = r2 ? levelOf(r2, second) : null;
    if (!r2 || v1 === null || v2 === null) continue;
    const pair = { schoolId: String(r1.schoolId), first: { value: v1, participants: r1.participants }, second: { value: v2, participants: r2.participants } };
    regionSchools.push(pair);
    if (r1.schoolId === schoolId) school = pair;
  }
  return school ? { school, regionSchools } : null;
}

/** Region-level decision for bunching; in single-school recomputes the other schools' stored p-values take part. */
function decideBunching(ds: RiskDataset, t: RiskThresholds, year: number, bunching: Map<number, { schoolId: number; result: BoundaryBunchingResult }[]>): Evaluation[] {
  const out: Evaluation[] = [];
  for (const [assessmentId, fresh] of bunching) {
    const others = (ds.storedBunchingP.get(assessmentId) ?? []).map(({ schoolId, pValue }) => ({
      schoolId: String(schoolId),
      // Only the p-value of another school takes part in the correction; its own decision is not re-made here.
      result: { status: 'CLEAR', pValue, details: null, explanationRu: '', warnings: [], evidence: { inputs: {}, baseline: {}, methodologyVersion: 0 } } as unknown as BoundaryBunchingResult,
    }));
    const decisions = applyBunchingFdr([...fresh.map((f) => ({ schoolId: String(f.schoolId), result: f.result })), ...others], t);
    for (const decision of decisions.slice(0, fresh.length)) {
      out.push({ schoolId: Number(decision.schoolId), year, assessmentId, check: MarkerCode.BOUNDARY_BUNCHING, result: decision.result, qValue: decision.qValue });
    }
  }
  return out;
}

function conductFor(ds: RiskDataset, index: DatasetIndex, schoolId: number, year: number) {
  const rows = ds.conduct.get(yearKey(schoolId, year)) ?? [];
  const out: { procedure: string; subject: string; grade: number; observersPresent: boolean | null; videoAtChecking: boolean | null }[] = [];
  for (const r of index.bySchoolYear.get(yearKey(schoolId, year)) ?? []) {
    const a = ds.assessments.get(r.assessmentId);
    if (!a) continue;
    const match =
      rows.find((c) => c.procedure === a.procedure && c.subjectCode === a.subjectCode && c.grade === a.grade) ??
      rows.find((c) => c.procedure === a.procedure && (c.subjectCode === null || c.subjectCode === a.subjectCode) && (c.grade === null || c.grade === a.grade));
    out.push({ procedure: PROCEDURE_RU[a.procedure], subject: subjectRu(a), grade: a.grade, observersPresent: match ? match.observersPresent : null, videoAtChecking: match ? match.videoAtChecking : null });
  }
  return out;
}
