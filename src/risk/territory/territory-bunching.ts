import type { EntityManager } from '@mikro-orm/postgresql';
import { PROCEDURE_RU, type Procedure } from '../../assessments/enums';
import type { Principal } from '../../shared/principal';
import { municipalityScopeFragment } from '../../auth/scope';
import { capitaliseRu, formatNumberRu, formatPercentRu, formatPValueRu, worksCountRu } from '../indicators/format-ru';
import { boundaryBunchingInHistogram } from '../indicators/boundary-bunching';
import type { ScoreScale } from '../indicators/types';
import type { RiskThresholds } from '../methodology/thresholds';
import { fitBetaBinomialOutside } from '../stats/beta-binomial';
import { normalUpperTail } from '../../stats/normal';
import { benjaminiHochberg } from '../stats/multiple-testing';
import { boundaryWindows, excludedScores } from '../indicators/bunching-windows';
import { thresholdsFor } from '../recompute/risk-config';

/**
 * Works piled up at mark boundaries across a whole territory — the region, or one municipality — judged on the
 * territory's own primary-score histogram against its own smooth counterfactual (a Poisson log-polynomial fitted
 * outside the windows at the boundaries, `boundaryBunchingInHistogram`). A school is judged against the rest of its
 * region; when the whole territory piles up, that comparison cannot see it, and this is where it is said.
 * A histogram imported for a territory of one school (a region or a city with one school) is judged the same way.
 *
 * Assumes the honest histogram is smooth across the boundaries (see `judgeTerritoryHistogram` for the two smooth
 * shapes tried); breaks where the scale itself makes scores at a boundary more likely (the counterfactual then shows
 * the pile-up on every territory alike — read it against the others), and says nothing where no smooth shape
 * describes the scores outside the windows.
 */
export interface TerritoryBunchingVerdict {
  level: 'REGION' | 'MUNICIPALITY';
  territoryCode: string;
  territoryName: string;
  assessmentId: number;
  procedure: Procedure;
  subjectName: string;
  grade: number;
  year: number;
  schools: number;
  participants: number;
  status: 'FLAGGED' | 'CLEAR' | 'INSUFFICIENT_DATA';
  pValue: number | null;
  /** Works at the boundaries above the counterfactual, and their share of all works. */
  excessWorks: number | null;
  excessShare: number | null;
  observedHistogram: number[];
  counterfactualHistogram: number[] | null;
  boundaries: number[];
  explanationRu: string;
}

interface HistogramRow {
  assessment_id: number;
  municipality_id: number;
  schools: number;
  histogram: number[];
}

