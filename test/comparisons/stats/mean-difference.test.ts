import { compareMeanWithReference, compareTwoMeans } from '../../../src/comparisons/stats/mean-difference';
import { meanFromFrequencies, meanObservation } from '../../../src/comparisons/stats/observations';
import { Difference, DifferenceResult } from '../../../src/comparisons/stats/difference';

function ok(result: DifferenceResult): Difference {
  if (result.status !== 'OK') throw new Error(`expected a result, got ${result.reason}`);
  return result;
}

describe('mean against a fixed reference (one-sample t)', () => {
  it('mean 62 % (SD 15, n 16) against a region mean of 55 %', () => {
    // SE = 15/4 = 3.75, t = 1.8667 on 15 df, t₀.₉₇₅ = 2.13145 → half-width 7.99294, p = 0.081619.
    const d = ok(compareMeanWithReference(meanObservation(62, 15, 16), { kind: 'population', value: 55 }));
    expect(d.method).toBe('ONE_SAMPLE_T');
    expect(d.difference).toBe(7);
    expect(d.standardError).toBe(3.75);
    expect(d.statistic).toBeCloseTo(1.8666667, 6);
    expect(d.degreesOfFreedom).toBe(15);
    expect(d.lower).toBeCloseTo(7 - 7.99293580, 6);
    expect(d.upper).toBeCloseTo(7 + 7.99293580, 6);
    expect(d.pValue).toBeCloseTo(0.0816193, 6);
    expect(d.significant).toBe(false);
  });

  it('needs two pupils; no spread at all gives a degenerate but defined answer', () => {
    expect(compareMeanWithReference(meanObservation(50, 0, 1), { kind: 'population', value: 40 }).status).toBe('INSUFFICIENT_DATA');
    expect(compareMeanWithReference(meanObservation(50, 0, 0), { kind: 'population', value: 40 }).status).toBe('INSUFFICIENT_DATA');
    const flat = ok(compareMeanWithReference(meanObservation(50, 0, 5), { kind: 'population', value: 50 }));
    expect(flat.statistic).toBe(0);
    expect(flat.pValue).toBe(1);
    expect(flat.significant).toBe(false);
  });
});

describe('mean against a sampled reference (Welch)', () => {
  it('mean 62 (SD 15, n 16) against 55 (SD 18, n 400)', () => {
    // SE = √(225/16 + 324/400) = 3.85649; Satterthwaite df = 16.7757; t = 1.81512; p = 0.087425.
    const d = ok(compareTwoMeans(meanObservation(62, 15, 16), meanObservation(55, 18, 400)));
    expect(d.method).toBe('WELCH_T');
    expect(d.standardError).toBeCloseTo(3.85648804, 7);
    expect(d.degreesOfFreedom).toBeCloseTo(16.775674, 5);
    expect(d.statistic).toBeCloseTo(1.81512296, 7);
    expect(d.pValue).toBeCloseTo(0.0874250589, 8);
    expect(d.upper - d.difference).toBeCloseTo(8.14477455, 6);
  });

  it('uses the school SD when the reference publishes only mean and N', () => {
    const withoutSd = ok(compareMeanWithReference(meanObservation(62, 15, 16), { kind: 'sampledMean', mean: 55, n: 400, sd: null }));
    const explicit = ok(compareTwoMeans(meanObservation(62, 15, 16), meanObservation(55, 15, 400)));
    expect(withoutSd).toEqual(explicit);
  });

  it('removing the school from an inclusive reference gives the moments of the other pupils exactly', () => {
    const schoolPupils = [40, 55, 60, 70, 75];
    const otherPupils = [30, 45, 50, 52, 65, 80, 90, 35];
    const summary = (xs: number[]) => meanFromFrequencies(xs, xs.map(() => 1));
    const inclusive = ok(
      compareMeanWithReference(summary(schoolPupils), { kind: 'sample', observation: summary([...schoolPupils, ...otherPupils]), includesSchool: true }),
    );
    const separate = ok(compareTwoMeans(summary(schoolPupils), summary(otherPupils)));
    expect(inclusive.reference).toBeCloseTo(separate.reference, 10);
    expect(inclusive.standardError).toBeCloseTo(separate.standardError, 10);
    expect(inclusive.pValue).toBeCloseTo(separate.pValue, 10);
  });

  it('rejects an inclusive reference smaller than the school', () => {
    expect(() =>
      compareMeanWithReference(meanObservation(60, 10, 30), { kind: 'sample', observation: meanObservation(55, 10, 20), includesSchool: true }),
    ).toThrow(RangeError);
  });
});
