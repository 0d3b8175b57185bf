import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { School } from '../territory/school.entity';
import { floatArray, intArray } from '../shared/db-types';
import { Assessment } from './assessment.entity';
import { ResultSource } from './enums';

/**
 * A school's aggregated result in one assessment. Computed from participant rows when they exist;
 * stored directly when only aggregates are known (source records which).
 */
@ObjectType({ simpleResolvers: true, description: 'Результаты ОО по процедуре (агрегаты)' })
@Entity({ tableName: 'school_result' })
@Unique({ properties: ['school', 'assessment'] })
@Index({ properties: ['assessment'] })
@Index({ properties: ['year', 'school'] })
export class SchoolResult {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => School, { deleteRule: 'cascade' })
  school!: School;

  @ManyToOne(() => Assessment, { deleteRule: 'restrict' })
  assessment!: Assessment;

  /** Copied from the assessment so that per-year queries stay on one table. */
  @Field(() => Int)
  @Property({ type: 'smallint' })
  year!: number;

  @Field(() => Int, { description: 'Количество участников' })
  @Property({ type: 'integer' })
  participants!: number;

  /** Participants with each mark; null for procedures without marks (ЕГЭ). */
  @Field(() => Int, { nullable: true, description: 'Участников с отметкой «2»' })
  @Property({ type: 'integer', nullable: true })
  count2: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Участников с отметкой «3»' })
  @Property({ type: 'integer', nullable: true })
  count3: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Участников с отметкой «4»' })
  @Property({ type: 'integer', nullable: true })
  count4: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Участников с отметкой «5»' })
  @Property({ type: 'integer', nullable: true })
  count5: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Средний первичный балл' })
  @Property({ type: 'double', nullable: true })
  meanPrimary: number | null = null;

  /** Mean primary score as % of the maximum: comparable across scale changes. */
  @Field(() => Float, { nullable: true, description: 'Средний процент от максимального первичного балла (0–100)' })
  @Property({ type: 'double', nullable: true })
  meanPercent: number | null = null;

  /** Participants at each primary score (index = score). */
  @Field(() => [Int], { nullable: true, description: 'Распределение первичных баллов: число участников с баллом 0, 1, …, max' })
  @Property({ type: intArray(), nullable: true })
  histogram: number[] | null = null;

  /** ВПР mark below / equal to / above the journal mark: «понизили» / «подтвердили» / «повысили». */
  @Field(() => Int, { nullable: true, description: 'Понизили: отметка ВПР ниже отметки по журналу' })
  @Property({ type: 'integer', nullable: true })
  journalLowered: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Подтвердили: отметка ВПР равна отметке по журналу' })
  @Property({ type: 'integer', nullable: true })
  journalConfirmed: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Повысили: отметка ВПР выше отметки по журналу' })
  @Property({ type: 'integer', nullable: true })
  journalRaised: number | null = null;

  /** Participants with |ВПР mark − journal mark| ≥ 2. */
  @Field(() => Int, { nullable: true, description: 'Участников с |ВПР − журнал| ≥ 2' })
  @Property({ type: 'integer', nullable: true })
  journalMismatch2: number | null = null;

  /** ГИА: participants below the minimum (mark 2, or ЕГЭ test score below the minimum). */
  @Field(() => Int, { nullable: true, description: 'ГИА: участников ниже минимального порога' })
  @Property({ type: 'integer', nullable: true })
  belowMinimum: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Средний тестовый балл (ЕГЭ)' })
  @Property({ type: 'double', nullable: true })
  meanTestScore: number | null = null;

  /** ЕГЭ: participants with a test score of at least 80 (100-pointers included), and of 100. */
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: участников с тестовым баллом 80 и выше (стобалльники включены)' })
  @Property({ type: 'integer', nullable: true, fieldName: 'count_test_80' })
  countTest80: number | null = null;

  @Field(() => Int, { nullable: true, description: 'ЕГЭ: участников со 100 тестовыми баллами' })
  @Property({ type: 'integer', nullable: true, fieldName: 'count_test_100' })
  countTest100: number | null = null;

  /** Mean share of the maximum points per task (0–1), in the order of the assessment's tasks. */
  @Field(() => [Float], { nullable: true, description: 'Доля выполнения каждого задания (0–1) в порядке заданий процедуры' })
  @Property({ type: floatArray(), nullable: true })
  taskCompletion: number[] | null = null;

  @Field(() => Float, { nullable: true, description: 'Стандартное отклонение первичного балла участников, % от максимума' })
  @Property({ type: 'double', nullable: true })
  sdPercent: number | null = null;

  @Field(() => ResultSource)
  @Enum({ items: () => ResultSource, nativeEnumName: 'result_source' })
  source!: ResultSource;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date & Opt = new Date();
}