/** The verdicts of a region's year: the region's and each visible municipality's, per assessment with a scale. */
export async function territoryBunching(em: EntityManager, principal: Principal, regionId: number, year: number, municipalityCode: string | null): Promise<TerritoryBunchingVerdict[]> {
  const knex = em.getKnex();
  // The key's municipalities only; the region's own verdict is the region's aggregate, visible to any key of it.
  const visibleMunicipalities = municipalityScopeFragment(principal, 'm');
  const [regionRows, municipalityRows, assessmentRows, histogramRows, { thresholds }] = await Promise.all([
    knex.raw(`select code, name from region where id = ?`, [regionId]).then((r) => r.rows as { code: string; name: string }[]),
    knex.raw(`select m.id, m.code, m.name from municipality m where m.region_id = ? and ${visibleMunicipalities.sql}`, [regionId, ...visibleMunicipalities.bindings])
      .then((r) => r.rows as { id: number; code: string; name: string }[]),
    knex.raw(
      `select a.id, a.procedure, a.grade, s.name as subject_name, sc.max_primary, sc.mark_boundaries
       from assessment a join subject s on s.id = a.subject_id join applicable_scale sc on sc.assessment_id = a.id and sc.region_id = ?
       where a.year = ? and sc.max_primary is not null and sc.mark_boundaries is not null`,
      [regionId, year],
    ).then((r) => r.rows as { id: number; procedure: Procedure; grade: number; subject_name: string; max_primary: number; mark_boundaries: number[] }[]),
    // Summed per municipality in SQL; the region is the sum of its municipalities.
    knex.raw(
      `select x.assessment_id, x.municipality_id, max(x.schools)::int as schools, array_agg(x.n order by x.ord) as histogram
       from (
         select sr.assessment_id, s.municipality_id, h.ord, sum(h.n)::int as n, count(*) as schools
         from school_result sr join school s on s.id = sr.school_id cross join lateral unnest(sr.histogram) with ordinality as h(n, ord)
         where s.region_id = ? and sr.year = ? and sr.histogram is not null
         group by sr.assessment_id, s.municipality_id, h.ord
       ) x
       group by x.assessment_id, x.municipality_id`,
      [regionId, year],
    ).then((r) => r.rows as HistogramRow[]),
    thresholdsFor(knex, regionId),
  ]);
  const region = regionRows[0];
  if (!region) return [];
  const municipalities = new Map(municipalityRows.map((m) => [m.id, m]));
  const judged: { base: VerdictBase; histogram: number[]; test: TerritoryTest }[] = [];
  for (const a of assessmentRows) {
    const rows = histogramRows.filter((r) => r.assessment_id === a.id && r.histogram.length === a.max_primary + 1);
    if (rows.length === 0) continue;
    const base = { assessmentId: a.id, procedure: a.procedure, subjectName: a.subject_name, grade: a.grade, year, boundaries: a.mark_boundaries };
    const scale = { maxScore: a.max_primary, boundaries: a.mark_boundaries.map((minScore, i) => ({ mark: (i + 3) as 3 | 4 | 5, minScore })) };
    const judge = (histogram: number[]) => judgeTerritoryHistogram(scale, histogram, thresholds);
    if (!municipalityCode) {
      const histogram = rows.reduce((sum, r) => sum.map((c, i) => c + r.histogram[i]), new Array<number>(a.max_primary + 1).fill(0));
      const schools = rows.reduce((s, r) => s + r.schools, 0);
      judged.push({ base: { ...base, level: 'REGION', territoryCode: region.code, territoryName: region.name, schools }, histogram, test: judge(histogram) });
    }
    for (const r of rows) {
      const m = municipalities.get(r.municipality_id);
      if (!m || (municipalityCode && m.code !== municipalityCode)) continue;
      judged.push({ base: { ...base, level: 'MUNICIPALITY', territoryCode: m.code, territoryName: m.name, schools: r.schools }, histogram: r.histogram, test: judge(r.histogram) });
    }
  }
  // Dozens of territories × assessments are tested at once: a pile-up is named only where Benjamini–Hochberg across
  // them keeps it (and it is large enough to matter).
  const t = thresholds.boundaryBunching;
  const tests = judged.map((j) => j.test).filter((x): x is Extract<TerritoryTest, { pValue: number }> => x.status !== 'INSUFFICIENT_DATA');
  const q = benjaminiHochberg(tests.map((x) => x.pValue));
  tests.forEach((x, i) => (x.status = q[i] <= t.fdrAlpha && x.excessShare >= t.minExcessShare ? 'FLAGGED' : 'CLEAR'));
  const out = judged.map((j) => verdict(j.base, j.histogram, j.test));
  return out;
}


type VerdictBase = Omit<TerritoryBunchingVerdict, 'participants' | 'status' | 'pValue' | 'excessWorks' | 'excessShare' | 'observedHistogram' | 'counterfactualHistogram' | 'explanationRu'>;

function verdict(base: VerdictBase, histogram: number[], test: TerritoryTest): TerritoryBunchingVerdict {
  const participants = histogram.reduce((s, c) => s + c, 0);
  const where = `${base.level === 'REGION' ? 'по региону' : 'по муниципалитету'} «${base.territoryName}», ${PROCEDURE_RU[base.procedure]}, ${base.subjectName.toLowerCase()}, ${base.grade} класс`;
  const explanationRu =
    test.status === 'INSUFFICIENT_DATA'
      ? `${capitaliseRu(where)}: ${test.reasonRu}`
      : test.status === 'FLAGGED'
        ? `${capitaliseRu(where)}: работы скапливаются у границ отметок по всей территории — на границах и сразу выше ${worksCountRu(test.observed)} при ${formatNumberRu(test.expected, 1)} ожидаемых по гладкому распределению, лишних ${worksCountRu(test.excess)} (${formatPercentRu(test.excessShare, 1)} всех работ), ${formatPValueRu(test.pValue)}. Сравнение каждой школы с остальными школами территории такого скопления не видит: оно общее для территории.`
        : `${capitaliseRu(where)}: скопления работ у границ отметок по территории нет (на границах и сразу выше ${worksCountRu(test.observed)} при ${formatNumberRu(test.expected, 1)} ожидаемых, ${formatPValueRu(test.pValue)}).`;
  const judged = test.status !== 'INSUFFICIENT_DATA';
  return {
    ...base,
    participants,
    status: test.status,
    pValue: judged ? test.pValue : null,
    excessWorks: judged ? Math.round(test.excess * 10) / 10 : null,
    excessShare: judged ? Math.round(test.excessShare * 10000) / 10000 : null,
    observedHistogram: histogram,
    counterfactualHistogram: judged ? test.counterfactual.map((x) => Math.round(x * 100) / 100) : null,
    explanationRu,
  };
}


/** What a territory's histogram says, whichever counterfactual described it. */
export type TerritoryTest =
  | { status: 'INSUFFICIENT_DATA'; reasonRu: string }
  | { status: 'FLAGGED' | 'CLEAR'; pValue: number; observed: number; expected: number; excess: number; excessShare: number; counterfactual: number[]; source: 'POLYNOMIAL' | 'BETA_BINOMIAL' };

