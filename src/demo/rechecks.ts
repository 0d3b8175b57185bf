/**
 * Municipal and regional re-checks of ВПР 4–5 works (Russian and Maths), as the seeds' road maps order them.
 * Every school planted with RECHECK_LOSS is re-checked in its distorted assessments; a random fifth of clean
 * schools are re-checked in one assessment a year. A re-check restores the honest score (what the school's
 * own checking added is taken away), give or take a point of ordinary disagreement between checkers.
 */
import type { PlantingPlan } from './anomalies';
import { simulateSchoolAssessment, type ResultsContext } from './participants';
import { rngFor, type Rng } from './random';
import { markForScore } from './scales';
import type { SchoolProfile } from './school-mix';
import type { Assessment, Recheck } from './types';

const CLEAN_SAMPLE_SHARE = 0.2;
const PLANTED_WORKS = 15;
const CLEAN_WORKS: [number, number] = [8, 12];

function checkerDisagreement(rng: Rng): number {
  const draw = rng.next();
  return draw < 0.85 ? 0 : draw < 0.95 ? -1 : 1;
}

function recheckAssessment(context: ResultsContext, profile: SchoolProfile, assessment: Assessment, works: number, rng: Rng): Recheck[] {
  const { results, honestPrimary } = simulateSchoolAssessment(context, profile, assessment);
  const chosen = rng.shuffle(results.map((_, index) => index)).slice(0, works).sort((a, b) => a - b);
  const commission = rng.chance(0.7) ? 'MUNICIPAL' : 'REGIONAL';
  return chosen.map((index) => {
    const result = results[index];
    const recheckScore = Math.max(0, Math.min(assessment.scale.maxPrimary, honestPrimary[index] + checkerDisagreement(rng)));
    return {
      schoolId: profile.school.id,
      assessmentKey: assessment.key,
      participantCode: result.participantCode,
      originalScore: result.primaryScore,
      recheckScore,
      originalMark: result.mark!,
      recheckMark: markForScore(assessment.scale, recheckScore),
      commission,
    };
  });
}

export function buildRechecks(context: ResultsContext, profiles: SchoolProfile[], assessments: Assessment[], plan: PlantingPlan): Recheck[] {
  const rechecked = assessments.filter((a) => a.procedure === 'VPR' && a.grade <= 5 && a.subjectCode !== 'MATH_PROF');
  const planted = new Map<string, Set<string>>();
  for (const anomaly of plan.planted) {
    if (anomaly.kind === 'RECHECK_LOSS') planted.set(anomaly.schoolId, new Set(anomaly.assessmentKeys));
  }
  const rows: Recheck[] = [];
  for (const profile of profiles) {
    const schoolId = profile.school.id;
    const rng = rngFor(context.seed, 'rechecks', schoolId);
    const plantedKeys = planted.get(schoolId);
    if (plantedKeys) {
      for (const assessment of rechecked.filter((a) => plantedKeys.has(a.key))) {
        rows.push(...recheckAssessment(context, profile, assessment, PLANTED_WORKS, rng));
      }
    } else if (!plan.isPlanted(schoolId)) {
      // Other planted kinds are not re-checked, so a re-check loss always points at RECHECK_LOSS.
      for (const year of new Set(rechecked.map((a) => a.year))) {
        if (!rng.chance(CLEAN_SAMPLE_SHARE)) continue;
        const assessment = rng.pick(rechecked.filter((a) => a.year === year));
        rows.push(...recheckAssessment(context, profile, assessment, rng.int(...CLEAN_WORKS), rng));
      }
    }
  }
  return rows;
}
