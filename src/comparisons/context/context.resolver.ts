import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Assessment } from '../../assessments/assessment.entity';
import type { RequestContext } from '../../graphql/context';
import { hubError } from '../../graphql/errors';
import { Region } from '../../territory/region.entity';
import { School } from '../../territory/school.entity';
import { COMPARISON_ROLES } from '../shared/roles';
import { ContextModelService } from './context-model.service';
import { ContextModelType, SchoolExpectationType } from './context-model.types';
import { PeerGroupService } from './peer-group.service';
import { PeerGroupArgs, PeerGroupType, PeerSchoolType, RegionContextModelArgs } from './peer-group.types';

const visibleSchool = async (ctx: RequestContext, id: number): Promise<School> => {
  const school = await ctx.loaders.school.load(id);
  if (!school) throw hubError('NOT_FOUND', 'ОО недоступна');
  return school;
};

@Resolver()
export class ContextResolver {
  @Authorized(...COMPARISON_ROLES)
  @Query(() => PeerGroupType, { description: 'Похожие по контексту ОО, место ОО среди них и результат с поправкой на контекст (модель региона)' })
  peerGroup(@Args() args: PeerGroupArgs, @Ctx() ctx: RequestContext): Promise<PeerGroupType> {
    return new PeerGroupService(ctx.em, ctx.principal, ctx.loaders).peerGroup(args);
  }

  @Authorized(...COMPARISON_ROLES)
  @Query(() => ContextModelType, { description: 'Модель ожидаемого результата по контексту ОО региона: коэффициенты, R², N, остаточное SD' })
  async contextModel(@Args() args: RegionContextModelArgs, @Ctx() ctx: RequestContext): Promise<ContextModelType> {
    const service = new ContextModelService(ctx.em, ctx.principal, ctx.loaders);
    const [regionId, assessmentId] = await Promise.all([service.regionId(args.regionCode), service.findAssessment(args.assessment, args.year)]);
    return service.fit(regionId, assessmentId, args.year, { weighting: args.weighting, exclude: args.exclude ?? [] });
  }
}

@Resolver(() => ContextModelType)
export class ContextModelResolver {
  @FieldResolver(() => Assessment)
  async assessment(@Root() model: ContextModelType, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(model.assessmentId))!;
  }

  @FieldResolver(() => Region)
  async region(@Root() model: ContextModelType, @Ctx() ctx: RequestContext): Promise<Region> {
    return (await ctx.loaders.region.load(model.regionId))!;
  }

  @FieldResolver(() => [SchoolExpectationType], {
    description: 'Ожидаемый и фактический результат по ОО — только ОО в области видимости ключа (модель строится по всему региону)',
  })
  schools(@Root() model: ContextModelType, @Ctx() ctx: RequestContext): Promise<SchoolExpectationType[]> {
    return new ContextModelService(ctx.em, ctx.principal, ctx.loaders).visibleExpectations(model);
  }
}

@Resolver(() => SchoolExpectationType)
export class SchoolExpectationResolver {
  @FieldResolver(() => School)
  school(@Root() expectation: SchoolExpectationType, @Ctx() ctx: RequestContext): Promise<School> {
    return visibleSchool(ctx, expectation.schoolId);
  }
}

@Resolver(() => PeerGroupType)
export class PeerGroupResolver {
  @FieldResolver(() => School)
  school(@Root() group: PeerGroupType, @Ctx() ctx: RequestContext): Promise<School> {
    return visibleSchool(ctx, group.schoolId);
  }

  @FieldResolver(() => Assessment)
  async assessment(@Root() group: PeerGroupType, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(group.assessmentId))!;
  }
}

@Resolver(() => PeerSchoolType)
export class PeerSchoolResolver {
  @FieldResolver(() => School)
  school(@Root() peer: PeerSchoolType, @Ctx() ctx: RequestContext): Promise<School> {
    return visibleSchool(ctx, peer.schoolId);
  }
}
