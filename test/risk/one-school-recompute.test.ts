import { AggregateService } from '../../src/assessments/aggregate.service';
import { createOrm, type MikroORM } from '../../src/db/orm';
import { generateRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { RiskRecomputeService } from '../../src/risk/recompute/risk-recompute.service';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * A recompute of one school gives that school the rows a recompute of the whole region gives it — with the
 * region inputs a process keeps between recomputes (region-results.ts, region-p-values.ts) and without them,
 * before and after the school's data change — and writes no other school's rows.
 */
describe('risk recompute of one school', () => {
  let db: TestDatabase;
  let schoolIds: number[];

  const indicatorRows = async (schoolId: number) =>
    (
      await db.orm.em.getKnex().raw(
        `select school_id, year, assessment_id, check_code, indicator, status, marker, value, p_value, q_value, warnings, explanation_ru, evidence, methodology_version, config_id
         from risk_indicator_value where school_id = ? order by year, check_code, assessment_id nulls first`,
        [schoolId],
      )
    ).rows;
  const zoneRows = async (schoolId: number) =>
    (
      await db.orm.em.getKnex().raw(
        `select school_id, year, objectivity, low_results, objectivity_markers, low_results_markers, objectivity_years, low_results_years, priority, explanation_ru, details, methodology_version, config_id
         from risk_zone where school_id = ? order by year`,
        [schoolId],
      )
    ).rows;
  const rowsOf = async (schoolId: number) => ({ indicators: await indicatorRows(schoolId), zones: await zoneRows(schoolId) });
  const rowIds = async () => (await db.orm.em.getKnex().raw(`select school_id, array_agg(id order by id) as ids from risk_indicator_value group by school_id order by school_id`)).rows;

  const recompute = (schoolIds: number[] | null, orm: MikroORM = db.orm) => new RiskRecomputeService(orm.em.fork()).recompute({ schoolIds });
  /** The same database through a pool of its own: a process that has kept nothing of the region. */
  const withColdProcess = async <T>(work: (orm: MikroORM) => Promise<T>): Promise<T> => {
    const orm = await createOrm({ databaseUrl: db.url });
    try {
      return await work(orm);
    } finally {
      await orm.close(true);
    }
  };
  const reaggregate = (schoolId: number) => new AggregateService(db.orm.em.fork()).recompute({ schoolIds: [schoolId], years: [2025] });
  /** A school of the region with results of `procedure` in 2025 where some «3» can become «2» (or «4» «5»). */
  const schoolWith = async (procedure: string, mark: number, except: number[]) => {
    const { rows } = await db.orm.em.getKnex().raw(
      `select pr.school_id, pr.assessment_id from participant_result pr join assessment a on a.id = pr.assessment_id
       where a.procedure = ? and a.year = 2025 and pr.mark = ? and not (pr.school_id = any(?::int[]))
       group by 1, 2 having count(*) >= 6 order by count(*) desc, 1, 2 limit 1`,
      [procedure, mark, `{${except.join(',')}}`],
    );
    return { schoolId: rows[0].school_id as number, assessmentId: rows[0].assessment_id as number };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const region = generateRegion({ seed: 31, schools: 40, anomalyRate: 0.2 });
    const load = await loadRegion(db.url, region, createLogger('silent'));
    schoolIds = [...load.schoolIds.values()].sort((a, b) => a - b);
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    await withColdProcess((orm) => recompute(null, orm)); // the reference: nothing kept from before the change
  }, 180_000);
  afterAll(() => db.drop());

  it('gives the rows of the full recompute, kept region inputs or none, and rewrites no other school', async () => {
    const picked = [schoolIds[0], schoolIds[17], schoolIds[schoolIds.length - 1]];
    const full = await Promise.all(picked.map(rowsOf));
    expect(full[0].indicators.length).toBeGreaterThan(20);
    const idsBefore = await rowIds();

    for (const schoolId of picked) await recompute([schoolId]);
    expect(await Promise.all(picked.map(rowsOf))).toEqual(full);
    await withColdProcess(async (orm) => {
      for (const schoolId of picked) await recompute([schoolId], orm);
    });
    expect(await Promise.all(picked.map(rowsOf))).toEqual(full);

    const idsAfter = await rowIds();
    const untouched = (rows: { school_id: number }[]) => rows.filter((r) => !picked.includes(r.school_id));
    expect(untouched(idsAfter)).toEqual(untouched(idsBefore));
  });

  it('after the school’s ОГЭ results change, gives what a full recompute gives (the region’s baselines move too)', async () => {
    const { schoolId, assessmentId } = await schoolWith('OGE', 3, []);
    const before = await rowsOf(schoolId);
    const other = schoolIds.find((id) => id !== schoolId)!;
    const otherBefore = await rowsOf(other);
    await recompute([other]); // this process now holds the region as it was
    await db.orm.em.getKnex().raw(
      `update participant_result set mark = 2 where school_id = ? and assessment_id = ? and mark = 3`,
      [schoolId, assessmentId],
    );
    await reaggregate(schoolId);

    await recompute([schoolId]);
    const one = await rowsOf(schoolId);
    expect(one).not.toEqual(before);
    await withColdProcess((orm) => recompute(null, orm)); // the reference: nothing kept from before the change
    expect(await rowsOf(schoolId)).toEqual(one);
    // The shares of «2» of every school are shrunk by a region model that now includes the change.
    expect((await rowsOf(other)).indicators).not.toEqual(otherBefore.indicators);
  });

  it('after the school’s in-depth study flag changes, gives what a full recompute gives', async () => {
    const { schoolId } = await schoolWith('VPR', 4, []);
    const before = await rowsOf(schoolId);
    await db.orm.em.getKnex().raw(`update school_context set in_depth_study = not in_depth_study where school_id = ? and year = 2025`, [schoolId]);

    await recompute([schoolId]);
    const one = await rowsOf(schoolId);
    expect(one).not.toEqual(before);
    await withColdProcess((orm) => recompute(null, orm)); // the reference: nothing kept from before the change
    expect(await rowsOf(schoolId)).toEqual(one);
  });

  it('after the school’s ВПР results change and another process recomputes it, gives every school what it gives without kept inputs', async () => {
    const { schoolId, assessmentId } = await schoolWith('VPR', 4, []);
    // Another school of the same assessment: its correction across schools takes in the changed school's p-value.
    const { rows } = await db.orm.em.getKnex().raw(
      `select school_id from school_result where assessment_id = ? and school_id <> ? order by participants desc, school_id limit 1`,
      [assessmentId, schoolId],
    );
    const neighbour: number = rows[0].school_id;
    await recompute([neighbour]); // this process now holds the region and its p-values as they were
    await db.orm.em.getKnex().raw(
      `update participant_result set mark = 5, primary_score = primary_score + 1 where school_id = ? and assessment_id = ? and mark = 4`,
      [schoolId, assessmentId],
    );
    await reaggregate(schoolId);
    await withColdProcess((orm) => recompute([schoolId], orm)); // new p-values, written by someone else

    await recompute([neighbour]);
    const neighbourWarm = await rowsOf(neighbour);
    await recompute([schoolId]);
    const warm = await rowsOf(schoolId);
    await withColdProcess(async (orm) => {
      await recompute([neighbour], orm);
      await recompute([schoolId], orm);
    });
    expect(await rowsOf(neighbour)).toEqual(neighbourWarm);
    expect(await rowsOf(schoolId)).toEqual(warm);

    // Every school's evidence is computed from the region snapshot (methodology v2), so a one-school recompute
    // after the change gives exactly what a full recompute from nothing gives — every value, every zone.
    await withColdProcess((orm) => recompute(null, orm)); // the reference: nothing kept from before the change
    expect(await rowsOf(schoolId)).toEqual(warm);
  });
});
