import { percentileRank } from '../../stats/percentile-rank';

export interface CohortResultRow {
  schoolId: string;
  /** 'VPR' | 'OGE' | 'EGE' | … (the hub's Procedure values). */
  procedure: string;
  grade: number;
  year: number;
  /** Subject code, already harmonised across procedures by the caller (e.g. ВПР and ОГЭ maths). */
  subject: string;
  /** The school's result on the step's own scale (mean % of max, test score…). */
  value: number | null;
  participants: number;
}

export interface CohortOptions {
  /** Procedures that form chains, in their order within one grade; VPR, OGE, EGE by default. */
  procedures?: readonly string[];
  higherIsBetter?: boolean;
  /** Steps with fewer participants are marked smallSample; 10 by default. */
  minParticipants?: number;
}

interface CohortStep {
  procedure: string;
  grade: number;
  year: number;
  value: number;
  participants: number;
  /** Schools of the region ranked at this step (the school included). */
  regionSchools: number;
  /** Mid-rank percentile among the region's schools, direction-aware (100 = best). */
  percentile: number;
  smallSample: boolean;
  /** Percentile minus the previous step's; null on the first step. */
  percentileChange: number | null;
}

export interface CohortChain {
  subject: string;
  /** Calendar year in which the cohort was in grade 1: year − grade + 1. */
  gradeOneYear: number;
  /** BASIC: grades ≤ 9; SECONDARY: grades 10–11 (the cohort changes after grade 9). */
  stage: 'BASIC' | 'SECONDARY';
  steps: CohortStep[];
  /** Last step's percentile minus the first's. */
  totalPercentileChange: number;
}

/**
 * Cohort chains of one school: the same pupils followed across procedures, e.g. ВПР 4 (2022) →
 * ВПР 5 (2023) → ВПР 6 (2024), ВПР 8 (2023) → ОГЭ 9 (2024), ВПР 10 → ВПР 11 / ЕГЭ 11.
 *
 * A cohort is identified by subject and gradeOneYear = year − grade + 1 (the year it was in grade 1),
 * so a missing year leaves a gap instead of breaking the chain. Grades ≤ 9 and 10–11 form separate
 * chains (stages): after grade 9 a large part of a class leaves for colleges, so the «same cohort»
 * is no longer the same pupils. Within one year and grade, procedures follow `procedures` order
 * (ВПР 11 in spring before ЕГЭ in June).
 *
 * Each step is placed by its mid-rank percentile among the region's schools in the same procedure,
 * grade, year and subject, because raw scores of different procedures live on different scales
 * and only positions can be compared. A fall of many percentile points from a high start is the
 * Jacob & Levitt cohort-drop signal. Subjects must already be harmonised by the caller.
 */
export function buildCohortChains(schoolId: string, regionRows: readonly CohortResultRow[], options: CohortOptions = {}): CohortChain[] {
  const procedures = options.procedures ?? ['VPR', 'OGE', 'EGE'];
  const sign = options.higherIsBetter === false ? -1 : 1;
  const minParticipants = options.minParticipants ?? 10;
  const rows = regionRows.filter(
    (r): r is RankedRow => procedures.includes(r.procedure) && r.value != null && Number.isFinite(r.value) && r.participants > 0,
  );

  const populations = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = stepKey(row);
    if (seen.has(`${row.schoolId}|${key}`)) throw new RangeError(`school ${row.schoolId} has two results for ${key}`);
    seen.add(`${row.schoolId}|${key}`);
    const population = populations.get(key) ?? [];
    population.push(sign * row.value);
    populations.set(key, population);
  }

  const chains = new Map<string, { subject: string; gradeOneYear: number; stage: CohortChain['stage']; rows: RankedRow[] }>();
  for (const row of rows.filter((r) => r.schoolId === schoolId)) {
    const gradeOneYear = row.year - row.grade + 1;
    const stage = row.grade <= 9 ? 'BASIC' : 'SECONDARY';
    const key = `${row.subject}|${gradeOneYear}|${stage}`;
    const chain = chains.get(key) ?? { subject: row.subject, gradeOneYear, stage, rows: [] };
    chain.rows.push(row);
    chains.set(key, chain);
  }

  return [...chains.values()]
    .filter((chain) => chain.rows.length >= 2)
    .map((chain) => {
      const ordered = [...chain.rows].sort(
        (a, b) => a.year - b.year || a.grade - b.grade || procedures.indexOf(a.procedure) - procedures.indexOf(b.procedure),
      );
      const steps: CohortStep[] = [];
      for (const row of ordered) {
        const population = populations.get(stepKey(row)) ?? [];
        const percentile = percentileRank(sign * row.value, population);
        const previous = steps[steps.length - 1];
        steps.push({
          procedure: row.procedure,
          grade: row.grade,
          year: row.year,
          value: row.value,
          participants: row.participants,
          regionSchools: population.length,
          percentile,
          smallSample: row.participants < minParticipants,
          percentileChange: previous ? percentile - previous.percentile : null,
        });
      }
      return {
        subject: chain.subject,
        gradeOneYear: chain.gradeOneYear,
        stage: chain.stage,
        steps,
        totalPercentileChange: steps[steps.length - 1].percentile - steps[0].percentile,
      };
    })
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) || a.gradeOneYear - b.gradeOneYear || a.stage.localeCompare(b.stage));
}

type RankedRow = CohortResultRow & { value: number };

function stepKey(row: CohortResultRow): string {
  return `${row.procedure}|${row.grade}|${row.year}|${row.subject}`;
}
