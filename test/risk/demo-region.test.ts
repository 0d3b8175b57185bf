import { AggregateService } from '../../src/assessments/aggregate.service';
import { generateDemoRegion, type DemoRegion } from '../../src/demo';
import { loadRegion } from '../../src/loading/region-loader';
import { scoreDetection, type DetectionScore } from '../../src/risk/detection/detection-score';
import { loadRiskRecords, plantedSchools } from '../../src/risk/detection/load-records';
import { RiskRecomputeService } from '../../src/risk/recompute/risk-recompute.service';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The methodology on the demo region: the planted schools are found, the clean ones are not. */
describe('risk zones on the demo region', () => {
  let db: TestDatabase;
  let region: DemoRegion;
  let score: DetectionScore;

  beforeAll(async () => {
    db = await createTestDatabase();
    region = generateDemoRegion();
    const load = await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    await new RiskRecomputeService(db.orm.em.fork()).recompute({ schoolIds: null });
    score = scoreDetection(await loadRiskRecords(db.orm.em.getKnex()), plantedSchools(region, load.schoolIds));
  }, 180_000);
  afterAll(() => db.drop());

  it('finds every planted school', () => {
    expect(score.missed).toEqual([]);
    expect(score.recall).toBe(1);
  });

  it('leaves the clean schools alone', () => {
    expect(score.falseAlarms).toEqual([]);
    expect(score.cleanFalsePositiveRate).toBe(0);
  });

  it('explains every zone in Russian with numbers', async () => {
    const { rows } = await db.orm.em.getKnex().raw(`select explanation_ru from risk_zone where objectivity in ('RISK', 'HIGH_RISK') limit 5`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.explanation_ru).toMatch(/[А-Яа-я].*\d/);
  });
});
