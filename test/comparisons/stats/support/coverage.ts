import { createRandom, SeededRandom } from '../../../../src/risk/stats/random';
import { fitContextModel } from '../../../../src/comparisons/stats/context-model';
import { CorrelationResult, pearsonCorrelation, spearmanCorrelation, weightedPearsonCorrelation } from '../../../../src/comparisons/stats/correlation';
import type { DifferenceResult } from '../../../../src/comparisons/stats/difference';
import { compareMeanWithReference, compareTwoMeans } from '../../../../src/comparisons/stats/mean-difference';
import { meanFromFrequencies, MeanObservation, shareObservation } from '../../../../src/comparisons/stats/observations';
import { compareShareWithReference, compareTwoShares } from '../../../../src/comparisons/stats/share-difference';
import { fitTrend } from '../../../../src/comparisons/stats/trend';
import { PLANTED, simulateRegion } from './region';

/**
 * Monte-Carlo coverage of the confidence intervals: the share of seeded simulations whose 95 %
 * interval contains the true value. Settings mimic small schools (10–30 pupils).
 */

export const SIMULATIONS = 1000;

export interface CoverageScenario {
  name: string;
  /** Returns [lower, upper, truth] for one simulated data set, or null when the method refused. */
  draw(rng: SeededRandom): [number, number, number] | null;
}

export function coverage(scenario: CoverageScenario, seed: number, simulations = SIMULATIONS): { rate: number; refused: number } {
  const rng = createRandom(seed);
  let covered = 0;
  let refused = 0;
  for (let i = 0; i < simulations; i++) {
    const result = scenario.draw(rng);
    if (result === null) {
      refused++;
      continue;
    }
    const [lower, upper, truth] = result;
    if (lower <= truth && truth <= upper) covered++;
  }
  return { rate: covered / (simulations - refused), refused };
}

function interval(result: DifferenceResult | CorrelationResult, truth: number): [number, number, number] | null {
  return result.status === 'OK' ? [result.lower, result.upper, truth] : null;
}

function pupils(rng: SeededRandom, n: number, mean: number, sd: number): MeanObservation {
  const scores = Array.from({ length: n }, () => rng.normal(mean, sd));
  return meanFromFrequencies(scores, scores.map(() => 1));
}

function bivariateNormal(rng: SeededRandom, n: number, rho: number): [number[], number[]] {
  const x = Array.from({ length: n }, () => rng.normal());
  const y = x.map((xi) => rho * xi + Math.sqrt(1 - rho * rho) * rng.normal());
  return [x, y];
}

export const SCENARIOS: CoverageScenario[] = [
  {
    // Averaged over the true share: the Wilson interval's coverage oscillates with (n, p) on the
    // binomial lattice (see the exact-coverage test), so a single (n, p) says little.
    name: 'share vs fixed reference (Wilson), n 10–40, true share 0.05–0.50, reference 0.15',
    draw: (rng) => {
      const n = rng.integer(10, 40);
      const p = 0.05 + 0.45 * rng.next();
      return interval(compareShareWithReference(shareObservation(rng.binomial(n, p), n), { kind: 'population', value: 0.15 }), p - 0.15);
    },
  },
  {
    name: 'share vs sampled reference (Newcombe), 20 pupils at 0.30 vs 150 at 0.15',
    draw: (rng) => interval(compareTwoShares(shareObservation(rng.binomial(20, 0.3), 20), shareObservation(rng.binomial(150, 0.15), 150)), 0.15),
  },
  {
    name: 'mean vs fixed reference (one-sample t), 12 pupils, SD 18',
    draw: (rng) => interval(compareMeanWithReference(pupils(rng, 12, 58, 18), { kind: 'population', value: 55 }), 3),
  },
  {
    name: 'mean vs sampled reference (Welch), 10 pupils SD 20 vs 60 pupils SD 12',
    draw: (rng) => interval(compareTwoMeans(pupils(rng, 10, 60, 20), pupils(rng, 60, 52, 12)), 8),
  },
  {
    name: 'trend slope of a share, 4 years × 30 pupils, +4 pp a year',
    draw: (rng) => {
      const trend = fitTrend([0, 1, 2, 3].map((t) => ({ year: 2021 + t, observation: shareObservation(rng.binomial(30, 0.15 + 0.04 * t), 30) })));
      return trend.status === 'OK' ? [trend.lower, trend.upper, 0.04] : null;
    },
  },
  {
    name: 'trend slope of a mean, 3 years × 15/25/40 pupils, +2 points a year',
    draw: (rng) => {
      const trend = fitTrend([15, 25, 40].map((n, t) => ({ year: 2022 + t, observation: pupils(rng, n, 50 + 2 * t, 18) })));
      return trend.status === 'OK' ? [trend.lower, trend.upper, 2] : null;
    },
  },
  {
    name: 'context model (WLS) URBAN coefficient, 80 schools',
    draw: (rng) => {
      const fit = fitContextModel(simulateRegion(rng.integer(1, 2 ** 31), 80));
      const urban = fit.status === 'OK' ? fit.coefficients.find((c) => c.name === 'URBAN') : undefined;
      return urban ? [urban.lower, urban.upper, PLANTED.URBAN] : null;
    },
  },
  {
    name: 'Pearson r (Fisher z), 30 schools, ρ = 0.5',
    draw: (rng) => interval(pearsonCorrelation(...bivariateNormal(rng, 30, 0.5)), 0.5),
  },
  {
    name: 'weighted Pearson r (Kish n), 30 schools with weights 5–100, ρ = 0.5',
    draw: (rng) => {
      const [x, y] = bivariateNormal(rng, 30, 0.5);
      return interval(weightedPearsonCorrelation(x, y, x.map(() => rng.integer(5, 100))), 0.5);
    },
  },
  {
    name: 'Spearman ρ (Fisher z, 1.06), 30 schools, ρ_s = (6/π)·asin(0.25)',
    draw: (rng) => interval(spearmanCorrelation(...bivariateNormal(rng, 30, 0.5)), (6 / Math.PI) * Math.asin(0.25)),
  },
];
