import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Assessment } from '../../assessments/assessment.entity';
import { RECOMPUTE_ROLES } from '../../auth/authorization';
import { AuditService } from '../../auth/audit.service';
import { Role } from '../../shared/role';
import type { RequestContext } from '../../graphql/context';
import { badInput, hubError } from '../../graphql/errors';
import { JobTicketType } from '../../graphql/job.types';
import { Region } from '../../territory/region.entity';
import { School } from '../../territory/school.entity';
import { findVisibleRegion } from '../../schools/region.service';
import { DEFAULT_THRESHOLDS, InvalidThresholdsError } from '../methodology';
import { saveThresholds, thresholdsFor } from '../recompute/risk-config';
import { encodeOffset, RiskReadService } from './risk-read.service';
import { RiskRecomputeRequestService } from './risk-recompute-request.service';
import {
  RankingPageArgs, RecomputeRiskInput, RiskIndicatorValueType, RiskMethodology, RiskRankingConnection, RiskRankingFilter,
  RiskThresholdsInput, RiskZoneType, TerritoryBunchingType,
} from './risk.types';
import { territoryBunching } from '../territory/territory-bunching';

@Resolver(() => School)
export class SchoolRiskResolver {
  @FieldResolver(() => RiskZoneType, { nullable: true, description: 'Зоны риска ОО за год' })
  async riskZone(@Root() school: School, @Arg('year', () => Int) year: number, @Ctx() ctx: RequestContext): Promise<RiskZoneType | null> {
    return (await ctx.loaders.riskZonesBySchool.load(school.id)).find((z) => z.year === year) ?? null;
  }

  @FieldResolver(() => [RiskZoneType], { description: 'История зон риска по годам' })
  async riskZones(@Root() school: School, @Arg('years', () => [Int], { nullable: true }) years: number[] | null, @Ctx() ctx: RequestContext): Promise<RiskZoneType[]> {
    const all = await ctx.loaders.riskZonesBySchool.load(school.id);
    return years?.length ? all.filter((z) => years.includes(z.year)) : all;
  }

  @FieldResolver(() => [RiskIndicatorValueType], { description: 'Значения индикаторов с доказательной базой' })
  riskIndicators(
    @Root() school: School,
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Arg('flaggedOnly', () => Boolean, { defaultValue: false }) flaggedOnly: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<RiskIndicatorValueType[]> {
    return ctx.loaders.riskIndicatorsBySchool.load({ id: school.id, filter: { years: years?.length ? [...years].sort() : null, flaggedOnly } });
  }
}

@Resolver(() => RiskZoneType)
export class RiskZoneResolver {
  @FieldResolver(() => School)
  async school(@Root() zone: RiskZoneType, @Ctx() ctx: RequestContext): Promise<School> {
    const school = await ctx.loaders.school.load(zone.schoolId);
    if (!school) throw hubError('NOT_FOUND', 'ОО недоступна');
    return school;
  }
}

@Resolver(() => RiskIndicatorValueType)
export class RiskIndicatorResolver {
  @FieldResolver(() => Assessment, { nullable: true, description: 'Процедура; null — индикатор по ОО за год в целом' })
  assessment(@Root() value: RiskIndicatorValueType, @Ctx() ctx: RequestContext): Promise<Assessment | null> | null {
    return value.assessmentId ? ctx.loaders.assessment.load(value.assessmentId) : null;
  }
}

@Resolver()
export class RiskResolver {
  @Query(() => RiskRankingConnection, { description: 'Рейтинг ОО по зонам риска за год (в пределах области видимости ключа)' })
  async riskRanking(
    @Arg('filter', () => RiskRankingFilter) filter: RiskRankingFilter,
    @Args() page: RankingPageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<RiskRankingConnection> {
    const { rows, hasNextPage, total } = await new RiskReadService(ctx.em, ctx.principal).ranking(filter, page.first, page.after);
    const edges = rows.map((row) => ({ cursor: encodeOffset(row.rank), node: { rank: row.rank, schoolId: row.zone.schoolId, zone: row.zone } }));
    return { edges, hasNextPage, endCursor: edges.at(-1)?.cursor ?? null, totalCount: total };
  }

  @Query(() => RiskMethodology, { description: 'Версия методики и пороги, действующие для региона' })
  async riskMethodology(@Arg('regionCode') regionCode: string, @Ctx() ctx: RequestContext): Promise<RiskMethodology> {
    const region = await findVisibleRegion(ctx.em, ctx.principal, regionCode, 'regionCode');
    const inForce = await thresholdsFor(ctx.em.getKnex(), region.id);
    return { methodologyVersion: inForce.methodologyVersion, configVersion: inForce.version, thresholds: inForce.thresholds, defaults: DEFAULT_THRESHOLDS, overrides: inForce.overrides };
  }

  @Query(() => [TerritoryBunchingType], { description: 'Скопление работ у границ отметок по региону и его муниципалитетам за год — по распределению баллов всей территории (видно то, что сравнение школ между собой не видит)' })
  async territoryBunching(
    @Arg('regionCode') regionCode: string,
    @Arg('year', () => Int) year: number,
    @Arg('municipalityCode', () => String, { nullable: true }) municipalityCode: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TerritoryBunchingType[]> {
    const region = await findVisibleRegion(ctx.em, ctx.principal, regionCode, 'regionCode');
    return territoryBunching(ctx.em, ctx.principal, region.id, year, municipalityCode);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RiskMethodology, { nullable: true, description: 'Сохранить новую версию порогов региона (проверяется перед сохранением)' })
  async setRiskThresholds(@Arg('input', () => RiskThresholdsInput) input: RiskThresholdsInput, @Ctx() ctx: RequestContext): Promise<RiskMethodology> {
    const region = await ctx.em.findOne(Region, { code: input.regionCode });
    if (!region) throw badInput(`Регион с кодом "${input.regionCode}" не найден`, 'input.regionCode');
    try {
      const saved = await saveThresholds(ctx.em.getKnex(), region.id, input.overrides, ctx.principal.actor, input.comment ?? null);
      await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({ action: 'risk.thresholds', target: `region:${region.code}`, details: { version: saved.version, overrides: input.overrides } });
      return { methodologyVersion: saved.methodologyVersion, configVersion: saved.version, thresholds: saved.thresholds, defaults: DEFAULT_THRESHOLDS, overrides: saved.overrides };
    } catch (error) {
      if (error instanceof InvalidThresholdsError) throw badInput(error.message, 'input.overrides');
      throw error;
    }
  }

  @Authorized(...RECOMPUTE_ROLES)
  @Mutation(() => JobTicketType, { nullable: true, description: 'Поставить в очередь пересчёт зон риска: ОО, муниципалитет или регион' })
  recomputeRisk(@Arg('input', () => RecomputeRiskInput) input: RecomputeRiskInput, @Ctx() ctx: RequestContext): Promise<JobTicketType> {
    return new RiskRecomputeRequestService(ctx.em, ctx.principal, ctx.jobs, ctx.remoteAddress).request(input);
  }
}
