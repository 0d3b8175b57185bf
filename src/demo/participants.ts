/**
 * Participant results of one school in one assessment. A student's ability is the school mean plus the
 * cohort's and the year's effects plus the student's own general and subject abilities (persisting across
 * years) and an occasion noise; the item model turns it into task scores. Planted distortions act here,
 * the way they act in real schools: help during the work, lenient checking, raising works to a boundary.
 */
import type { Distortion, PlantingPlan } from './anomalies';
import { classLabel, type CohortBook } from './cohorts';
import { itemModelFor } from './calibration';
import { expectedPrimary, LITERACY_SD, simulateTaskScores } from './item-model';
import { logistic, Rng, rngFor } from './random';
import { markForScore } from './scales';
import type { SchoolProfile } from './school-mix';
import type { Assessment, AssessmentScale, Mark, ParticipantResult } from './types';

// Aliased once: inside jest's vm sandbox every global lookup (Math.*) costs several times more.
const { floor, round } = Math;

/** Term marks are a little kinder than ВПР: most «подтвердили», a fifth to a quarter «понизили», few «повысили». */
const JOURNAL_LENIENCY = 0.25;
const JOURNAL_NOISE = 0.45;
const JOURNAL_MISSING = 0.01;
const PRESENCE: Record<string, number> = { VPR: 0.93, OGE: 0.985, EGE: 0.99 };
/** Weights of a student's general ability, persistent subject ability and occasion noise (squares sum to 1). */
const GENERAL_WEIGHT = Math.sqrt(0.6);
const SUBJECT_WEIGHT = Math.sqrt(0.2);
const OCCASION_WEIGHT = Math.sqrt(0.2);
const OGE_CRITERIA = ['ГК1', 'ГК2', 'ГК3', 'ГК4'];

export interface ResultsContext {
  seed: number;
  cohorts: CohortBook;
  plan: PlantingPlan;
}

export interface SchoolAssessmentWorks {
  results: ParticipantResult[];
  /** Primary scores before the school's own checking distorted them: what an honest re-check finds. */
  honestPrimary: number[];
}

/** Small common shock to all of a school's results in a year (a teacher leaves, a new programme starts). */
function schoolYearEffect(seed: number, schoolId: string, year: number): number {
  return 0.08 * rngFor(seed, 'school-year', schoolId, year).normal();
}

/** Codes are numbered through the school's grades so that each student has one code per procedure and year. */
function codeOffset(context: ResultsContext, profile: SchoolProfile, assessment: Assessment): number {
  let offset = 0;
  for (let grade = 1; grade < assessment.grade; grade++) offset += context.cohorts.enrolled(profile, assessment.year, grade);
  return offset;
}

function raiseTo(taskScores: (number | null)[], maxPoints: Int32Array, from: number, to: number, rng: Rng): number {
  let primary = from;
  while (primary < to) {
    const open: number[] = [];
    for (let t = 0; t < taskScores.length; t++) if ((taskScores[t] ?? 0) < maxPoints[t]) open.push(t);
    if (open.length === 0) break;
    const task = open[floor(rng.next() * open.length)];
    taskScores[task] = (taskScores[task] ?? 0) + 1;
    primary++;
  }
  return primary;
}

/** The school's own checking: lenient extra points, then raising works that fall just short of a boundary. */
function applyCheckingDistortion(distortion: Distortion, scale: AssessmentScale, taskScores: (number | null)[], maxPoints: Int32Array, primary: number, rng: Rng): number {
  if (distortion.lenientPointProbability > 0) {
    for (let t = 0; t < taskScores.length; t++) {
      const score = taskScores[t];
      if (score !== null && score < maxPoints[t] && rng.next() < distortion.lenientPointProbability) {
        taskScores[t] = score + 1;
        primary++;
      }
    }
  }
  const push = distortion.boundaryPush;
  if (push) {
    const { 3: three, 4: four } = scale.boundaries;
    if (primary < three && primary >= three - push.mark3Window && rng.next() < push.mark3Probability) {
      primary = raiseTo(taskScores, maxPoints, primary, three, rng);
    } else if (primary < four && primary >= four - push.mark4Window && rng.next() < push.mark4Probability) {
      primary = raiseTo(taskScores, maxPoints, primary, four, rng);
    }
  }
  return primary;
}

