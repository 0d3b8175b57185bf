import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../shared/role';
import type { RequestContext } from '../graphql/context';
import { parseId } from '../graphql/errors';
import { Assessment } from './assessment.entity';
import { AssessmentFilter, AssessmentScale } from './assessment.types';
import { BenchmarkResult } from './benchmark-result.entity';
import { BenchmarkLevel } from '../territory/enums';
import { ConfirmScaleInput, ProvisionalScales, ScaleConfirmation } from './provisional-scale.types';
import { ProvisionalScaleService } from './provisional-scales.service';
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

  @Query(() => [ProvisionalScales], { description: 'Предварительные шкалы регионов по процедурам без подтверждённой шкалы (администратор)' })
  @Authorized(Role.ADMIN)
  provisionalScales(
    @Arg('assessmentId', () => ID, { nullable: true }) assessmentId: string | null,
    @Arg('onlyDisagreeing', { defaultValue: false, description: 'Только процедуры, где шкалы регионов различаются' }) onlyDisagreeing: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<ProvisionalScales[]> {
    const id = assessmentId === null || assessmentId === undefined ? null : parseId(assessmentId, 'assessmentId', 'процедуры');
    return new ProvisionalScaleService(ctx).list({ assessmentId: id, onlyDisagreeing });
  }

  @Mutation(() => ScaleConfirmation, { nullable: true, description: 'Подтвердить предварительную шкалу региона: она станет общей для всех регионов (администратор)' })
  @Authorized(Role.ADMIN)
  confirmAssessmentScale(@Arg('input', () => ConfirmScaleInput) input: ConfirmScaleInput, @Ctx() ctx: RequestContext): Promise<ScaleConfirmation> {
    return new ProvisionalScaleService(ctx).confirm(parseId(input.assessmentId, 'input.assessmentId', 'процедуры'), parseId(input.regionId, 'input.regionId', 'региона'));
  }

  @FieldResolver(() => AssessmentScale, {
    nullable: true,
    description: 'Шкала, действующая для региона ключа: подтверждённая, а пока её нет — предварительная шкала региона; null, если неизвестна',
  })
  async scale(@Root() assessment: Assessment, @Ctx() ctx: RequestContext): Promise<AssessmentScale | null> {
    return scaleOf(assessment) ?? (await ctx.loaders.provisionalScale.load(assessment.id));
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
