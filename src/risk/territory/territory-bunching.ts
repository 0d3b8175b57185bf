import type { EntityManager } from '@mikro-orm/postgresql';
import { PROCEDURE_RU, type Procedure } from '../../assessments/enums';
import type { Principal } from '../../auth/principal';
import { Role } from '../../auth/role';
import { formatNumberRu, formatPercentRu, formatPValueRu, pluralRu } from '../indicators/formatRu';
import { boundaryBunchingInHistogram, type BoundaryBunchingResult } from '../indicators/boundaryBunching';
import { thresholdsFor } from '../recompute/risk-config';
import { insufficientData } from '../indicators/result';
import { MarkerCode } from '../markers';

/**
 * Works piled up at mark boundaries across a whole territory — the region, or one municipality — judged on the
 * territory's own primary-score histogram against its own smooth counterfactual (a Poisson log-polynomial fitted
 * outside the windows at the boundaries, `boundaryBunchingInHistogram`). A school is judged against the rest of its
 * region; when the whole territory piles up, that comparison cannot see it, and this is where it is said.
 * A histogram imported for a territory of one school (a region or a city with one school) is judged the same way.
 *
 * Assumes the honest histogram is smooth across the boundaries; breaks where the scale itself makes scores at a
 * boundary more likely (the counterfactual then shows the pile-up on every territory alike — read it against the
 * others).
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
  status: BoundaryBunchingResult['status'];
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
  const [regionRows, municipalityRows, assessmentRows, histogramRows, { thresholds }] = await Promise.all([
    knex.raw(`select code, name from region where id = ?`, [regionId]).then((r) => r.rows as { code: string; name: string }[]),
    knex.raw(`select id, code, name from municipality where region_id = ?`, [regionId]).then((r) => r.rows as { id: number; code: string; name: string }[]),
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
  const visible = visibleMunicipalities(principal, municipalityRows.map((m) => m.id));
  const municipalities = new Map(municipalityRows.map((m) => [m.id, m]));
  const out: TerritoryBunchingVerdict[] = [];
  for (const a of assessmentRows) {
    const rows = histogramRows.filter((r) => r.assessment_id === a.id && r.histogram.length === a.max_primary + 1);
    if (rows.length === 0) continue;
    const base = { assessmentId: a.id, procedure: a.procedure, subjectName: a.subject_name, grade: a.grade, year, boundaries: a.mark_boundaries };
    const scale = { maxScore: a.max_primary, boundaries: a.mark_boundaries.map((minScore, i) => ({ mark: (i + 3) as 3 | 4 | 5, minScore })) };
    const judge = (histogram: number[]): BoundaryBunchingResult => {
      // The smooth counterfactual is fitted outside the windows; where few scores are left there (short scales with
      // three boundaries), a lower degree is tried before giving up.
      const t = thresholds.boundaryBunching;
      for (const degree of [...new Set([t.regionPolynomialDegree, t.smallHistogramPolynomialDegree, 2])]) {
        try {
          return boundaryBunchingInHistogram({ scale, histogram }, { ...thresholds, boundaryBunching: { ...t, regionPolynomialDegree: degree, smallHistogramPolynomialDegree: Math.min(degree, t.smallHistogramPolynomialDegree) } });
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
        }
      }
      {
        return { ...insufficientData({ indicator: 'BOUNDARY_BUNCHING', marker: MarkerCode.BOUNDARY_BUNCHING, explanationRu: 'вне окон у границ слишком мало разных баллов, чтобы построить гладкое распределение — судить о скоплении нельзя.', inputs: {}, baseline: {}, thresholds: thresholds.boundaryBunching }), details: null };
      }
    };
    if (!municipalityCode) {
      const histogram = rows.reduce((sum, r) => sum.map((c, i) => c + r.histogram[i]), new Array<number>(a.max_primary + 1).fill(0));
      const schools = rows.reduce((s, r) => s + r.schools, 0);
      out.push(verdict({ ...base, level: 'REGION', territoryCode: region.code, territoryName: region.name, schools }, histogram, judge(histogram)));
    }
    for (const r of rows) {
      const m = municipalities.get(r.municipality_id);
      if (!m || !visible(m.id) || (municipalityCode && m.code !== municipalityCode)) continue;
      out.push(verdict({ ...base, level: 'MUNICIPALITY', territoryCode: m.code, territoryName: m.name, schools: r.schools }, r.histogram, judge(r.histogram)));
    }
  }
  return out;
}

function visibleMunicipalities(principal: Principal, ids: number[]): (id: number) => boolean {
  if (principal.role === Role.ADMIN || principal.role === Role.REGIONAL_IMPORTER || principal.role === Role.BI_READER) return () => true;
  return (id) => ids.includes(id) && id === principal.municipalityId;
}

type VerdictBase = Omit<TerritoryBunchingVerdict, 'participants' | 'status' | 'pValue' | 'excessWorks' | 'excessShare' | 'observedHistogram' | 'counterfactualHistogram' | 'explanationRu'>;

function verdict(base: VerdictBase, histogram: number[], result: BoundaryBunchingResult): TerritoryBunchingVerdict {
  const participants = histogram.reduce((s, c) => s + c, 0);
  const d = result.details;
  const where = `${base.level === 'REGION' ? 'по региону' : 'по муниципалитету'} «${base.territoryName}», ${PROCEDURE_RU[base.procedure]}, ${base.subjectName.toLowerCase()}, ${base.grade} класс`;
  const works = (n: number) => `${formatNumberRu(n, 0)} ${pluralRu(Math.round(n), ['работа', 'работы', 'работ'])}`;
  const explanationRu =
    result.status === 'INSUFFICIENT_DATA' || !d
      ? `${capitalise(where)}: ${result.explanationRu}`
      : result.status === 'FLAGGED'
        ? `${capitalise(where)}: работы скапливаются у границ отметок по всей территории — на границах и сразу выше ${works(d.observed)} при ${formatNumberRu(d.expected, 1)} ожидаемых по гладкому распределению, лишних ${works(d.excess)} (${formatPercentRu(d.excessShare, 1)} всех работ), ${formatPValueRu(result.pValue ?? 1)}. Сравнение каждой школы с остальными школами территории такого скопления не видит: оно общее для территории.`
        : `${capitalise(where)}: скопления работ у границ отметок по территории нет (на границах и сразу выше ${works(d.observed)} при ${formatNumberRu(d.expected, 1)} ожидаемых, ${formatPValueRu(result.pValue ?? 1)}).`;
  return {
    ...base,
    participants,
    status: result.status,
    pValue: result.pValue ?? null,
    excessWorks: d ? Math.round(d.excess * 10) / 10 : null,
    excessShare: d ? Math.round(d.excessShare * 10000) / 10000 : null,
    observedHistogram: histogram,
    counterfactualHistogram: d ? d.counterfactualHistogram.map((x) => Math.round(x * 100) / 100) : null,
    explanationRu,
  };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
