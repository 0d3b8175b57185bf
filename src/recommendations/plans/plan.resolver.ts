import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { recommendationsAlone } from '../../jobs/recompute-chain';
import { RECOMPUTE_ROLES } from '../../auth/authorization';
import { AuditService } from '../../auth/audit.service';
import { Role } from '../../shared/role';
import type { RequestContext } from '../../graphql/context';
import { badInput, parseId } from '../../graphql/errors';
import { JobTicketType, RecomputeInput } from '../../graphql/job.types';
import { Municipality } from '../../territory/municipality.entity';
import { School } from '../../territory/school.entity';
import { SchoolService } from '../../schools/school.service';
import type { Measure } from '../catalogue/measure';
import { loadCatalogue, loadRules } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { CatalogueMeasureInput, CatalogueMeasureType, RecommendationRuleType } from './catalogue.types';
import { PlanService } from './plan.service';
import { ActionPlanType, AddPlannedMeasureInput, MeasureChange, PlannedMeasureType, UpdatePlannedMeasureInput } from './plan.types';

const toCatalogueType = (m: Measure): CatalogueMeasureType => ({ ...m, timingRu: m.timing.labelRu, sources: m.sources });

@Resolver(() => School)
export class SchoolPlanResolver {
  @FieldResolver(() => ActionPlanType, { nullable: true, description: 'План мероприятий ОО по результатам года' })
  plan(@Root() school: School, @Arg('year', () => Int) year: number, @Ctx() ctx: RequestContext): Promise<ActionPlanType | null> {
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).schoolPlan(school.id, year);
  }
}

@Resolver(() => Municipality)
export class MunicipalityPlanResolver {
  @FieldResolver(() => ActionPlanType, { nullable: true, description: 'Муниципальная дорожная карта по результатам года (не для ключей ОО)' })
  plan(@Root() municipality: Municipality, @Arg('year', () => Int) year: number, @Ctx() ctx: RequestContext): Promise<ActionPlanType | null> {
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).municipalPlan(municipality.code, year);
  }
}

@Resolver()
export class PlanResolver {
  @Query(() => [PlannedMeasureType], { description: 'Просроченные мероприятия (срок прошёл, не выполнены) в пределах области видимости' })
  overdueMeasures(
    @Arg('asOf', () => String, { nullable: true, description: 'На дату ГГГГ-ММ-ДД; по умолчанию — сегодня' }) asOf: string | null,
    @Arg('municipalityCode', () => String, { nullable: true }) municipalityCode: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PlannedMeasureType[]> {
    if (asOf && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw badInput(`Дата "${asOf}" не в формате ГГГГ-ММ-ДД`, 'asOf');
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).overdue(asOf, municipalityCode);
  }

  @Query(() => [MeasureChange], { description: 'История изменений мероприятия: кто, что и когда менял' })
  measureHistory(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<MeasureChange[]> {
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).history(parseId(id, 'id', 'мероприятия'));
  }

  @Mutation(() => PlannedMeasureType, { nullable: true, description: 'Изменить статус, подтверждающий документ, выводы по итогам контроля или срок' })
  updatePlannedMeasure(@Arg('input', () => UpdatePlannedMeasureInput) input: UpdatePlannedMeasureInput, @Ctx() ctx: RequestContext): Promise<PlannedMeasureType> {
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).update(input);
  }

  @Mutation(() => PlannedMeasureType, { nullable: true, description: 'Добавить мероприятие в план вручную (МОУО, администратор)' })
  addPlannedMeasure(@Arg('input', () => AddPlannedMeasureInput) input: AddPlannedMeasureInput, @Ctx() ctx: RequestContext): Promise<PlannedMeasureType> {
    return new PlanService(ctx.em, ctx.principal, ctx.remoteAddress).add(input);
  }

  @Query(() => [CatalogueMeasureType], { description: 'Каталог мер (из документов-оснований и добавленных администраторами)' })
  async measureCatalogue(@Ctx() ctx: RequestContext): Promise<CatalogueMeasureType[]> {
    return (await loadCatalogue(ctx.em.getKnex())).map(toCatalogueType);
  }

  @Query(() => [RecommendationRuleType], { description: 'Действующие правила рекомендаций' })
  async recommendationRules(@Ctx() ctx: RequestContext): Promise<RecommendationRuleType[]> {
    return (await loadRules(ctx.em.getKnex())).map((r) => ({ ...r, condition: r.when }));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CatalogueMeasureType, { nullable: true, description: 'Добавить меру в каталог (проверяется тем же валидатором, что и каталог v1)' })
  async addCatalogueMeasure(@Arg('input', () => CatalogueMeasureInput) input: CatalogueMeasureInput, @Ctx() ctx: RequestContext): Promise<CatalogueMeasureType> {
    return toCatalogueType(await new CatalogueService(ctx.em, ctx.principal, ctx.remoteAddress).addMeasure(input));
  }

  @Authorized(...RECOMPUTE_ROLES)
  @Mutation(() => JobTicketType, { nullable: true, description: 'Поставить в очередь пересчёт рекомендаций и планов (ручные меры и отметки об исполнении сохраняются)' })
  async recomputeRecommendations(@Arg('input', () => RecomputeInput) input: RecomputeInput, @Ctx() ctx: RequestContext): Promise<JobTicketType> {
    const schoolIds = await new SchoolService(ctx.em, ctx.principal).recomputeSchoolIds(input.schools);
    const request = recommendationsAlone(schoolIds, input.years, `mutation by ${ctx.principal.actor}`);
    const ticket = await ctx.jobs.enqueue({ ...request, requestedBy: ctx.principal.actor });
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({ action: 'recommendations.recompute', target: ticket.id, details: { schools: schoolIds?.length ?? 'all', years: request.payload.years } });
    return ticket;
  }
}
