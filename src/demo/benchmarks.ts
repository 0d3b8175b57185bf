/**
 * Reference values per assessment. Region and municipality rows are computed from the generated participants.
 * The Russia row is a simulated national reference population (the same one the scales were calibrated on),
 * so it is close to, but not the same as, the region — as in real ФИС ОКО reports — and it does not depend on
 * the seed. Russia's participant counts are plausible national numbers.
 */
import { itemModelFor, referencePopulation } from './calibration';
import { LITERACY_SD, simulateTaskScores } from './item-model';
import { hashString, round, Rng } from './random';
import { markForScore } from './scales';
import type { Assessment, Benchmark, BenchmarkLevel, Municipality, ParticipantResult, School } from './types';

const RUSSIA_SAMPLE = 4000;
const RUSSIA_PARTICIPANTS: Record<string, number> = {
  'VPR-4': 1_480_000, 'VPR-5': 1_450_000, 'VPR-6': 1_400_000, 'VPR-7': 1_350_000, 'VPR-8': 1_300_000,
  'OGE-9': 1_250_000, 'EGE-11-RUS': 700_000, 'EGE-11-MATH_PROF': 280_000,
};

class Tally {
  participants = 0;
  readonly marks = [0, 0, 0, 0, 0, 0];
  primarySum = 0;
  belowMinimum = 0;
  testSum = 0;
  readonly taskSums: Float64Array;

  constructor(private readonly assessment: Assessment) {
    this.taskSums = new Float64Array(assessment.scale.tasks.length);
  }

  add(primary: number, mark: number | null, taskScores: readonly (number | null)[], testScore: number | null): void {
    this.participants++;
    if (mark !== null) this.marks[mark]++;
    this.primarySum += primary;
    for (let t = 0; t < taskScores.length; t++) this.taskSums[t] += taskScores[t] ?? 0;
    if (testScore !== null) {
      this.testSum += testScore;
      if (testScore < (this.assessment.scale.egeMinimum ?? 0)) this.belowMinimum++;
    }
  }

  merge(other: Tally): void {
    this.participants += other.participants;
    other.marks.forEach((count, mark) => (this.marks[mark] += count));
    this.primarySum += other.primarySum;
    this.belowMinimum += other.belowMinimum;
    this.testSum += other.testSum;
    other.taskSums.forEach((sum, t) => (this.taskSums[t] += sum));
  }

  toBenchmark(level: BenchmarkLevel, municipalityCode: string | null, participants = this.participants): Benchmark {
    const { scale, procedure } = this.assessment;
    const n = this.participants;
    const isEge = procedure === 'EGE';
    return {
      assessmentKey: this.assessment.key,
      level,
      municipalityCode,
      participants,
      markShares: isEge ? null : { 2: round(this.marks[2] / n, 4), 3: round(this.marks[3] / n, 4), 4: round(this.marks[4] / n, 4), 5: round(this.marks[5] / n, 4) },
      meanPercentOfMax: round((100 * this.primarySum) / n / scale.maxPrimary, 2),
      taskPercentOfMax: scale.tasks.map((task, t) => round((100 * this.taskSums[t]) / n / task.maxPoints, 2)),
      belowMinimumShare: isEge ? round(this.belowMinimum / n, 4) : null,
      meanTestScore: isEge ? round(this.testSum / n, 1) : null,
    };
  }
}

const russiaCache = new Map<string, Benchmark>();

function russiaBenchmark(assessment: Assessment): Benchmark {
  const cached = russiaCache.get(assessment.key);
  if (cached) return cached;
  const model = itemModelFor(assessment);
  const population = referencePopulation(assessment.procedure, assessment.subjectCode, assessment.grade);
  const rng = new Rng(hashString(`russia\u0001${assessment.key}`));
  const tally = new Tally(assessment);
  const taskScores: (number | null)[] = new Array(model.taskCount);
  const isEge = assessment.procedure === 'EGE';
  for (let i = 0; i < RUSSIA_SAMPLE; i++) {
    const theta = population.mean + population.sd * rng.normal();
    const primary = simulateTaskScores(model, theta, null, rng, taskScores, model.hasLiteracy ? LITERACY_SD * rng.normal() : 0);
    tally.add(primary, isEge ? null : markForScore(assessment.scale, primary, taskScores), taskScores, isEge ? assessment.scale.testScale![primary] : null);
  }
  const national =
    RUSSIA_PARTICIPANTS[`${assessment.procedure}-${assessment.grade}`] ?? RUSSIA_PARTICIPANTS[`${assessment.procedure}-${assessment.grade}-${assessment.subjectCode}`];
  const benchmark = tally.toBenchmark('RUSSIA', null, Math.round(national * (1 + 0.02 * rng.normal())));
  russiaCache.set(assessment.key, benchmark);
  return benchmark;
}

/** One pass over all participants; rows per assessment: RUSSIA, REGION, then municipalities in their order. */
export function computeBenchmarks(
  assessments: Assessment[],
  municipalities: Municipality[],
  schools: School[],
  participants: Iterable<ParticipantResult>,
): Benchmark[] {
  const municipalityOf = new Map(schools.map((s) => [s.id, s.municipalityCode]));
  const byAssessment = new Map(assessments.map((a) => [a.key, a]));
  const tallies = new Map<string, Tally>();
  // Rows come in (school, assessment) blocks: look the tally up once per block, not once per row.
  let blockSchool = '';
  let blockAssessment = '';
  let tally: Tally | undefined;
  for (const result of participants) {
    if (result.schoolId !== blockSchool || result.assessmentKey !== blockAssessment || !tally) {
      blockSchool = result.schoolId;
      blockAssessment = result.assessmentKey;
      const key = `${blockAssessment}|${municipalityOf.get(blockSchool)}`;
      tally = tallies.get(key);
      if (!tally) tallies.set(key, (tally = new Tally(byAssessment.get(blockAssessment)!)));
    }
    tally.add(result.primaryScore, result.mark, result.taskScores, result.testScore);
  }
  const rows: Benchmark[] = [];
  for (const assessment of assessments) {
    const region = new Tally(assessment);
    const local: Benchmark[] = [];
    for (const municipality of municipalities) {
      const tally = tallies.get(`${assessment.key}|${municipality.code}`);
      if (!tally) continue;
      region.merge(tally);
      local.push(tally.toBenchmark('MUNICIPALITY', municipality.code));
    }
    rows.push(structuredClone(russiaBenchmark(assessment))); // a copy: callers may mutate their region's rows
    if (region.participants > 0) rows.push(region.toBenchmark('REGION', null));
    rows.push(...local);
  }
  return rows;
}
