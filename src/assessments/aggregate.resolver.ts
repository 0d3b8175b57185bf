import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { aggregatesAlone } from '../jobs/recompute-chain';
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
    const request = aggregatesAlone(schoolIds, input.years, `mutation by ${ctx.principal.actor}`);
    const ticket = await ctx.jobs.enqueue({ ...request, requestedBy: ctx.principal.actor });
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({
      action: 'aggregates.recompute',
      target: ticket.id,
      details: { schools: schoolIds?.length ?? 'all', years: request.payload.years },
    });
    return ticket;
  }
}
