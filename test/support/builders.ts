import type { EntityManager } from '@mikro-orm/postgresql';
import { Assessment, type AssessmentTask } from '../../src/assessments/assessment.entity';
import { Procedure, TaskLevel } from '../../src/assessments/enums';
import { Subject } from '../../src/assessments/subject.entity';
import { AliasKind, SchoolType } from '../../src/territory/enums';
import { Municipality } from '../../src/territory/municipality.entity';
import { Region } from '../../src/territory/region.entity';
import { SchoolAlias } from '../../src/territory/school-alias.entity';
import { School } from '../../src/territory/school.entity';

/** Small, explicit test data: each test states what it needs instead of sharing a large fixture. */
export class TestData {
  private counter = 0;

  constructor(readonly em: EntityManager) {}

  async region(code = '99', name = 'Тестовая область'): Promise<Region> {
    const region = this.em.create(Region, { code, name });
    await this.em.persistAndFlush(region);
    return region;
  }

  async municipality(region: Region, code: string, name = `Муниципалитет ${code}`): Promise<Municipality> {
    const municipality = this.em.create(Municipality, { region, code, name });
    await this.em.persistAndFlush(municipality);
    return municipality;
  }

  async school(municipality: Municipality, options: { name?: string; type?: SchoolType; urban?: boolean; login?: string; rcoi?: string; inn?: string } = {}): Promise<School> {
    const n = ++this.counter;
    const school = this.em.create(School, {
      region: municipality.region,
      municipality,
      name: options.name ?? `МБОУ СОШ № ${n}`,
      type: options.type ?? SchoolType.SOSH,
      urban: options.urban ?? true,
    });
    this.em.persist(school);
    const login = options.login ?? `sch${municipality.region.code}${municipality.code}${String(n).padStart(3, '0')}`;
    this.em.persist(this.em.create(SchoolAlias, { school, kind: AliasKind.FISOKO_LOGIN, value: login }));
    if (options.rcoi) this.em.persist(this.em.create(SchoolAlias, { school, kind: AliasKind.RCOI_CODE, value: options.rcoi }));
    if (options.inn) this.em.persist(this.em.create(SchoolAlias, { school, kind: AliasKind.INN, value: options.inn }));
    await this.em.flush();
    return school;
  }

  async subject(code: string, name = code): Promise<Subject> {
    const existing = await this.em.findOne(Subject, { code });
    if (existing) return existing;
    const subject = this.em.create(Subject, { code, name });
    await this.em.persistAndFlush(subject);
    return subject;
  }

  async assessment(options: {
    procedure?: Procedure;
    year: number;
    subjectCode?: string;
    grade?: number;
    maxPrimary?: number | null;
    boundaries?: number[] | null;
    tasks?: AssessmentTask[];
    minimumTestScore?: number | null;
  }): Promise<Assessment> {
    const tasks = options.tasks ?? [
      { number: '1', level: TaskLevel.BASIC, maxPoints: 2 },
      { number: '2', level: TaskLevel.BASIC, maxPoints: 2 },
      { number: '3', level: TaskLevel.ADVANCED, maxPoints: 3 },
      { number: '4', level: TaskLevel.HIGH, maxPoints: 3 },
    ];
    const assessment = this.em.create(Assessment, {
      procedure: options.procedure ?? Procedure.VPR,
      year: options.year,
      session: options.procedure === Procedure.VPR || !options.procedure ? 'spring' : 'main',
      subject: await this.subject(options.subjectCode ?? 'RUS', options.subjectCode === 'MATH' ? 'Математика' : 'Русский язык'),
      grade: options.grade ?? 4,
      maxPrimary: options.maxPrimary === undefined ? tasks.reduce((sum, t) => sum + t.maxPoints, 0) : options.maxPrimary,
      markBoundaries: options.boundaries === undefined ? [3, 5, 8] : options.boundaries,
      minimumTestScore: options.minimumTestScore ?? null,
      tasks,
    });
    await this.em.persistAndFlush(assessment);
    return assessment;
  }

  /** Participant rows through plain SQL (the table is partitioned and normally written by COPY). */
  async participants(
    school: School,
    assessment: Assessment,
    rows: { code?: string; tasks?: (number | null)[] | null; primary?: number; mark?: number | null; journal?: number | null; test?: number | null }[],
  ): Promise<void> {
    const knex = this.em.getKnex();
    await knex.raw('select ensure_participant_partition(?)', [assessment.year]);
    let i = 0;
    for (const row of rows) {
      i++;
      const tasks = row.tasks ?? null;
      const primary = row.primary ?? (tasks ?? []).reduce<number>((sum, s) => sum + (s ?? 0), 0);
      await knex.raw(
        `insert into participant_result (year, assessment_id, school_id, participant_code, task_scores, primary_score, mark, journal_mark, test_score)
         values (?, ?, ?, ?, ?::smallint[], ?, ?, ?, ?)`,
        [assessment.year, assessment.id, school.id, row.code ?? `P${i}`, tasks ? `{${tasks.map((t) => (t === null ? 'NULL' : t)).join(',')}}` : null, primary, row.mark ?? null, row.journal ?? null, row.test ?? null],
      );
    }
  }
}

