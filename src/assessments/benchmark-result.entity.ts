import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { floatArray, intArray } from '../shared/db-types';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { Assessment } from './assessment.entity';
import { BenchmarkLevel } from '../territory/enums';

/** Reference values of an assessment for Russia, a region or a municipality (percentages 0–100). */
@ObjectType({ simpleResolvers: true, description: 'Эталонные значения: Россия, регион, муниципалитет' })
@Entity({ tableName: 'benchmark_result' })
@Index({ properties: ['assessment'] })
export class BenchmarkResult {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Assessment, { deleteRule: 'cascade' })
  assessment!: Assessment;

  @Field(() => BenchmarkLevel)
  @Enum({ items: () => BenchmarkLevel, nativeEnumName: 'benchmark_level' })
  level!: BenchmarkLevel;

  @ManyToOne(() => Region, { nullable: true, deleteRule: 'cascade' })
  region: Region | null = null;

  @ManyToOne(() => Municipality, { nullable: true, deleteRule: 'cascade' })
  municipality: Municipality | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  participants: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Доля отметок «2», %' })
  @Property({ type: 'double', nullable: true })
  percent2: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Доля отметок «3», %' })
  @Property({ type: 'double', nullable: true })
  percent3: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Доля отметок «4», %' })
  @Property({ type: 'double', nullable: true })
  percent4: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Доля отметок «5», %' })
  @Property({ type: 'double', nullable: true })
  percent5: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Средний процент от максимального балла' })
  @Property({ type: 'double', nullable: true })
  meanPercent: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Средний тестовый балл (ЕГЭ)' })
  @Property({ type: 'double', nullable: true })
  meanTestScore: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Доля участников ниже минимального порога, % (ЕГЭ: тестовый балл ниже минимального; ОГЭ, ГВЭ: «2»)' })
  @Property({ type: 'double', nullable: true })
  percentBelowMinimum: number | null = null;

  @Field(() => Float, { nullable: true, description: 'ЕГЭ: доля участников с тестовым баллом 80 и выше, %' })
  @Property({ type: 'double', nullable: true, fieldName: 'percent_test_80' })
  percentTest80: number | null = null;

  @Field(() => Float, { nullable: true, description: 'ЕГЭ: доля стобалльников, %' })
  @Property({ type: 'double', nullable: true, fieldName: 'percent_test_100' })
  percentTest100: number | null = null;

  /** Where the values came from: "computed" from the hub's own school results, or a published source. */
  @Field(() => String, { description: 'imported — официальные данные; computed — рассчитано хабом по результатам ОО' })
  @Property({ type: 'text', default: 'imported' })
  source: string & Opt = 'imported';

  @Field(() => [Int], { nullable: true, description: 'Регион: распределение первичных баллов всех участников' })
  @Property({ type: intArray(), nullable: true })
  histogram: number[] | null = null;

  @Field(() => [Float], { nullable: true, description: 'Регион: доля выполнения каждого задания (0–1)' })
  @Property({ type: floatArray(), nullable: true })
  taskCompletion: number[] | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  journalLowered: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  journalConfirmed: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  journalRaised: number | null = null;
}
