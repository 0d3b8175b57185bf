import { createRandom, SeededRandom } from '../../../../src/risk/stats/random';
import type { SchoolTypeCode } from '../../../../src/comparisons/stats/context-bands';
import type { ContextModelSchool } from '../../../../src/comparisons/stats/context-design';

/** The planted context effects of the simulated region (mean % of max). */
export const PLANTED = {
  INTERCEPT: 40,
  SCHOOL_TYPE_OOSH: -3,
  SCHOOL_TYPE_LYCEUM: 8,
  SCHOOL_TYPE_GYMNASIUM: 6,
  URBAN: 4,
  LOG_ENROLMENT: 2,
  SHARE_DISABLED_PCT: -0.4,
  SOCIAL_INDEX: 10,
} as const;

/** Pupil-level SD of the % of max inside a school (realistic for ВПР). */
const PUPIL_SD = 18;

function pickType(rng: SeededRandom): SchoolTypeCode {
  const u = rng.next();
  if (u < 0.6) return 'SOSH';
  if (u < 0.8) return 'OOSH';
  if (u < 0.9) return 'LYCEUM';
  return 'GYMNASIUM';
}

/** The planted expected result of a school (what the model should recover). */
function plantedExpectation(s: Omit<ContextModelSchool, 'result' | 'participants'>): number {
  const typeEffect = s.type === 'OOSH' ? PLANTED.SCHOOL_TYPE_OOSH : s.type === 'LYCEUM' ? PLANTED.SCHOOL_TYPE_LYCEUM : s.type === 'GYMNASIUM' ? PLANTED.SCHOOL_TYPE_GYMNASIUM : 0;
  return (
    PLANTED.INTERCEPT +
    typeEffect +
    (s.urban ? PLANTED.URBAN : 0) +
    PLANTED.LOG_ENROLMENT * Math.log(s.enrolment as number) +
    PLANTED.SHARE_DISABLED_PCT * 100 * (s.shareDisabled as number) +
    PLANTED.SOCIAL_INDEX * (s.socialIndex ?? 0)
  );
}

/**
 * A region of schools with context and a mean % of max that follows the planted model plus
 * pupil sampling noise (SD 18 / √participants), so that participant weights are the right ones.
 */
export function simulateRegion(seed: number, schools: number): ContextModelSchool[] {
  const rng = createRandom(seed);
  return Array.from({ length: schools }, (_, i) => {
    const urban = rng.next() < 0.5;
    const enrolment = Math.round(Math.exp(urban ? rng.normal(6.5, 0.5) : rng.normal(5, 0.6)));
    const context = {
      schoolId: `S${String(i + 1).padStart(3, '0')}`,
      type: pickType(rng),
      urban,
      enrolment,
      shareDisabled: 0.15 * rng.next(),
      socialIndex: rng.next(),
    };
    const participants = Math.max(3, Math.round((enrolment / 11) * (0.8 + 0.2 * rng.next())));
    const result = plantedExpectation(context) + rng.normal(0, PUPIL_SD / Math.sqrt(participants));
    return { ...context, participants, result };
  });
}
