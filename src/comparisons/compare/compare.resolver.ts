import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Assessment } from '../../assessments/assessment.entity';
import { Subject } from '../../assessments/subject.entity';
import type { RequestContext } from '../../graphql/context';
import { hubError } from '../../graphql/errors';
import { School } from '../../territory/school.entity';
import { COMPARISON_ROLES } from '../shared/roles';
import { CompareSchoolsArgs } from './compare.args';
import { CompareService } from './compare.service';
import { ComparedAssessmentType, ComparedSchoolType, ComparisonYearType, SchoolComparisonType } from './compare.types';

@Resolver()
export class CompareResolver {
  @Authorized(...COMPARISON_ROLES)
  @Query(() => SchoolComparisonType, {
    description: 'Сравнение 1–50 ОО по годам с муниципалитетом, регионом и Россией: разности с доверительными интервалами, тренды',
  })
  compareSchools(@Args() args: CompareSchoolsArgs, @Ctx() ctx: RequestContext): Promise<SchoolComparisonType> {
    return new CompareService(ctx.em, ctx.principal).compare(args);
  }
}

@Resolver(() => ComparedSchoolType)
export class ComparedSchoolResolver {
  @FieldResolver(() => School)
  async school(@Root() compared: ComparedSchoolType, @Ctx() ctx: RequestContext): Promise<School> {
    const school = await ctx.loaders.school.load(compared.schoolId);
    if (!school) throw hubError('NOT_FOUND', `ОО "${compared.code}" недоступна`);
    return school;
  }
}

@Resolver(() => ComparedAssessmentType)
export class ComparedAssessmentResolver {
  @FieldResolver(() => Subject)
  async subject(@Root() compared: ComparedAssessmentType, @Ctx() ctx: RequestContext): Promise<Subject> {
    return (await ctx.loaders.subject.load(compared.subjectId))!;
  }
}

@Resolver(() => ComparisonYearType)
export class ComparisonYearResolver {
  @FieldResolver(() => Assessment)
  async assessment(@Root() year: ComparisonYearType, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(year.assessmentId))!;
  }
}
