import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Assessment } from './assessment.entity';
import { AssessmentFilter, AssessmentScale } from './assessment.types';
import { BenchmarkResult } from './benchmark-result.entity';
import { BenchmarkLevel } from './enums';
import { scaleOf } from './scale';
import { Subject } from './subject.entity';

@Resolver(() => Assessment)
export class AssessmentResolver {
  @Query(() => [Assessment], { description: 'Оценочные процедуры с отбором' })
  assessments(@Arg('filter', () => AssessmentFilter, { nullable: true }) filter: AssessmentFilter | null, @Ctx() ctx: RequestContext): Promise<Assessment[]> {
    return ctx.em.find(
      Assessment,
      {
        ...(filter?.years?.length ? { year: { $in: filter.years } } : {}),
        ...(filter?.procedure ? { procedure: filter.procedure } : {}),
        ...(filter?.grade ? { grade: filter.grade } : {}),
        ...(filter?.subjectCode ? { subject: { code: filter.subjectCode } } : {}),
      },
      { orderBy: { year: 'asc', procedure: 'asc', grade: 'asc', id: 'asc' } },
    );
  }

  @Query(() => [Subject], { description: 'Предметы' })
  subjects(@Ctx() ctx: RequestContext): Promise<Subject[]> {
    return ctx.em.find(Subject, {}, { orderBy: { code: 'asc' } });
  }

  @FieldResolver(() => Subject)
  async subject(@Root() assessment: Assessment, @Ctx() ctx: RequestContext): Promise<Subject> {
    return (await ctx.loaders.subject.load(assessment.subject.id))!;
  }

  @FieldResolver(() => AssessmentScale, { nullable: true, description: 'Шкала; null, если неизвестна' })
  scale(@Root() assessment: Assessment): AssessmentScale | null {
    return scaleOf(assessment);
  }

  @FieldResolver(() => [BenchmarkResult], { description: 'Эталонные значения: Россия, регионы, муниципалитеты' })
  async benchmarks(
    @Root() assessment: Assessment,
    @Arg('level', () => BenchmarkLevel, { nullable: true }) level: BenchmarkLevel | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BenchmarkResult[]> {
    const all = await ctx.loaders.benchmarksByAssessment.load(assessment.id);
    return level ? all.filter((b) => b.level === level) : all;
  }
}
