/**
 * School results imported as sources publish them (`school-results`: no pupils, no marks — a mean test score and
 * a count below the minimum) reach the risk recompute: the region snapshot it reads (region-results.ts) carries
 * their mean test score and below-minimum count, and the ГИА below-minimum indicator counts their graduates.
 */
import { RiskRecomputeService } from '../../src/risk/recompute/risk-recompute.service';
import { loadRegionResults } from '../../src/risk/recompute/region-results';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { buildComparisonRegion, type ComparisonRegion } from '../comparisons/support/comparison-region';

describe('risk recompute over imported school results', () => {
  let db: TestDatabase;
  let region: ComparisonRegion;

  beforeAll(async () => {
    db = await createTestDatabase();
    region = await buildComparisonRegion(db.orm.em.fork());
    // b1 has no ЕГЭ pupils: its ЕГЭ Russian of 2025 comes only from an imported school-level row.
    await db.orm.em.getKnex().raw(
      `insert into school_result (school_id, assessment_id, year, participants, mean_test_score, below_minimum, count_test_80, count_test_100, source)
       values (?, ?, 2025, 20, 68.9, 3, 2, 0, 'IMPORTED')`,
      [region.schools.b1.id, region.ege.id],
    );
  }, 60_000);
  afterAll(() => db.drop());

  it('reads the imported row’s mean test score and below-minimum count into the region snapshot', async () => {
    const snapshot = await loadRegionResults(db.orm.em.getKnex(), region.schools.b1.region.id, 2025, 2025);
    const ege = snapshot.resultsBySchool.get(region.schools.b1.id)!.find((r) => r.assessmentId === region.ege.id);
    expect(ege).toEqual(expect.objectContaining({ year: 2025, participants: 20, meanTestScore: 68.9, belowMinimum: 3, counts: null, histogram: null }));
    // The region-wide list holds the same row, beside the computed ЕГЭ rows of a1 and a2.
    expect(snapshot.results.filter((r) => r.assessmentId === region.ege.id).map((r) => [r.schoolId, r.meanTestScore, r.belowMinimum])).toEqual([
      [region.schools.a1.id, expect.any(Number), 1],
      [region.schools.a2.id, expect.any(Number), 0],
      [region.schools.b1.id, 68.9, 3],
    ]);
  });

  it('counts the imported row’s graduates below the minimum in the ГИА indicator', async () => {
    await new RiskRecomputeService(db.orm.em.fork()).recompute({ schoolIds: [region.schools.b1.id], years: [2025] });
    const { rows } = await db.orm.em.getKnex().raw(
      `select value, explanation_ru from risk_indicator_value where school_id = ? and year = 2025 and indicator = 'GIA_BELOW_MINIMUM'`,
      [region.schools.b1.id],
    );
    expect(rows).toHaveLength(1);
    // ОГЭ maths (computed from b1's pupils: scores 0, 1, 2 are «2») and the imported ЕГЭ Russian.
    expect(rows[0].explanation_ru).toMatch(/ЕГЭ, русский язык — 3 из 20/);
    expect(rows[0].explanation_ru).toMatch(/ОГЭ, математика — 3 из 6/);
    expect(Number(rows[0].value)).toBe(6);
  });
});