/** Share of the works outside the windows by which a counterfactual may miss them and still be trusted. */
const MAX_MISFIT = 0.2;
/** Share of all works by which its total may differ from the histogram's. */
const MAX_TOTAL_MISFIT = 0.1;

/**
 * A territory's histogram against a smooth counterfactual fitted outside the windows at the boundaries: first the
 * Poisson log-polynomial of `boundaryBunchingInHistogram` (lower degrees where few scores are left), then — on short
 * scales where the boundaries stand close and a polynomial through the few scores left could bend anywhere — the
 * two-parameter beta-binomial of honest test scores (stats/beta-binomial.ts). A counterfactual is trusted only where
 * it misses the works outside the windows by at most a fifth; where none is, nothing is said, and why.
 */
export function judgeTerritoryHistogram(scale: ScoreScale, histogram: number[], thresholds: RiskThresholds): TerritoryTest {
  const t = thresholds.boundaryBunching;
  const participants = histogram.reduce((a, c) => a + c, 0);
  if (participants < t.minParticipants) return { status: 'INSUFFICIENT_DATA', reasonRu: `работ ${participants} — меньше ${t.minParticipants}, судить о скоплении по территории нельзя.` };
  const windows = boundaryWindows(scale, t.windowWidth, t.exclusionBelow);
  const excluded = excludedScores(windows);
  const outside = [...Array(histogram.length).keys()].filter((score) => !excluded.has(score));
  // Trusted only if it describes the works outside the windows and puts about as many works on the whole scale as
  // there are: manipulation moves works between scores, it does not add them.
  const fits = (expected: readonly number[]) => {
    const observed = outside.reduce((a, score) => a + histogram[score], 0);
    const total = expected.reduce((a, c) => a + c, 0);
    return (
      observed > 0 &&
      outside.reduce((a, score) => a + Math.abs(histogram[score] - expected[score]), 0) <= MAX_MISFIT * observed &&
      Math.abs(total - participants) <= MAX_TOTAL_MISFIT * participants
    );
  };
  for (const degree of [...new Set([t.regionPolynomialDegree, t.smallHistogramPolynomialDegree, 2])]) {
    // A polynomial needs more scores outside the windows than it has coefficients, with room to spare.
    if (outside.filter((score) => histogram[score] > 0).length < degree + 3) continue;
    try {
      const result = boundaryBunchingInHistogram({ scale, histogram }, { ...thresholds, boundaryBunching: { ...t, regionPolynomialDegree: degree, smallHistogramPolynomialDegree: Math.min(degree, t.smallHistogramPolynomialDegree) } });
      const d = result.details;
      if (result.status === 'INSUFFICIENT_DATA' || !d) return { status: 'INSUFFICIENT_DATA', reasonRu: result.explanationRu };
      if (fits(d.counterfactualHistogram)) {
        return { status: result.status === 'FLAGGED' ? 'FLAGGED' : 'CLEAR', pValue: result.pValue ?? 1, observed: d.observed, expected: d.expected, excess: d.excess, excessShare: d.excessShare, counterfactual: d.counterfactualHistogram, source: 'POLYNOMIAL' };
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  const fit = fitBetaBinomialOutside(histogram, outside);
  if (fit) {
    const mass = outside.reduce((a, score) => a + fit.pmf[score], 0);
    const scaleToWorks = outside.reduce((a, score) => a + histogram[score], 0) / mass;
    const counterfactual = fit.pmf.map((p) => p * scaleToWorks);
    if (fits(counterfactual)) {
      // Each boundary: works in the tested window among tested ∪ just below, against the fitted share there.
      let observed = 0;
      let expected = 0;
      let variance = 0;
      for (const w of windows) {
        const inTested = w.tested.reduce((a, score) => a + histogram[score], 0);
        const inBoth = inTested + w.below.reduce((a, score) => a + histogram[score], 0);
        const pTested = w.tested.reduce((a, score) => a + fit.pmf[score], 0);
        const pBoth = pTested + w.below.reduce((a, score) => a + fit.pmf[score], 0);
        if (inBoth === 0 || pBoth <= 0) continue;
        const share = pTested / pBoth;
        observed += inTested;
        expected += share * inBoth;
        variance += share * (1 - share) * inBoth;
      }
      const excess = observed - expected;
      const pValue = variance > 0 ? normalUpperTail(excess / Math.sqrt(variance)) : 1;
      const excessShare = excess / participants;
      // The decision is the caller's, across territories (here: before any correction).
      return { status: pValue <= t.alpha ? 'FLAGGED' : 'CLEAR', pValue, observed, expected, excess, excessShare, counterfactual, source: 'BETA_BINOMIAL' };
    }
  }
  return { status: 'INSUFFICIENT_DATA', reasonRu: 'гладкое распределение не описывает баллы этой территории вне окон у границ отметок — судить о скоплении по территории нельзя.' };
}
