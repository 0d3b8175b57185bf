import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { hubError } from '../../graphql/errors';
import { School } from '../../territory/school.entity';
import { COMPARISON_ROLES } from '../shared/roles';
import { CohortService } from './cohort.service';
import { CohortArgs, SchoolCohortsType } from './cohort.types';

@Resolver(() => SchoolCohortsType)
export class CohortResolver {
  @Authorized(...COMPARISON_ROLES)
  @Query(() => [SchoolCohortsType], { description: 'Когорты ОО по годам (ВПР 4 → ВПР 5 → …, ВПР 8 → ОГЭ 9) по процентильному рангу среди ОО региона' })
  cohorts(@Args() args: CohortArgs, @Ctx() ctx: RequestContext): Promise<SchoolCohortsType[]> {
    return new CohortService(ctx.em, ctx.principal).cohorts(args);
  }

  @FieldResolver(() => School)
  async school(@Root() cohorts: SchoolCohortsType, @Ctx() ctx: RequestContext): Promise<School> {
    const school = await ctx.loaders.school.load(cohorts.schoolId);
    if (!school) throw hubError('NOT_FOUND', `ОО "${cohorts.code}" недоступна`);
    return school;
  }
}
