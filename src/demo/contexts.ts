/**
 * Contextual data per school and year. Stable school traits (social index, ОВЗ share, remoteness) come from
 * the profile and drift a little by year; enrolment and classes are counted from the same cohort rosters that
 * produce the results, so context and results always agree.
 */
import { classCount, type CohortBook } from './cohorts';
import { clamp, round, rngFor } from './random';
import type { SchoolProfile } from './school-mix';
import type { SchoolContext } from './types';

/** Staffing probabilities by school size: big urban schools have the specialists, small rural ones rarely do. */
function staffingOdds(profile: SchoolProfile): { psychologist: number; defectologist: number; socialPedagogue: number } {
  if (profile.kind === 'ELITE' || profile.kind === 'URBAN_LARGE') return { psychologist: 0.92, defectologist: 0.5, socialPedagogue: 0.85 };
  if (profile.kind === 'URBAN_MEDIUM' || profile.kind === 'RURAL_SOSH') return { psychologist: 0.65, defectologist: 0.2, socialPedagogue: 0.6 };
  return { psychologist: 0.2, defectologist: 0.05, socialPedagogue: 0.35 };
}

/** Heads change every 3–17 years; the sequence is fixed per school so tenure grows by one a year in between. */
function headTenure(seed: number, profile: SchoolProfile, year: number): number {
  const rng = rngFor(seed, 'heads', profile.school.id);
  let start = 1995 + rng.int(0, 28);
  for (let next = start + rng.int(3, 17); next <= year; next += rng.int(3, 17)) start = next;
  return Math.max(0, year - start);
}

export function buildContext(seed: number, cohorts: CohortBook, profile: SchoolProfile, year: number): SchoolContext {
  const rng = rngFor(seed, 'context', profile.school.id, year);
  const staffing = staffingOdds(profile);
  const stable = rngFor(seed, 'staffing', profile.school.id);
  let enrolment = 0;
  let classes = 0;
  for (let grade = 1; grade <= profile.topGrade; grade++) {
    const students = cohorts.enrolled(profile, year, grade);
    enrolment += students;
    classes += classCount(profile, students);
  }
  const studentsPerTeacher = profile.school.urban ? 17 : 8;
  const teachers = Math.max(profile.topGrade === 4 ? 2 : 5, Math.round(enrolment / studentsPerTeacher + rng.normal()));
  // Vacancies are more common where conditions are worse.
  const vacancyRate = (profile.school.urban ? 1.2 : 0.8) * (1.5 - profile.socialIndex);
  const vacancies = Math.max(0, Math.round(vacancyRate * rng.next() * 2.2 - 0.4));
  // Specialists are a stable trait (drawn once per school) with occasional turnover by year.
  const keeps = (odds: number, stableDraw: number) => (rng.chance(0.1) ? rng.chance(odds) : stableDraw < odds);
  return {
    schoolId: profile.school.id,
    year,
    enrolment,
    classes,
    smallSchool: profile.small,
    inDepthStudy: profile.school.inDepthStudy,
    shareDisabled: round(clamp(profile.shareDisabled + 0.005 * rng.normal(), 0, 1), 3),
    teachers,
    vacancies,
    hasPsychologist: keeps(staffing.psychologist, stable.next()),
    hasDefectologist: keeps(staffing.defectologist, stable.next()),
    hasSocialPedagogue: keeps(staffing.socialPedagogue, stable.next()),
    headTenureYears: headTenure(seed, profile, year),
    socialIndex: round(clamp(profile.socialIndex + 0.02 * rng.normal(), 0, 1), 3),
    attributes: {
      remotenessKm: profile.remotenessKm,
      settlementType: profile.settlementType,
      settlement: profile.settlement,
      nonNativeShare: round(profile.nonNativeShare, 3),
      shifts: profile.school.urban && enrolment > 1100 ? 2 : 1,
    },
  };
}
