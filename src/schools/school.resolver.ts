import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { ConductConditions } from '../assessments/conduct-conditions.entity';
import { RecheckResult } from '../assessments/recheck-result.entity';
import { normaliseResultFilter, ResultFilter } from '../assessments/result-filter.input';
import { SchoolResult } from '../assessments/school-result.entity';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { PageArgs } from '../graphql/pagination';
import { Municipality } from './municipality.entity';
import { Region } from './region.entity';
import { SchoolAlias } from './school-alias.entity';
import { SchoolContext } from './school-context.entity';
import { SchoolFilter } from './school-filter.input';
import { School } from './school.entity';
import { SchoolService } from './school.service';
import { SchoolConnection, SchoolLookupArgs } from './school.types';

const yearsKey = (years: number[] | null | undefined) => (years?.length ? [...years].sort() : null);

@Resolver(() => School)
export class SchoolResolver {
  @Query(() => SchoolConnection, { description: 'Список ОО с отбором и постраничной выдачей' })
  async schools(
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolConnection> {
    return SchoolConnection.from(await new SchoolService(ctx.em, ctx.principal).list(filter, page.first, page.after));
  }

  @Query(() => School, { nullable: true, description: 'ОО по любому коду (логин ФИС ОКО, код РЦОИ, ИНН) или по id' })
  async school(@Args() lookup: SchoolLookupArgs, @Ctx() ctx: RequestContext): Promise<School | null> {
    const service = new SchoolService(ctx.em, ctx.principal);
    if ((lookup.code == null) === (lookup.id == null)) throw badInput('Укажите ровно один аргумент: code или id', 'code');
    if (lookup.id != null) {
      const id = Number(lookup.id);
      if (!Number.isSafeInteger(id)) throw badInput(`Неверный id ОО: "${lookup.id}"`, 'id');
      return service.findById(id);
    }
    return service.findByCode(lookup.code!);
  }

  @FieldResolver(() => Region)
  async region(@Root() school: School, @Ctx() ctx: RequestContext): Promise<Region> {
    return (await ctx.loaders.region.load(school.region.id))!;
  }

  @FieldResolver(() => Municipality)
  async municipality(@Root() school: School, @Ctx() ctx: RequestContext): Promise<Municipality> {
    return (await ctx.loaders.municipality.load(school.municipality.id))!;
  }

  @FieldResolver(() => [SchoolAlias], { description: 'Коды ОО в источниках данных' })
  aliases(@Root() school: School, @Ctx() ctx: RequestContext): Promise<SchoolAlias[]> {
    return ctx.loaders.aliasesBySchool.load(school.id);
  }

  @FieldResolver(() => [SchoolContext], { description: 'Контекстные данные по годам' })
  async contexts(
    @Root() school: School,
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolContext[]> {
    const all = await ctx.loaders.contextsBySchool.load(school.id);
    return years?.length ? all.filter((c) => years.includes(c.year)) : all;
  }

  @FieldResolver(() => SchoolContext, { nullable: true, description: 'Контекстные данные за год' })
  async context(@Root() school: School, @Arg('year', () => Int) year: number, @Ctx() ctx: RequestContext): Promise<SchoolContext | null> {
    return (await ctx.loaders.contextsBySchool.load(school.id)).find((c) => c.year === year) ?? null;
  }

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
