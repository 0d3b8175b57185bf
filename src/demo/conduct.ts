/**
 * Conduct conditions per school, year and procedure. ОГЭ and ЕГЭ run in exam points (ППЭ) with video and
 * regional checking, so they look alike everywhere; ВПР is run by the school itself and varies. Schools that
 * distort results in a year more often have no observers, no video and no collegial checking — context that
 * raises suspicion, not proof: some honest schools look the same and some planted ones look tidy.
 */
import type { PlantingPlan } from './anomalies';
import type { CohortBook } from './cohorts';
import { rngFor, type Rng } from './random';
import type { SchoolProfile } from './school-mix';
import type { ConductConditions, ObserverKind, Procedure } from './types';

const FEDERAL_SAMPLE_SHARE = 0.05;

interface VprOdds {
  independent: number;
  public: number;
  videoAtConduct: number;
  videoAtChecking: number;
  collegialChecking: number;
}

const HONEST_VPR: VprOdds = { independent: 0.2, public: 0.55, videoAtConduct: 0.6, videoAtChecking: 0.3, collegialChecking: 0.65 };
const DISTORTING_VPR: VprOdds = { independent: 0.05, public: 0.35, videoAtConduct: 0.25, videoAtChecking: 0.1, collegialChecking: 0.3 };

function observers(rng: Rng, independent: number, publicShare: number): ObserverKind {
  const draw = rng.next();
  return draw < independent ? 'INDEPENDENT' : draw < independent + publicShare ? 'PUBLIC' : 'NONE';
}

function vprConditions(rng: Rng, distorting: boolean, urban: boolean): Omit<ConductConditions, 'schoolId' | 'year' | 'procedure'> {
  // The federal sample is an unbiased benchmark: a school distorting that year is never in it.
  if (!distorting && rng.chance(FEDERAL_SAMPLE_SHARE)) {
    return { observers: 'INDEPENDENT', videoAtConduct: true, videoAtChecking: true, collegialChecking: true, federalControlSample: true };
  }
  const odds = distorting ? DISTORTING_VPR : HONEST_VPR;
  const videoBonus = urban ? 0.15 : -0.1;
  return {
    observers: observers(rng, odds.independent, odds.public),
    videoAtConduct: rng.chance(odds.videoAtConduct + videoBonus),
    videoAtChecking: rng.chance(odds.videoAtChecking),
    collegialChecking: rng.chance(odds.collegialChecking),
    federalControlSample: false,
  };
}

function examConditions(rng: Rng, procedure: 'OGE' | 'EGE'): Omit<ConductConditions, 'schoolId' | 'year' | 'procedure'> {
  return {
    observers: observers(rng, procedure === 'EGE' ? 0.5 : 0.3, procedure === 'EGE' ? 0.5 : 0.7),
    videoAtConduct: true,
    videoAtChecking: procedure === 'EGE' || rng.chance(0.8),
    collegialChecking: true,
    federalControlSample: false,
  };
}

export function buildConductConditions(seed: number, cohorts: CohortBook, profiles: SchoolProfile[], years: number[], plan: PlantingPlan): ConductConditions[] {
  const rows: ConductConditions[] = [];
  for (const profile of profiles) {
    const schoolId = profile.school.id;
    for (const year of years) {
      const has = (grades: number[]) => grades.some((grade) => cohorts.enrolled(profile, year, grade) > 0);
      const procedures: Procedure[] = [];
      if (has([4, 5, 6, 7, 8])) procedures.push('VPR');
      if (has([9])) procedures.push('OGE');
      if (has([11])) procedures.push('EGE');
      for (const procedure of procedures) {
        const rng = rngFor(seed, 'conduct', schoolId, year, procedure);
        const conditions = procedure === 'VPR'
          ? vprConditions(rng, plan.distortedYears(schoolId).has(year), profile.school.urban)
          : examConditions(rng, procedure);
        rows.push({ schoolId, year, procedure, ...conditions });
      }
    }
  }
  return rows;
}
