import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { PageArgs, toPage } from '../graphql/pagination';
import { decodeCursor } from '../graphql/pagination';
import { Municipality } from './municipality.entity';
import { Region } from './region.entity';
import { SchoolFilter } from './school-filter.input';
import { SchoolService } from './school.service';
import { MunicipalityConnection, SchoolConnection } from './school.types';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: 'Регионы' })
  regions(@Ctx() ctx: RequestContext): Promise<Region[]> {
    return ctx.em.find(Region, {}, { orderBy: { code: 'asc' } });
  }

  @Query(() => Region, { nullable: true, description: 'Регион по коду' })
  region(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Region | null> {
    return ctx.em.findOne(Region, { code });
  }

  @FieldResolver(() => MunicipalityConnection, { description: 'Муниципалитеты региона' })
  async municipalities(@Root() region: Region, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<MunicipalityConnection> {
    const afterId = decodeCursor(page.after);
    const where = { region: region.id, ...(afterId === null ? {} : { id: { $gt: afterId } }) };
    const rows = await ctx.em.find(Municipality, where, { orderBy: { id: 'asc' }, limit: page.first + 1 });
    return MunicipalityConnection.from(toPage(rows, page.first, () => ctx.em.count(Municipality, { region: region.id })));
  }

  @FieldResolver(() => SchoolConnection, { description: 'ОО региона' })
  async schools(
    @Root() region: Region,
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolConnection> {
    return SchoolConnection.from(await new SchoolService(ctx.em).list(filter, page.first, page.after, { region: region.id }));
  }
}
