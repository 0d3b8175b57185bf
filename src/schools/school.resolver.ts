import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { PageArgs } from '../graphql/pagination';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { SchoolAlias } from '../territory/school-alias.entity';
import { SchoolContext } from './school-context.entity';
import { SchoolFilter } from './school-filter.input';
import { School } from '../territory/school.entity';
import { SchoolService } from './school.service';
import { SchoolConnection, SchoolLookupArgs } from './school.types';

/** Schools just read within the scope need no second read when a nested field (a result's benchmarks) asks again. */
function primeSchools(ctx: RequestContext, schools: readonly School[]): void {
  for (const school of schools) ctx.loaders.school.prime(school.id, school);
}

@Resolver(() => School)
export class SchoolResolver {
  @Query(() => SchoolConnection, { description: 'Список ОО с отбором и постраничной выдачей' })
  async schools(
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolConnection> {
    const found = await new SchoolService(ctx.em, ctx.principal).list(filter, page.first, page.after);
    primeSchools(ctx, found.nodes);
    return SchoolConnection.from(found);
  }

  @Query(() => School, { nullable: true, description: 'ОО по любому коду (логин ФИС ОКО, код РЦОИ, ИНН) или по id' })
  async school(@Args() lookup: SchoolLookupArgs, @Ctx() ctx: RequestContext): Promise<School | null> {
    const service = new SchoolService(ctx.em, ctx.principal);
    if ((lookup.code == null) === (lookup.id == null)) throw badInput('Укажите ровно один аргумент: code или id', 'code');
    let school: School | null;
    if (lookup.id != null) {
      const id = Number(lookup.id);
      if (!Number.isSafeInteger(id)) throw badInput(`Неверный id ОО: "${lookup.id}"`, 'id');
      school = await service.findById(id);
    } else {
      school = await service.findByCode(lookup.code!);
    }
    primeSchools(ctx, school ? [school] : []);
    return school;
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
}
