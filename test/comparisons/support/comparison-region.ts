import type { EntityManager } from '@mikro-orm/postgresql';
import { AggregateService } from '../../../src/assessments/aggregate.service';
import type { Assessment } from '../../../src/assessments/assessment.entity';
import { BenchmarkResult } from '../../../src/assessments/benchmark-result.entity';
import { Procedure } from '../../../src/assessments/enums';
import { BenchmarkLevel, SchoolType } from '../../../src/territory/enums';
import { markFor } from '../../../src/assessments/marks';
import { SchoolContext } from '../../../src/schools/school-context.entity';
import type { School } from '../../../src/territory/school.entity';
import { TestData } from '../../support/builders';

/**
 * A small region whose numbers can be checked by hand. Region 77: municipality 7701 holds exactly two schools
 * (a1, a2) and 7702 one (b1), so «the municipality without a1» is a2 and «the region without a1» is a2 + b1.
 * Region 78 holds one school (`other`). ВПР Russian grade 4 in 2022–2025 (a1 improves every year), ОГЭ maths
 * and ЕГЭ Russian (with a primary → test conversion) in 2025, Russia's published values for each.
 */
export interface ComparisonRegion {
  schools: Record<'a1' | 'a2' | 'b1' | 'other', School>;
  logins: Record<'a1' | 'a2' | 'b1' | 'other', string>;
  vpr: Record<number, Assessment>;
  oge: Assessment;
  ege: Assessment;
  russia: { percent2: number; percent3: number; percent4: number; percent5: number; meanPercent: number; meanTestScore: number };
}

export const EGE_TEST_SCALE = [0, 8, 16, 24, 32, 40, 52, 64, 76, 88, 100];
const VPR_BASE = [1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 9, 9, 10];

const pupils = (scores: number[], journal: boolean) =>
  scores.map((primary, i) => {
    const mark = markFor(primary, [3, 5, 8]);
    return { code: `P${i + 1}`, primary, mark, journal: journal ? Math.min(5, mark + (i % 3 === 0 ? 1 : 0)) : null };
  });

/** a1's ВПР scores: the same class, a few pupils a point better each year. */
export const a1VprScores = (year: number) => VPR_BASE.map((s, i) => Math.min(10, s + (i % 4 === 0 ? year - 2022 : 0)));

export async function buildComparisonRegion(em: EntityManager): Promise<ComparisonRegion> {
  const data = new TestData(em);
  const region = await data.region('77', 'Регион 77');
  const otherRegion = await data.region('78', 'Регион 78');
  const mA = await data.municipality(region, '7701', 'Муниципалитет А');
  const mB = await data.municipality(region, '7702', 'Муниципалитет Б');
  const mOther = await data.municipality(otherRegion, '7801', 'Муниципалитет региона 78');
  const logins = { a1: 'sch770001', a2: 'sch770002', b1: 'sch770101', other: 'sch780001' };
  const schools = {
    a1: await data.school(mA, { login: logins.a1, name: 'Школа А1', type: SchoolType.SOSH, urban: true, rcoi: '77-0001' }),
    a2: await data.school(mA, { login: logins.a2, name: 'Лицей А2', type: SchoolType.LYCEUM, urban: true }),
    b1: await data.school(mB, { login: logins.b1, name: 'Школа Б1', type: SchoolType.OOSH, urban: false }),
    other: await data.school(mOther, { login: logins.other, name: 'Школа региона 78', type: SchoolType.SOSH, urban: true }),
  };
  const contexts: [School, number, number, number][] = [
    [schools.a1, 600, 0.04, 0.5],
    [schools.a2, 900, 0.01, 0.8],
    [schools.b1, 90, 0.12, 0.2],
    [schools.other, 400, 0.05, 0.6],
  ];
  for (const year of [2022, 2023, 2024, 2025]) {
    for (const [school, enrolment, shareDisabled, socialIndex] of contexts) {
      em.persist(em.create(SchoolContext, { school, year, type: school.type!, urban: school.urban!, enrolment, shareDisabled, socialIndex }));
    }
  }
  await em.flush();

  const vpr: Record<number, Assessment> = {};
  for (const year of [2022, 2023, 2024, 2025]) {
    vpr[year] = await data.assessment({ year, procedure: Procedure.VPR, subjectCode: 'RUS', grade: 4, boundaries: [3, 5, 8] });
    await data.participants(schools.a1, vpr[year], pupils(a1VprScores(year), true));
    await data.participants(schools.a2, vpr[year], pupils([5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 4, 6, 7, 8, 9, 10, 5, 8], true));
    await data.participants(schools.b1, vpr[year], pupils([0, 1, 2, 2, 3, 4, 5, 6], true));
    await data.participants(schools.other, vpr[year], pupils([3, 4, 5, 6, 7, 8, 9, 2, 5, 6, 7, 8, 4, 6, 7], true));
  }
  const oge = await data.assessment({ year: 2025, procedure: Procedure.OGE, subjectCode: 'MATH', grade: 9, boundaries: [3, 5, 8] });
  await data.participants(schools.a1, oge, pupils([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 6, 7], false));
  await data.participants(schools.a2, oge, pupils([4, 5, 6, 7, 8, 9, 10, 9, 8, 7], false));
  await data.participants(schools.b1, oge, pupils([0, 1, 2, 3, 4, 5], false));
  const ege = await data.assessment({ year: 2025, procedure: Procedure.EGE, subjectCode: 'RUS', grade: 11, boundaries: null, minimumTestScore: 24 });
  ege.testScale = EGE_TEST_SCALE;
  await em.flush();
  const egePupils = (scores: number[]) => scores.map((primary, i) => ({ code: `E${i + 1}`, primary, test: EGE_TEST_SCALE[primary] }));
  await data.participants(schools.a1, ege, egePupils([2, 3, 4, 5, 6, 7, 8, 9, 10, 6]));
  await data.participants(schools.a2, ege, egePupils([5, 6, 7, 8, 9, 10, 9, 8]));

  await new AggregateService(em).recompute({ schoolIds: null, years: [2022, 2023, 2024, 2025] });
  const russia = { percent2: 10, percent3: 30, percent4: 40, percent5: 20, meanPercent: 55, meanTestScore: 60 };
  for (const assessment of [...Object.values(vpr), oge, ege]) {
    em.persist(em.create(BenchmarkResult, { assessment, level: BenchmarkLevel.RUSSIA, participants: 1_000_000, ...russia, source: 'imported' }));
  }
  await em.flush();
  return { schools, logins, vpr, oge, ege, russia };
}
