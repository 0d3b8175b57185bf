/**
 * Entry point: a deterministic, realistic demo region. Everything is a pure function of the options; the
 * participant results are produced lazily, school by school, so a 1,000-school region never sits in memory.
 */
import { plantAnomalies } from './anomalies';
import { computeBenchmarks } from './benchmarks';
import { CohortBook } from './cohorts';
import { buildConductConditions } from './conduct';
import { buildContext } from './contexts';
import { simulateSchoolAssessment, type ResultsContext } from './participants';
import { buildRechecks } from './rechecks';
import { buildAssessments, SUBJECTS } from './scales';
import { layOutRegion } from './school-mix';
import type { Benchmark, DemoRegion, GenerateRegionOptions, ParticipantFilter, ParticipantResult } from './types';

/** The seed of the demo region; the planted manifest in test/fixtures/demo-planted.json belongs to it. */
export const DEMO_SEED = 20250415;

const DEFAULT_SCHOOLS = 60;
const DEFAULT_YEARS = [2023, 2024, 2025];
const DEFAULT_ANOMALY_RATE = 0.15;

function validated(options: GenerateRegionOptions): Required<GenerateRegionOptions> {
  const { seed, schools = DEFAULT_SCHOOLS, years = DEFAULT_YEARS, anomalyRate = DEFAULT_ANOMALY_RATE } = options;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  // ≥ 3: one per municipality; ≤ 9000: ФИС ОКО logins, РЦОИ codes and participant codes have 4-digit school numbers.
  if (!Number.isInteger(schools) || schools < 3 || schools > 9000) throw new RangeError(`schools must be an integer within 3–9000, got ${schools}`);
  if (years.length === 0 || years.some((y) => !Number.isInteger(y))) throw new RangeError('years must be a non-empty list of integers');
  if (!(anomalyRate >= 0 && anomalyRate <= 1)) throw new RangeError(`anomalyRate must be within 0–1, got ${anomalyRate}`);
  return { seed, schools, years: [...new Set(years)].sort((a, b) => a - b), anomalyRate };
}

export function generateRegion(options: GenerateRegionOptions): DemoRegion {
  const { seed, schools: schoolCount, years, anomalyRate } = validated(options);
  const layout = layOutRegion(seed, schoolCount);
  const { profiles } = layout;
  const plan = plantAnomalies(seed, profiles, years, anomalyRate);
  const cohorts = new CohortBook(seed);
  const context: ResultsContext = { seed, cohorts, plan };
  const assessments = buildAssessments(years);
  const schools = profiles.map((p) => p.school);

  function* participantResults(filter: ParticipantFilter = {}): Generator<ParticipantResult, void, undefined> {
    const schoolIds = filter.schoolIds && new Set(filter.schoolIds);
    const keys = filter.assessmentKeys && new Set(filter.assessmentKeys);
    const wanted = assessments.filter(
      (a) => (!keys || keys.has(a.key)) && (!filter.years || filter.years.includes(a.year)) && (!filter.procedures || filter.procedures.includes(a.procedure)),
    );
    for (const profile of profiles) {
      if (schoolIds && !schoolIds.has(profile.school.id)) continue;
      for (const assessment of wanted) yield* simulateSchoolAssessment(context, profile, assessment).results;
    }
  }

  let benchmarks: Benchmark[] | undefined;
  const region = {
    seed,
    years,
    region: layout.region,
    municipalities: layout.municipalities,
    schools,
    contexts: profiles.flatMap((profile) => years.map((year) => buildContext(seed, cohorts, profile, year))),
    subjects: SUBJECTS.map((subject) => ({ ...subject })),
    assessments,
    conductConditions: buildConductConditions(seed, cohorts, profiles, years, plan),
    rechecks: buildRechecks(context, profiles, assessments, plan),
    planted: plan.planted,
    participantResults,
  } as Omit<DemoRegion, 'benchmarks'> as DemoRegion;
  // Benchmarks need a full pass over all participants: computed on first read only.
  Object.defineProperty(region, 'benchmarks', {
    enumerable: true,
    get: () => (benchmarks ??= computeBenchmarks(assessments, layout.municipalities, schools, participantResults())),
  });
  return region;
}

export function generateDemoRegion(): DemoRegion {
  return generateRegion({ seed: DEMO_SEED });
}