export function simulateSchoolAssessment(context: ResultsContext, profile: SchoolProfile, assessment: Assessment): SchoolAssessmentWorks {
  const works: SchoolAssessmentWorks = { results: [], honestPrimary: [] };
  const roster = context.cohorts.gradeRoster(profile, assessment.year, assessment.grade);
  if (!roster || roster.indices.length === 0) return works;

  const { seed } = context;
  const schoolId = profile.school.id;
  const rng = rngFor(seed, 'results', schoolId, assessment.key);
  const model = itemModelFor(assessment);
  const scale = model.scale; // the canonical scale: a region's copy may have been edited by its consumer
  const distortion = context.plan.distortion(schoolId, assessment.key) ?? null;
  const { cohort, indices } = roster;
  const isRussian = assessment.subjectCode === 'RUS';
  const subjectAbility = isRussian ? cohort.russian : cohort.maths;
  const base = profile.ability + profile.subjectEffect[isRussian ? 'RUS' : 'MATH'] + cohort.effect + schoolYearEffect(seed, schoolId, assessment.year);
  const presence = PRESENCE[assessment.procedure];
  const isVpr = assessment.procedure === 'VPR';
  const isEge = assessment.procedure === 'EGE';
  const criteriaIndices = assessment.procedure === 'OGE' && isRussian ? OGE_CRITERIA.map((n) => scale.tasks.findIndex((t) => t.number === n)) : null;
  const inflation = distortion?.inflation ?? 0;
  const leniency = distortion?.journalLeniency ?? JOURNAL_LENIENCY;
  const codePrefix = `${assessment.procedure}${String(assessment.year % 100).padStart(2, '0')}-${String(profile.number).padStart(4, '0')}-`;
  const offset = codeOffset(context, profile, assessment);

  for (let position = 0; position < indices.length; position++) {
    const i = indices[position];
    const theta = base + profile.withinSd * (GENERAL_WEIGHT * cohort.general[i] + SUBJECT_WEIGHT * subjectAbility[i] + OCCASION_WEIGHT * rng.normal());
    const present = rng.next() < presence;
    // Profile Maths is a choice: abler students and lyceum students take it more often.
    const takes = assessment.subjectCode !== 'MATH_PROF' || rng.next() < logistic(1.6 * (theta - 0.2) + profile.profileMathBias);
    if (!present || !takes) continue;

    const taskScores: (number | null)[] = []; // filled in order by simulateTaskScores
    const literacyShift = model.hasLiteracy ? LITERACY_SD * rng.normal() : 0;
    let primary = simulateTaskScores(model, theta + inflation, distortion?.levelShift ?? null, rng, taskScores, literacyShift);
    const honest = primary;
    if (distortion) primary = applyCheckingDistortion(distortion, scale, taskScores, model.maxPoints, primary, rng);

    let journalMark: Mark | null = null;
    if (isVpr && rng.next() >= JOURNAL_MISSING) {
      const teacherView = theta + (distortion?.journalFollowsInflation ? inflation : 0) + leniency + JOURNAL_NOISE * rng.normal();
      journalMark = markForScore(scale, round(expectedPrimary(model, teacherView)));
      if (journalMark === 2 && rng.next() < 0.5) journalMark = 3; // teachers avoid «2» in the journal
    }
    const seq = `${offset + position + 1}`.padStart(4, '0');
    const result: ParticipantResult = {
      schoolId,
      assessmentKey: assessment.key,
      participantCode: codePrefix + seq,
      classLabel: classLabel(profile, assessment.grade, position, indices.length),
      variant: isVpr ? 1 + (position % 2) : 301 + floor(rng.next() * 30),
      taskScores,
      primaryScore: primary,
      mark: isEge ? null : markForScore(scale, primary, taskScores),
      journalMark,
      testScore: isEge ? scale.testScale![primary] : null,
    };
    if (criteriaIndices) {
      const criteria: Record<string, number> = {};
      for (let c = 0; c < OGE_CRITERIA.length; c++) criteria[OGE_CRITERIA[c]] = taskScores[criteriaIndices[c]] ?? 0;
      result.criteria = criteria;
    }
    works.results.push(result);
    works.honestPrimary.push(honest);
  }
  return works;
}
