import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { municipalityScope, regionScope } from '../auth/scope';
import type { RequestContext } from '../graphql/context';
import { PageArgs, toPage } from '../graphql/pagination';
import { decodeCursor } from '../graphql/pagination';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { SchoolFilter } from './school-filter.input';
import { SchoolService } from './school.service';
import { MunicipalityConnection, SchoolConnection } from './school.types';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: 'Регионы' })
  regions(@Ctx() ctx: RequestContext): Promise<Region[]> {
    return ctx.em.find(Region, regionScope(ctx.principal), { orderBy: { code: 'asc' } });
  }

  @Query(() => Region, { nullable: true, description: 'Регион по коду' })
  region(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Region | null> {
    return ctx.em.findOne(Region, { $and: [{ code }, regionScope(ctx.principal)] });
  }

  @FieldResolver(() => MunicipalityConnection, { description: 'Муниципалитеты региона' })
  async municipalities(@Root() region: Region, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<MunicipalityConnection> {
    const afterId = decodeCursor(page.after);
    const inRegion = { $and: [{ region: region.id }, municipalityScope(ctx.principal)] };
    const where = afterId === null ? inRegion : { $and: [inRegion, { id: { $gt: afterId } }] };
    const rows = await ctx.em.find(Municipality, where, { orderBy: { id: 'asc' }, limit: page.first + 1 });
    return MunicipalityConnection.from(toPage(rows, page.first, () => ctx.em.count(Municipality, inRegion)));
  }

  @FieldResolver(() => SchoolConnection, { description: 'ОО региона' })
  async schools(
    @Root() region: Region,
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolConnection> {
    return SchoolConnection.from(await new SchoolService(ctx.em, ctx.principal).list(filter, page.first, page.after, { region: region.id }));
  }
}
