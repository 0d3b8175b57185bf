import { judgeTerritoryHistogram } from '../../src/risk/territory/territory-bunching';
import { betaBinomialPmf, fitBetaBinomialOutside } from '../../src/risk/stats/beta-binomial';
import { DEFAULT_THRESHOLDS } from '../../src/risk/methodology/thresholds';
import { AggregateService } from '../../src/assessments/aggregate.service';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { generateRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';

const QUERY = `query($year: Int!, $m: String) { territoryBunching(regionCode: "99", year: $year, municipalityCode: $m) {
  level territoryCode territoryName assessmentId schools participants status pValue excessWorks excessShare observedHistogram counterfactualHistogram boundaries explanationRu } }`;

/**
 * A pile-up common to a whole territory: every school of one municipality raised works to the «3» boundary in one
 * ВПР. School-against-territory tests cannot see it; the territory's own histogram does.
 */
describe('bunching across a territory', () => {
  let db: TestDatabase;
  let api: TestApi;
  let analyst: Principal;
  let municipalityCode: string;
  let otherMunicipalityCode: string;
  let year: number;
  let assessmentId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const region = generateRegion({ seed: 11, schools: 40, anomalyRate: 0 });
    await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    year = region.years[region.years.length - 1];
    municipalityCode = region.municipalities[0].code;
    otherMunicipalityCode = region.municipalities[1].code;
    const knex = db.orm.em.getKnex();
    const [target] = (
      await knex.raw(
        `select a.id, sc.mark_boundaries[1] as b from assessment a join applicable_scale sc on sc.assessment_id = a.id
         where a.year = ? and a.procedure = 'VPR' and sc.mark_boundaries is not null order by a.id limit 1`,
        [year],
      )
    ).rows;
    assessmentId = target.id;
    // Every school of the municipality: the works two and one points below «3» moved to the boundary itself.
    const b = target.b as number; // histogram index = score; SQL arrays are 1-based
    await knex.raw(
      `update school_result sr set histogram = (
         select array_agg(case when ord - 1 = ? then n + sr.histogram[? + 1 - 1] + sr.histogram[? + 1 - 2] when ord - 1 in (? - 1, ? - 2) then 0 else n end order by ord)
         from unnest(sr.histogram) with ordinality as h(n, ord))
       where sr.assessment_id = ? and sr.histogram is not null
         and sr.school_id in (select s.id from school s join municipality m on m.id = s.municipality_id where m.code = ?)`,
      [b, b, b, b, b, assessmentId, municipalityCode],
    );
    const keys = new ApiKeyService(db.orm.em.fork());
    analyst = (await keys.authenticate((await keys.create({ name: 'МОУО', role: Role.MUNICIPAL_ANALYST, municipalityCode: otherMunicipalityCode })).key))!;
  }, 120_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('finds the pile-up in the municipality where every school has it, and says so plainly', async () => {
    const result = await api.query(QUERY, { year, m: municipalityCode });
    expect(result.errors).toBeUndefined();
    const verdicts = result.data!.territoryBunching;
    const piled = verdicts.find((v: any) => v.assessmentId === assessmentId)!;
    expect(piled).toMatchObject({ level: 'MUNICIPALITY', territoryCode: municipalityCode, status: 'FLAGGED' });
    expect(piled.excessWorks).toBeGreaterThan(0);
    expect(piled.pValue).toBeLessThan(0.01);
    expect(piled.explanationRu).toContain('работы скапливаются у границ отметок по всей территории');
    expect(piled.explanationRu).toContain('такого скопления не видит');
    expect(piled.observedHistogram.length).toBe(piled.counterfactualHistogram.length);
    expect(piled.observedHistogram.reduce((a: number, c: number) => a + c, 0)).toBe(piled.participants);
    // The honest assessments of the same municipality are clear (or not judgeable), never flagged.
    const others = verdicts.filter((v: any) => v.assessmentId !== assessmentId);
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((v: any) => v.status === 'FLAGGED').length).toBeLessThanOrEqual(Math.ceil(others.length * 0.1));
  });

  it('gives the region and every municipality a verdict per assessment; a municipal key sees its own and the region', async () => {
    const all = (await api.query(QUERY, { year })).data!.territoryBunching;
    expect(all.filter((v: any) => v.level === 'REGION' && v.assessmentId === assessmentId)).toHaveLength(1);
    const municipalities = new Set(all.filter((v: any) => v.level === 'MUNICIPALITY').map((v: any) => v.territoryCode));
    expect(municipalities.size).toBeGreaterThan(1);
    const region = all.find((v: any) => v.level === 'REGION' && v.assessmentId === assessmentId);
    const parts = all.filter((v: any) => v.level === 'MUNICIPALITY' && v.assessmentId === assessmentId);
    expect(parts.reduce((s: number, v: any) => s + v.participants, 0)).toBe(region.participants);

    const seen = (await api.query(QUERY, { year }, analyst)).data!.territoryBunching;
    expect(new Set(seen.filter((v: any) => v.level === 'MUNICIPALITY').map((v: any) => v.territoryCode))).toEqual(new Set([otherMunicipalityCode]));
    expect(seen.some((v: any) => v.level === 'REGION')).toBe(true);
    const unknown = await api.query(`{ territoryBunching(regionCode: "00", year: ${year}) { status } }`);
    expect(unknown.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('a territory histogram on its own', () => {
  const scale = { maxScore: 20, boundaries: [{ mark: 3 as const, minScore: 6 }, { mark: 4 as const, minScore: 10 }, { mark: 5 as const, minScore: 14 }] };
  const honest = betaBinomialPmf(20, 6, 4).map((p) => Math.round(p * 3000));

  it('the beta-binomial is recovered from the scores outside the windows alone', () => {
    const outside = [0, 1, 2, 16, 17, 18, 19, 20];
    const fit = fitBetaBinomialOutside(honest, outside)!;
    expect(fit.alpha / (fit.alpha + fit.beta)).toBeCloseTo(0.6, 1);
    for (const s of [8, 10, 12]) expect(Math.abs(fit.pmf[s] * 3000 - honest[s])).toBeLessThan(0.15 * honest[s]);
  });

  it('a short scale with close boundaries: the honest histogram is clear, a pile-up is found', () => {
    const clear = judgeTerritoryHistogram(scale, honest, DEFAULT_THRESHOLDS);
    expect(clear.status).toBe('CLEAR');
    const piled = [...honest];
    // Works one and two points below «4» and «5» raised to the boundary.
    for (const b of [10, 14]) {
      const moved = Math.round(piled[b - 1] * 0.4) + Math.round(piled[b - 2] * 0.3);
      piled[b - 1] -= Math.round(piled[b - 1] * 0.4);
      piled[b - 2] -= Math.round(piled[b - 2] * 0.3);
      piled[b] += moved;
    }
    const found = judgeTerritoryHistogram(scale, piled, DEFAULT_THRESHOLDS);
    expect(found.status).toBe('FLAGGED');
    if (found.status === 'FLAGGED') {
      expect(found.pValue).toBeLessThan(0.001);
      expect(found.excess).toBeGreaterThan(0);
      expect(Math.abs(found.counterfactual.reduce((a, c) => a + c, 0) - 3000)).toBeLessThan(300);
    }
  });

  it('says nothing where no smooth shape describes the scores outside the windows', () => {
    // Two separate populations: one near the bottom, one near the top.
    const bimodal = honest.map((_, s) => (s < 5 ? 300 : s > 16 ? 300 : 40));
    const result = judgeTerritoryHistogram(scale, bimodal, DEFAULT_THRESHOLDS);
    expect(result.status).toBe('INSUFFICIENT_DATA');
    if (result.status === 'INSUFFICIENT_DATA') expect(result.reasonRu).toMatch(/гладкое распределение не описывает/);
  });
});
