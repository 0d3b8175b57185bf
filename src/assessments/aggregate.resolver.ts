import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { JOB_NAMES, QUEUE_NAMES } from '../../jobs/queues';
import { RECOMPUTE_ROLES } from '../auth/authorization';
import { AuditService } from '../auth/audit.service';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { JobTicketType, RecomputeInput } from '../graphql/job.types';
import { SchoolService } from '../schools/school.service';
import { Role } from '../auth/role';

@Resolver()
export class AggregateResolver {
  @Authorized(...RECOMPUTE_ROLES)
  @Mutation(() => JobTicketType, { nullable: true, description: 'Поставить в очередь пересчёт агрегатов ОО по индивидуальным результатам (в пределах своей области видимости)' })
  async recomputeAggregates(@Arg('input', () => RecomputeInput) input: RecomputeInput, @Ctx() ctx: RequestContext): Promise<JobTicketType> {
    const schools = new SchoolService(ctx.em, ctx.principal);
    const schoolIds = input.schools
      ? await resolveSchoolIds(schools, input.schools)
      : ctx.principal.role === Role.ADMIN
        ? null
        : await schools.idsInScope();
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

/** Codes or ids to school ids within the scope; unknown (or out-of-scope) ones are an error naming them. */
export async function resolveSchoolIds(service: SchoolService, codes: string[]): Promise<number[]> {
  const { ids, unknown } = await service.resolveMany(codes);
  if (unknown.length) throw badInput(`ОО не найдены по кодам: ${unknown.slice(0, 20).join(', ')}`, 'input.schools');
  return ids;
}
