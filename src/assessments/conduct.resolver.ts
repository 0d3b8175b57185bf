import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Assessment } from './assessment.entity';
import { ConductConditions } from './conduct-conditions.entity';
import { RecheckResult } from './recheck-result.entity';
import { Subject } from './subject.entity';

@Resolver(() => ConductConditions)
export class ConductConditionsResolver {
  @FieldResolver(() => Subject, { nullable: true, description: 'Предмет; null — условия для всех предметов процедуры' })
  subject(@Root() conditions: ConductConditions, @Ctx() ctx: RequestContext): Promise<Subject | null> | null {
    return conditions.subject ? ctx.loaders.subject.load(conditions.subject.id) : null;
  }
}

@Resolver(() => RecheckResult)
export class RecheckResultResolver {
  @FieldResolver(() => Assessment)
  async assessment(@Root() recheck: RecheckResult, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(recheck.assessment.id))!;
  }
}
