import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { benchmarkScope } from '../auth/scope';
import type { RequestContext } from '../graphql/context';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { Assessment } from './assessment.entity';
import { BenchmarkResult } from './benchmark-result.entity';
import { BenchmarkLevel } from '../territory/enums';

@Resolver(() => BenchmarkResult)
export class BenchmarkResolver {
  @Query(() => [BenchmarkResult], { description: 'Эталонные значения за годы и уровень' })
  benchmarks(
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Arg('level', () => BenchmarkLevel, { nullable: true }) level: BenchmarkLevel | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BenchmarkResult[]> {
    return ctx.em.find(
      BenchmarkResult,
      { $and: [{ ...(years?.length ? { assessment: { year: { $in: years } } } : {}), ...(level ? { level } : {}) }, benchmarkScope(ctx.principal)] },
      { orderBy: { assessment: { id: 'asc' }, level: 'asc', id: 'asc' } },
    );
  }

  @FieldResolver(() => Assessment)
  async assessment(@Root() benchmark: BenchmarkResult, @Ctx() ctx: RequestContext): Promise<Assessment> {
    return (await ctx.loaders.assessment.load(benchmark.assessment.id))!;
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() benchmark: BenchmarkResult, @Ctx() ctx: RequestContext): Promise<Region | null> | null {
    return benchmark.region ? ctx.loaders.region.load(benchmark.region.id) : null;
  }

  @FieldResolver(() => Municipality, { nullable: true })
  municipality(@Root() benchmark: BenchmarkResult, @Ctx() ctx: RequestContext): Promise<Municipality | null> | null {
    return benchmark.municipality ? ctx.loaders.municipality.load(benchmark.municipality.id) : null;
  }
}
