import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { JOB_NAMES, QUEUE_NAMES } from '../../jobs/queues';
import { RECOMPUTE_ROLES } from '../auth/authorization';
import { AuditService } from '../auth/audit.service';
import type { RequestContext } from '../graphql/context';
import { JobTicketType, RecomputeInput } from '../graphql/job.types';
import { SchoolService } from '../schools/school.service';

@Resolver()
export class AggregateResolver {
  @Authorized(...RECOMPUTE_ROLES)
  @Mutation(() => JobTicketType, { nullable: true, description: 'Поставить в очередь пересчёт агрегатов ОО по индивидуальным результатам (в пределах своей области видимости)' })
  async recomputeAggregates(@Arg('input', () => RecomputeInput) input: RecomputeInput, @Ctx() ctx: RequestContext): Promise<JobTicketType> {
    const schoolIds = await new SchoolService(ctx.em, ctx.principal).recomputeSchoolIds(input.schools);
    const payload = { schoolIds, years: [...new Set(input.years)].sort(), reason: `mutation by ${ctx.principal.actor}` };
    const ticket = await ctx.jobs.enqueue({ queue: QUEUE_NAMES.aggregates, name: JOB_NAMES.recomputeAggregates, payload, requestedBy: ctx.principal.actor });
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({
      action: 'aggregates.recompute',
      target: ticket.id,
      details: { schools: schoolIds?.length ?? 'all', years: payload.years },
    });
    return ticket;
  }
}
