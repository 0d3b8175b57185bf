import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { JobTicketType, RecomputeInput } from '../graphql/job.types';
import { SchoolService } from '../schools/school.service';

@Resolver()
export class AggregateResolver {
  @Mutation(() => JobTicketType, { description: 'Поставить в очередь пересчёт агрегатов ОО по индивидуальным результатам' })
  async recomputeAggregates(@Arg('input', () => RecomputeInput) input: RecomputeInput, @Ctx() ctx: RequestContext): Promise<JobTicketType> {
    const schoolIds = input.schools ? await resolveSchoolIds(new SchoolService(ctx.em), input.schools) : null;
    return ctx.jobs.enqueueAggregates({ schoolIds, years: [...new Set(input.years)].sort(), reason: 'mutation recomputeAggregates' });
  }
}

/** Codes or ids to school ids; unknown ones are an error naming them. */
export async function resolveSchoolIds(service: SchoolService, codes: string[]): Promise<number[]> {
  const { ids, unknown } = await service.resolveMany(codes);
  if (unknown.length) throw badInput(`ОО не найдены по кодам: ${unknown.slice(0, 20).join(', ')}`, 'input.schools');
  return ids;
}
