import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Assessment } from '../../assessments/assessment.entity';
import type { RequestContext } from '../../graphql/context';
import { AggregatesService } from './aggregates.service';
import { AggregateGroupType, AggregatesArgs, ExamTotalAggregateGroupType } from './aggregates.types';
import { CorrelationService } from './correlation.service';
import { AssessmentCorrelationsType, CorrelationArgs } from './correlation.types';
import { FactsService } from './facts.service';
import { ExamTotalFactConnection, FactConnection, FactsArgs } from './facts.types';

/** Facts, aggregates and correlations: every role, each within its own scope (BI readers: their region). */
@Resolver()
export class BiResolver {
  @Query(() => FactConnection, { description: 'Плоские факты для BI (ОО × год × процедура × предмет × класс) с территорией и контекстом; постранично по ключевому курсору' })
  facts(@Args() args: FactsArgs, @Ctx() ctx: RequestContext): Promise<FactConnection> {
    return new FactsService(ctx.em, ctx.principal).page(args.filter, args.first, args.after);
  }

  @Query(() => ExamTotalFactConnection, {
    description: 'Итоги ОО по процедуре за год по всем предметам для BI (ОО × год × процедура: выпускники, 220 и более по трём предметам ЕГЭ) с территорией и контекстом; постранично по ключевому курсору, как facts',
  })
  examTotalFacts(@Args() args: FactsArgs, @Ctx() ctx: RequestContext): Promise<ExamTotalFactConnection> {
    return new FactsService(ctx.em, ctx.principal).examTotalPage(args.filter, args.first, args.after);
  }

  @Query(() => [AggregateGroupType], { description: 'Агрегаты по группам (муниципалитет, тип ОО, город/село, год, предмет, класс…): число ОО, средние по участникам, доли' })
  aggregates(@Args() args: AggregatesArgs, @Ctx() ctx: RequestContext): Promise<AggregateGroupType[]> {
    return new AggregatesService(ctx.em, ctx.principal).aggregate(args.groupBy, args.filter);
  }

  @Query(() => [ExamTotalAggregateGroupType], {
    description: 'Агрегаты итогов ОО по процедурам (по всем предметам: выпускники, 220 и более по трём предметам ЕГЭ) по группам, как aggregates; без группировки по предмету и классу',
  })
  examTotalAggregates(@Args() args: AggregatesArgs, @Ctx() ctx: RequestContext): Promise<ExamTotalAggregateGroupType[]> {
    return new AggregatesService(ctx.em, ctx.principal).examTotals(args.groupBy, args.filter);
  }

  @Query(() => [AssessmentCorrelationsType], { description: 'Связи результатов с контекстом ОО по процедурам и годам: r, N и доверительные интервалы' })
  contextCorrelations(@Args() args: CorrelationArgs, @Ctx() ctx: RequestContext): Promise<AssessmentCorrelationsType[]> {
    return new CorrelationService(ctx.em, ctx.principal).correlations(args);
  }
}

@Resolver(() => AssessmentCorrelationsType)
export class AssessmentCorrelationsResolver {
  @FieldResolver(() => Assessment)
  async assessment(@Root() correlations: AssessmentCorrelationsType, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(correlations.assessmentId))!;
  }
}
