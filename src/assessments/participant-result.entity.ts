import { BigIntType, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { School } from '../territory/school.entity';
import { smallintArray } from '../shared/db-types';
import { Assessment } from './assessment.entity';
import { MarkSource } from './enums';

/**
 * One participant's result in one assessment. Anonymised: a participant code, never a name.
 * The table is partitioned by year (see the migrations); bulk writes go through COPY, not the ORM.
 */
@ObjectType({ description: 'Обезличенный индивидуальный результат участника' })
@Entity({ tableName: 'participant_result' })
export class ParticipantResult {
  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  year!: number;

  @ManyToOne(() => Assessment, { deleteRule: 'restrict' })
  assessment!: Assessment;

  @ManyToOne(() => School, { deleteRule: 'restrict' })
  school!: School;

  @Field({ description: 'Обезличенный код участника' })
  @Property({ type: 'text' })
  participantCode!: string;

  @Field(() => String, { nullable: true, description: 'Класс (литера), например 4А' })
  @Property({ type: 'text', nullable: true })
  classLabel: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  variant: string | null = null;

  @Field(() => [Int], { nullable: 'items', description: 'Баллы по заданиям; null — задание не выполнялось (X / «-»), 0 — выполнено на 0 баллов' })
  @Property({ type: smallintArray(), nullable: true })
  taskScores: (number | null)[] | null = null;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  primaryScore!: number;

  /** As the file gave it (null: none). GraphQL reads the mark with the one the scale gives (see markSource). */
  @Field(() => Int, {
    nullable: true,
    description: 'Отметка 2–5: из файла, а если в файле её нет — по первичному баллу и шкале, действующей в регионе ОО (см. markSource); null — отметки нет и шкала её не даёт',
  })
  @Property({ type: 'smallint', nullable: true })
  mark: number | null = null;

  /** Not stored: set by the read that fills `mark` from the scale (SchoolResult.participantResults). */
  @Field(() => MarkSource, { nullable: true, description: 'Откуда отметка: FILE — из файла, SCALE — выведена хабом по шкале; null — отметки нет' })
  markSource?: MarkSource | null;

  @Field(() => Int, { nullable: true, description: 'Отметка по журналу' })
  @Property({ type: 'smallint', nullable: true })
  journalMark: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Тестовый балл (ЕГЭ)' })
  @Property({ type: 'smallint', nullable: true })
  testScore: number | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Баллы по критериям (например, ГК1–ГК4 ОГЭ по русскому языку)' })
  @Property({ type: 'json', nullable: true })
  criteria: Record<string, number> | null = null;
}
