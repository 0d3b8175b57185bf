import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../shared/role';
import type { RequestContext } from '../../graphql/context';
import { Municipality } from '../../territory/municipality.entity';
import { Region } from '../../territory/region.entity';
import { TerritoryService } from './territory.service';
import { CreateMunicipalityInput, CreateRegionInput, RenameMunicipalityInput, RenameRegionInput } from './territory.types';

/** Regions and municipalities: created and renamed by administrators, audited. */
@Resolver()
export class TerritoryResolver {
  private service(ctx: RequestContext): TerritoryService {
    return new TerritoryService(ctx.em, ctx.principal, ctx.remoteAddress);
  }

  @Mutation(() => Region, { nullable: true, description: 'Завести регион (администратор)' })
  @Authorized(Role.ADMIN)
  createRegion(@Arg('input', () => CreateRegionInput) input: CreateRegionInput, @Ctx() ctx: RequestContext): Promise<Region | null> {
    return this.service(ctx).createRegion(input);
  }

  @Mutation(() => Region, { nullable: true, description: 'Переименовать регион (администратор)' })
  @Authorized(Role.ADMIN)
  renameRegion(@Arg('input', () => RenameRegionInput) input: RenameRegionInput, @Ctx() ctx: RequestContext): Promise<Region | null> {
    return this.service(ctx).renameRegion(input);
  }

  @Mutation(() => Municipality, { nullable: true, description: 'Завести муниципалитет в регионе (администратор)' })
  @Authorized(Role.ADMIN)
  createMunicipality(@Arg('input', () => CreateMunicipalityInput) input: CreateMunicipalityInput, @Ctx() ctx: RequestContext): Promise<Municipality | null> {
    return this.service(ctx).createMunicipality(input);
  }

  @Mutation(() => Municipality, { nullable: true, description: 'Переименовать муниципалитет (администратор)' })
  @Authorized(Role.ADMIN)
  renameMunicipality(@Arg('input', () => RenameMunicipalityInput) input: RenameMunicipalityInput, @Ctx() ctx: RequestContext): Promise<Municipality | null> {
    return this.service(ctx).renameMunicipality(input);
  }
}
