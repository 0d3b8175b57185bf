import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';

describe('database model (migrations)', () => {
  let db: TestDatabase;
  let data: TestData;

  beforeAll(async () => {
    db = await createTestDatabase();
    data = new TestData(db.orm.em.fork());
  });
  afterAll(() => db.drop());

  const knex = () => db.orm.em.getKnex();

  it('partitions participant results by year, one partition per year', async () => {
    const { rows } = await knex().raw(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
       where p.relname = 'participant_result' order by c.relname`,
    );
    const names = rows.map((r: { relname: string }) => r.relname);
    expect(names).toEqual(expect.arrayContaining(['participant_result_2023', 'participant_result_2024', 'participant_result_2025', 'participant_result_default']));
    await knex().raw('select ensure_participant_partition(2031)');
    const created = await knex().raw(`select to_regclass('participant_result_2031') as t`);
    expect(created.rows[0].t).toBe('participant_result_2031');
  });

  it('routes rows to their year partition and keeps "not done" (null) apart from 0', async () => {
    const region = await data.region('77');
    const school = await data.school(await data.municipality(region, '01'));
    const assessment = await data.assessment({ year: 2024 });
    await data.participants(school, assessment, [{ code: 'A1', tasks: [2, null, 0, 1], mark: 3 }]);
    const { rows } = await knex().raw(`select task_scores, primary_score, tableoid::regclass::text as part from participant_result where participant_code = 'A1'`);
    expect(rows[0].part).toBe('participant_result_2024');
    expect(rows[0].task_scores).toEqual([2, null, 0, 1]);
    expect(rows[0].primary_score).toBe(3);
  });

  it('refuses a duplicate participant in the same school and assessment', async () => {
    const region = await data.region('78');
    const school = await data.school(await data.municipality(region, '01'));
    const assessment = await data.assessment({ year: 2025, subjectCode: 'MATH' });
    await data.participants(school, assessment, [{ code: 'D1', tasks: [1, 1, 1, 1], mark: 3 }]);
    await expect(data.participants(school, assessment, [{ code: 'D1', tasks: [0, 0, 0, 0], mark: 2 }])).rejects.toThrow(/participant_result.*unique|duplicate key/);
  });

  it('refuses marks outside 2–5, negative scores and malformed boundaries', async () => {
    const region = await data.region('79');
    const school = await data.school(await data.municipality(region, '01'));
    const assessment = await data.assessment({ year: 2023, grade: 5 });
    await expect(data.participants(school, assessment, [{ code: 'M6', tasks: [1, 1, 1, 1], mark: 6 }])).rejects.toThrow(/check constraint/);
    await expect(data.participants(school, assessment, [{ code: 'NEG', tasks: null, primary: -1, mark: 2 }])).rejects.toThrow(/check constraint/);
    await expect(knex().raw(`update assessment set mark_boundaries = '{1,2}' where id = ?`, [assessment.id])).rejects.toThrow(/check constraint/);
  });

  it('keeps aliases unique per kind, so any alias resolves exactly one school', async () => {
    const region = await data.region('80');
    const municipality = await data.municipality(region, '01');
    await data.school(municipality, { login: 'sch800001' });
    await expect(data.school(municipality, { login: 'sch800001' })).rejects.toThrow(/school_alias_kind_value_unique/);
  });

  it('has no column that could hold a personal name', async () => {
    const { rows } = await knex().raw(
      `select table_name, column_name from information_schema.columns
       where table_schema = 'public' and column_name ~* '(surname|first_?name|last_?name|patronymic|fio|middle_?name)'`,
    );
    expect(rows).toEqual([]);
  });
});
