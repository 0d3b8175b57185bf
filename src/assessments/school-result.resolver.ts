import { Args, Ctx, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { assertRole } from '../auth/authorization';
import { PARTICIPANT_READERS } from '../shared/role';
import type { RequestContext } from '../graphql/context';
import { Connection, decodeCursor, PageArgs, toPage } from '../graphql/pagination';
import { School } from '../territory/school.entity';
import { Assessment } from './assessment.entity';
import { MarkPercents } from './assessment.types';
import { BenchmarkResult } from './benchmark-result.entity';
import { type MarkSource } from './enums';
import { BenchmarkLevel } from '../territory/enums';
import { participantMark } from './marks';
import { ParticipantResult } from './participant-result.entity';
import { arraysPending } from './row-views.loaders';
import { applicableMarkBoundaries } from './scale';
import { SchoolResult } from './school-result.entity';

@ObjectType()
export class ParticipantResultConnection extends Connection(ParticipantResult) {}

const percent = (count: number | null, total: number) => (total > 0 && count != null ? (100 * count) / total : 0);

@Resolver(() => SchoolResult)
export class SchoolResultResolver {
  @FieldResolver(() => Assessment)
  async assessment(@Root() result: SchoolResult, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(result.assessment.id))!;
  }

  @FieldResolver(() => School)
  async school(@Root() result: SchoolResult, @Ctx() ctx: RequestContext): Promise<School> {
    return (await ctx.loaders.school.load(result.school.id))!;
  }

  @FieldResolver(() => [Int], { nullable: true, description: 'Распределение первичных баллов: число участников с баллом 0, 1, …, max' })
  async histogram(@Root() result: SchoolResult, @Ctx() ctx: RequestContext): Promise<(number | null)[] | null> {
    if (!arraysPending(result)) return result.histogram;
    return (await ctx.loaders.resultArrays.load(result.id))?.histogram ?? null;
  }

  @FieldResolver(() => [Float], { nullable: true, description: 'Доля выполнения каждого задания (0–1) в порядке заданий процедуры' })
  async taskCompletion(@Root() result: SchoolResult, @Ctx() ctx: RequestContext): Promise<(number | null)[] | null> {
    if (!arraysPending(result)) return result.taskCompletion;
    return (await ctx.loaders.resultArrays.load(result.id))?.taskCompletion ?? null;
  }

  @FieldResolver(() => MarkPercents, { nullable: true, description: 'Доли отметок, % (null для процедур без отметок)' })
  markPercents(@Root() r: SchoolResult): MarkPercents | null {
    if (r.count2 == null) return null;
    const marked = (r.count2 ?? 0) + (r.count3 ?? 0) + (r.count4 ?? 0) + (r.count5 ?? 0);
    return {
      two: percent(r.count2, marked),
      three: percent(r.count3, marked),
      four: percent(r.count4, marked),
      five: percent(r.count5, marked),
      fourAndFive: percent((r.count4 ?? 0) + (r.count5 ?? 0), marked),
    };
  }

  @FieldResolver(() => [BenchmarkResult], { description: 'Эталоны для сравнения: Россия, регион и муниципалитет этой ОО' })
  async benchmarks(@Root() result: SchoolResult, @Ctx() ctx: RequestContext): Promise<BenchmarkResult[]> {
    const [school, all] = await Promise.all([ctx.loaders.school.load(result.school.id), ctx.loaders.benchmarksByAssessment.load(result.assessment.id)]);
    return all.filter(
      (b) =>
        b.level === BenchmarkLevel.RUSSIA ||
        (b.level === BenchmarkLevel.REGION && b.region?.id === school?.region.id) ||
        (b.level === BenchmarkLevel.MUNICIPALITY && b.municipality?.id === school?.municipality.id),
    );
  }

  @FieldResolver(() => ParticipantResultConnection, { description: 'Обезличенные индивидуальные результаты (не для роли BI_READER)' })
  async participantResults(@Root() result: SchoolResult, @Args() page: PageArgs, @Ctx() ctx: RequestContext): Promise<ParticipantResultConnection> {
    assertRole(ctx.principal, PARTICIPANT_READERS);
    const where = { year: result.year, school: result.school.id, assessment: result.assessment.id };
    const afterId = decodeCursor(page.after);
    // Read outside the identity map: these rows are views whose mark may be filled from the scale, never to be flushed.
    const [rows, boundaries] = await Promise.all([
      ctx.em.find(ParticipantResult, afterId === null ? where : { ...where, id: { $gt: afterId } }, {
        orderBy: { id: 'asc' },
        limit: page.first + 1,
        disableIdentityMap: true,
      }),
      applicableMarkBoundaries(ctx.em, result.assessment.id, result.school.id),
    ]);
    // A row without a mark reads with the one the applicable scale gives, computed here on every read rather than
    // written into the rows by the recompute chain: the stored row stays what the file said (the aggregates and the
    // undo log rely on null meaning «no mark in the file»), a scale imported, confirmed or corrected later is followed
    // by the next read with nothing to rewrite, and the response cache drops answers when a scale changes.
    for (const row of rows) {
      const { mark, source } = participantMark(row.mark, row.primaryScore, boundaries);
      row.mark = mark;
      row.markSource = source as MarkSource | null;
    }
    return ParticipantResultConnection.from(toPage(rows, page.first, () => ctx.em.count(ParticipantResult, where)));
  }
}
