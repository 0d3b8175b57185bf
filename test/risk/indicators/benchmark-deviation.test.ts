import { aboveBenchmark, belowBenchmark } from '../../../src/risk/indicators/benchmark-deviation';
import { BenchmarkInput } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { resolveThresholds } from '../../../src/risk/methodology/resolve-thresholds';

const T = DEFAULT_THRESHOLDS;
const region = { meanShareOfMax: 0.6, failShare: 0.1, share45: 0.5 };
const russia = { meanShareOfMax: 0.62, failShare: 0.09, share45: 0.53 };

describe('BELOW_BENCHMARK / ABOVE_BENCHMARK', () => {
  it('flags a school below both region and Russia beyond the margins', () => {
    const input: BenchmarkInput = { school: { meanShareOfMax: 0.45, failShare: 0.25, share45: 0.4, participants: 30 }, region, russia };
    const result = belowBenchmark(input, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.BELOW_BENCHMARK);
    expect(result.value).toBeCloseTo(0.15, 6);
    expect(result.explanationRu).toBe(
      'Средний процент выполнения 45% при 60% по региону и 62% по России; доля «2» 25% при 10% по региону и 9% по России; доля «4» и «5» 40% при 50% по региону и 53% по России: ' +
        'результаты ниже ориентиров больше допуска по показателям: средний процент выполнения (допуск 10 п.п.), доля «2» (допуск 10 п.п.).',
    );
    expect(aboveBenchmark(input, T).status).toBe('CLEAR');
  });

  it('BOTH needs both benchmarks; EITHER and REGION accept one', () => {
    // 12 points below the region but only 8 below a lower Russia value.
    const input: BenchmarkInput = { school: { meanShareOfMax: 0.48, failShare: 0.1, share45: 0.5, participants: 30 }, region, russia: { ...russia, meanShareOfMax: 0.56 } };
    expect(belowBenchmark(input, T).status).toBe('CLEAR');
    expect(belowBenchmark(input, resolveThresholds({ benchmarks: { compareWith: 'EITHER' } })).status).toBe('FLAGGED');
    expect(belowBenchmark(input, resolveThresholds({ benchmarks: { compareWith: 'REGION' } })).status).toBe('FLAGGED');
    expect(belowBenchmark(input, resolveThresholds({ benchmarks: { compareWith: 'RUSSIA' } })).status).toBe('CLEAR');
  });

  it('flags a school above the benchmarks', () => {
    const input: BenchmarkInput = { school: { meanShareOfMax: 0.78, failShare: 0.02, share45: 0.8, participants: 50 }, region, russia };
    const result = aboveBenchmark(input, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.ABOVE_BENCHMARK);
    expect(result.value).toBeCloseTo(0.3, 6);
    expect(belowBenchmark(input, T).status).toBe('CLEAR');
  });

  it('falls back to the available benchmark with a warning', () => {
    const input: BenchmarkInput = { school: { meanShareOfMax: 0.45, failShare: 0.1, share45: 0.5, participants: 30 }, region, russia: null };
    const result = belowBenchmark(input, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.warnings).toEqual(['Нет значений по России: сравнение только с регионом.']);
    const onlyRussiaWanted = belowBenchmark(input, resolveThresholds({ benchmarks: { compareWith: 'RUSSIA' } }));
    expect(onlyRussiaWanted.warnings.join(' ')).toContain('сравнение с регионом');
  });

  it('refuses small schools and missing benchmarks', () => {
    expect(belowBenchmark({ school: { meanShareOfMax: 0.3, failShare: 0.5, share45: 0.1, participants: 6 }, region, russia }, T).status).toBe('INSUFFICIENT_DATA');
    expect(belowBenchmark({ school: { meanShareOfMax: 0.3, failShare: 0.5, share45: 0.1, participants: 30 }, region: null, russia: null }, T).status).toBe('INSUFFICIENT_DATA');
  });
});
