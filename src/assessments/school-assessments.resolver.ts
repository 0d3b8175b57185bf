import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { School } from '../territory/school.entity';
import { ConductConditions } from './conduct-conditions.entity';
import { RecheckResult } from './recheck-result.entity';
import { normaliseResultFilter, ResultFilter } from './result-filter.input';
import { SchoolResult } from './school-result.entity';

const yearsKey = (years: number[] | null | undefined) => (years?.length ? [...years].sort() : null);

/**
 * A school's fields that come from its assessments — results, conduct conditions, rechecks — added to School here,
 * as risk adds its zones and recommendations its plan, so src/schools needs nothing from src/assessments.
 */
@Resolver(() => School)
export class SchoolAssessmentsResolver {
  @FieldResolver(() => [SchoolResult], { description: 'Результаты ОО по процедурам' })
  results(
    @Root() school: School,
    @Arg('filter', () => ResultFilter, { nullable: true }) filter: ResultFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolResult[]> {
    return ctx.loaders.resultsBySchool.load({ id: school.id, filter: normaliseResultFilter(filter) });
  }

  @FieldResolver(() => [ConductConditions], { description: 'Условия проведения и проверки' })
  conductConditions(
    @Root() school: School,
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ConductConditions[]> {
    return ctx.loaders.conductBySchool.load({ id: school.id, filter: yearsKey(years) });
  }

  @FieldResolver(() => [RecheckResult], { description: 'Результаты перепроверок работ' })
  rechecks(
    @Root() school: School,
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<RecheckResult[]> {
    return ctx.loaders.rechecksBySchool.load({ id: school.id, filter: yearsKey(years) });
  }
}
