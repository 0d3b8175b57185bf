/**
 * A school's totals over a procedure's subjects in a year (school_exam_total, imported by `school-results` rows without
 * a subject): graduates who sat the procedure and those with ≥ 220 test points over three ЕГЭ subjects. One statement
 * per request for every school asked (the request's examTotalsBySchool loader).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { manyLoader } from '../shared/batch';
import { School } from '../territory/school.entity';
import { Procedure } from './enums';

@ObjectType('SchoolExamTotal', { description: 'Итог ОО по процедуре за год по всем предметам (из открытых данных и отчётов)' })
export class SchoolExamTotalType {
  @Field(() => Int) year!: number;
  @Field(() => Procedure) procedure!: Procedure;
  @Field(() => Int, { nullable: true, description: 'Выпускников, сдававших процедуру' }) participants!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: выпускников с суммой 220 и более тестовых баллов по трём предметам' }) countSum3_220!: number | null;
  @Field(() => Float, { nullable: true, description: 'Доля набравших 220 и более по трём предметам среди сдававших, 0–1' }) shareSum3_220!: number | null;
}

interface Row {
  school_id: number;
  year: number;
  procedure: Procedure;
  participants: number | null;
  count_sum3_220: number | null;
}

/** The request's loader of schools' totals: one statement for every school asked. */
export function createExamTotalLoaders(em: EntityManager) {
  return {
    examTotalsBySchool: manyLoader(
      async (ids) =>
        (await em.getKnex().raw(`select school_id, year, procedure::text as procedure, participants, count_sum3_220 from school_exam_total where school_id in (${ids.map(Number).join(',')}) order by year, procedure`)).rows as Row[],
      (row) => row.school_id,
    ),
  };
}

type ExamTotalLoaders = ReturnType<typeof createExamTotalLoaders>;

declare module '../graphql/context' {
  interface Loaders extends ExamTotalLoaders {}
}

@Resolver(() => School)
export class SchoolExamTotalResolver {
  @FieldResolver(() => [SchoolExamTotalType], { description: 'Итоги ОО по процедурам за годы по всем предметам (выпускники, 220 и более по трём предметам ЕГЭ)' })
  async examTotals(@Root() school: School, @Arg('years', () => [Int], { nullable: true }) years: number[] | null, @Ctx() ctx: RequestContext): Promise<SchoolExamTotalType[]> {
    const rows = await ctx.loaders.examTotalsBySchool.load(school.id);
    return rows
      .filter((row) => !years?.length || years.includes(row.year))
      .map((row) => ({
        year: row.year,
        procedure: row.procedure,
        participants: row.participants,
        countSum3_220: row.count_sum3_220,
        shareSum3_220: row.count_sum3_220 === null || !row.participants ? null : row.count_sum3_220 / row.participants,
      }));
  }
}
