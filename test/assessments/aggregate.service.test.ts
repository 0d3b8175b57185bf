import { AggregateService } from '../../src/assessments/aggregate.service';
import { BenchmarkResult } from '../../src/assessments/benchmark-result.entity';
import { Procedure, ResultSource } from '../../src/assessments/enums';
import { BenchmarkLevel } from '../../src/territory/enums';
import { SchoolResult } from '../../src/assessments/school-result.entity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';

describe('AggregateService: per-school aggregates from participant rows', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('computes counts, mean % of max, histogram, journal agreement and task completion', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('11');
    const school = await data.school(await data.municipality(region, '01'));
    // max 10 = 2+2+3+3; boundaries 3:3, 4:5, 5:8
    const vpr = await data.assessment({ year: 2024 });
    await data.participants(school, vpr, [
      { code: 'a', tasks: [2, 2, 3, 3], mark: 5, journal: 5 }, // 10, confirmed
      { code: 'b', tasks: [2, 2, 1, 0], mark: 4, journal: 3 }, // 5, raised
      { code: 'c', tasks: [1, null, 0, 0], mark: 2, journal: 4 }, // 1, lowered by 2
      { code: 'd', tasks: [2, 1, 0, 0], mark: 3, journal: null }, // 3, no journal mark
    ]);
    const outcome = await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [school.id], years: [2024] });
    expect(outcome.upserted).toBe(1);

    const result = await db.orm.em.fork().findOneOrFail(SchoolResult, { school: school.id, assessment: vpr.id });
    expect(result.source).toBe(ResultSource.COMPUTED);
    expect(result.participants).toBe(4);
    expect([result.count2, result.count3, result.count4, result.count5]).toEqual([1, 1, 1, 1]);
    expect(result.meanPrimary).toBeCloseTo((10 + 5 + 1 + 3) / 4, 10);
    expect(result.meanPercent).toBeCloseTo((100 * 19) / 4 / 10, 10);
    expect(result.histogram).toEqual([0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
    expect([result.journalLowered, result.journalConfirmed, result.journalRaised, result.journalMismatch2]).toEqual([1, 1, 1, 1]);
    // task 2: 2 + 2 + (not done → 0) + 1 = 5 of 4 × 2
    expect(result.taskCompletion).toEqual([7 / 8, 5 / 8, 4 / 12, 3 / 12]);
    expect(result.belowMinimum).toBeNull();
    const scores = [10, 5, 1, 3];
    const mean = 19 / 4;
    const sd = Math.sqrt(scores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / 3);
    expect(result.sdPercent).toBeCloseTo((100 * sd) / 10, 10);
  });

  it('counts ЕГЭ participants below the minimum test score and leaves marks empty', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('12');
    const school = await data.school(await data.municipality(region, '01'));
    const ege = await data.assessment({ procedure: Procedure.EGE, year: 2025, grade: 11, boundaries: null, minimumTestScore: 24 });
    await data.participants(school, ege, [
      { code: 'e1', tasks: [2, 2, 3, 3], test: 90 },
      { code: 'e2', tasks: [0, 1, 0, 0], test: 12 },
      { code: 'e3', tasks: [1, 1, 1, 0], test: 36 },
    ]);
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [school.id], years: [2025] });
    const result = await db.orm.em.fork().findOneOrFail(SchoolResult, { school: school.id, assessment: ege.id });
    expect(result.belowMinimum).toBe(1);
    expect(result.count2).toBeNull();
    expect(result.meanTestScore).toBeCloseTo(46, 10);
  });

  it('is idempotent, removes computed rows whose participants are gone, and never touches imported-only results', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('13');
    const municipality = await data.municipality(region, '01');
    const withRows = await data.school(municipality);
    const importedOnly = await data.school(municipality);
    const vpr = await data.assessment({ year: 2023, grade: 6 });
    await data.participants(withRows, vpr, [
      { code: 'x', tasks: [1, 1, 1, 1], mark: 3 },
      { code: 'y', tasks: [2, 2, 2, 2], mark: 5 },
    ]);
    const em = db.orm.em.fork();
    em.create(SchoolResult, { school: importedOnly, assessment: vpr, year: 2023, participants: 30, count2: 3, count3: 10, count4: 12, count5: 5, source: ResultSource.IMPORTED });
    await em.flush();

    const service = new AggregateService(db.orm.em.fork());
    await service.recompute({ schoolIds: [withRows.id, importedOnly.id], years: [2023] });
    const first = await db.orm.em.fork().find(SchoolResult, { assessment: vpr.id }, { orderBy: { id: 'asc' } });
    const again = await service.recompute({ schoolIds: [withRows.id, importedOnly.id], years: [2023] });
    expect(again.upserted).toBe(0); // nothing changed, nothing rewritten
    const second = await db.orm.em.fork().find(SchoolResult, { assessment: vpr.id }, { orderBy: { id: 'asc' } });
    expect(second.map((r) => [r.id, r.participants, r.source])).toEqual(first.map((r) => [r.id, r.participants, r.source]));
    expect(second.find((r) => r.school.id === importedOnly.id)?.count4).toBe(12);

    await db.orm.em.getKnex().raw('delete from participant_result where school_id = ?', [withRows.id]);
    const cleaned = await service.recompute({ schoolIds: [withRows.id], years: [2023] });
    expect(cleaned.deleted).toBe(1);
    expect(await db.orm.em.fork().count(SchoolResult, { school: withRows.id })).toBe(0);
  });

  it('computes region and municipality reference values, never overwriting published ones', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('14');
    const m1 = await data.municipality(region, '01');
    const m2 = await data.municipality(region, '02');
    const s1 = await data.school(m1);
    const s2 = await data.school(m2);
    const vpr = await data.assessment({ year: 2024, grade: 7, subjectCode: 'MATH' });
    await data.participants(s1, vpr, [{ code: '1', tasks: [0, 0, 0, 0], mark: 2 }, { code: '2', tasks: [2, 2, 3, 3], mark: 5 }]);
    await data.participants(s2, vpr, [{ code: '1', tasks: [1, 1, 1, 0], mark: 3 }, { code: '2', tasks: [1, 1, 1, 1], mark: 3 }]);
    const em = db.orm.em.fork();
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.RUSSIA, percent2: 11, percent3: 40, percent4: 35, percent5: 14, meanPercent: 55, source: 'imported' });
    await em.flush();

    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [s1.id, s2.id], years: [2024] });
    const benchmarks = await db.orm.em.fork().find(BenchmarkResult, { assessment: vpr.id }, { orderBy: { level: 'asc', municipality: 'asc' } });
    const regionValue = benchmarks.find((b) => b.level === BenchmarkLevel.REGION)!;
    expect(regionValue.participants).toBe(4);
    expect(regionValue.percent2).toBeCloseTo(25);
    expect(regionValue.percent3).toBeCloseTo(50);
    expect(regionValue.percent5).toBeCloseTo(25);
    expect(regionValue.source).toBe('computed');
    const municipal = benchmarks.filter((b) => b.level === BenchmarkLevel.MUNICIPALITY);
    expect(municipal.map((b) => b.percent3)).toEqual([0, 100]);
    expect(benchmarks.find((b) => b.level === BenchmarkLevel.RUSSIA)?.percent2).toBe(11);
    // The region baseline: summed histogram (max 10) and participant-weighted task completion.
    expect(regionValue.histogram).toEqual([1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect(regionValue.taskCompletion![0]).toBeCloseTo((0 + 2 + 1 + 1) / 4 / 2, 10);
  });

  it('computes the region\'s and municipalities\' ЕГЭ ≥ 220 from the schools\' totals, never over published ones, and removes them when the totals go', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('15');
    const m1 = await data.municipality(region, '01');
    const m2 = await data.municipality(region, '02');
    const s1 = await data.school(m1);
    const s2 = await data.school(m1);
    const s3 = await data.school(m2);
    const knex = db.orm.em.getKnex();
    const total = (schoolId: number, participants: number | null, count: number | null) =>
      knex.raw(`insert into school_exam_total (school_id, year, procedure, participants, count_sum3_220) values (?, 2025, 'EGE', ?, ?)`, [schoolId, participants, count]);
    await total(s1.id, 40, 10);
    await total(s2.id, 60, 5);
    await total(s3.id, 20, null); // published without the count: its participants count in neither number
    // The municipality of s3 has a published value, which stays.
    await knex.raw(`insert into benchmark_exam_total (year, procedure, level, region_id, municipality_id, participants, percent_sum3_220) values (2025, 'EGE', 'MUNICIPALITY', ?, ?, 21, 9.5)`, [region.id, m2.id]);
    const values = async () =>
      (await knex.raw(`select level, municipality_id, participants, round(percent_sum3_220::numeric, 2)::float8 as percent, source from benchmark_exam_total where region_id = ? order by level, municipality_id`, [region.id])).rows;

    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [s1.id, s2.id, s3.id], years: [2025] });
    expect(await values()).toEqual([
      { level: 'REGION', municipality_id: null, participants: 100, percent: 15, source: 'computed' },
      { level: 'MUNICIPALITY', municipality_id: m1.id, participants: 100, percent: 15, source: 'computed' },
      { level: 'MUNICIPALITY', municipality_id: m2.id, participants: 21, percent: 9.5, source: 'imported' },
    ]);

    await knex.raw(`delete from school_exam_total where school_id = any(?::int[])`, [[s1.id, s2.id]]);
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [s1.id, s2.id, s3.id], years: [2025] });
    // s3 gives no count: no school is left to compute from, and the computed values go.
    expect(await values()).toEqual([{ level: 'MUNICIPALITY', municipality_id: m2.id, participants: 21, percent: 9.5, source: 'imported' }]);
  });
});
