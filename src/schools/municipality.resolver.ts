import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { PageArgs } from '../graphql/pagination';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { SchoolFilter } from './school-filter.input';
import { SchoolService } from './school.service';
import { SchoolConnection } from './school.types';

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => Region)
  async region(@Root() municipality: Municipality, @Ctx() ctx: RequestContext): Promise<Region> {
    return (await ctx.loaders.region.load(municipality.region.id))!;
  }

  @FieldResolver(() => SchoolConnection, { description: 'ОО муниципалитета' })
  async schools(
    @Root() municipality: Municipality,
    @Args() page: PageArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true }) filter: SchoolFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SchoolConnection> {
    return SchoolConnection.from(await new SchoolService(ctx.em, ctx.principal).list(filter, page.first, page.after, { municipality: municipality.id }));
  }
}
