import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from './context';
import { JobStatus } from './job.types';

@Resolver()
export class JobResolver {
  @Query(() => JobStatus, { nullable: true, description: 'Состояние фоновой задачи по её идентификатору (видна администратору и ключу, который её поставил)' })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<JobStatus | null> {
    return ctx.jobs.status(id, ctx.principal) as Promise<JobStatus | null>;
  }
}
