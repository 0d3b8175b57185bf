import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { intArray } from '../shared/db-types';
import { Procedure, TaskLevel } from './enums';
import { Subject } from './subject.entity';

export interface AssessmentTask {
  /** Task label as printed in the work ("1", "4.1", "12"). */
  number: string;
  level: TaskLevel;
  maxPoints: number;
}

/**
 * One assessment: a procedure in a year and session, for a subject and grade. The scale belongs to the
 * assessment because it changes by year (ВПР Russian grade 4: max 38 until 2024, max 24 from 2025). The scale
 * columns hold the confirmed, national scale; regions' provisional ones are in `provisional_scale` (scale.ts).
 */
@ObjectType({ simpleResolvers: true, description: 'Оценочная процедура по предмету и классу в конкретном году' })
@Entity({ tableName: 'assessment' })
@Unique({ properties: ['procedure', 'year', 'session', 'subject', 'grade'] })
@Index({ properties: ['year', 'procedure'] })
export class Assessment {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => Procedure)
  @Enum({ items: () => Procedure, nativeEnumName: 'procedure' })
  procedure!: Procedure;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  year!: number;

  @Field(() => String, { description: 'Сессия: spring (ВПР весна), autumn (ВПР осень 2020–2022), main (основной период ГИА), reserve…' })
  @Property({ type: 'text', default: 'main' })
  session: string & Opt = 'main';

  @ManyToOne(() => Subject, { deleteRule: 'restrict' })
  subject!: Subject;

  @Field(() => Int, { description: 'Класс (параллель)' })
  @Property({ type: 'smallint' })
  grade!: number;

  /** Maximum primary score; null while the scale is unknown (e.g. only aggregates were imported). */
  @Property({ type: 'smallint', nullable: true })
  maxPrimary: number | null = null;

  /** Minimum primary score for the marks 3, 4 and 5, in that order. */
  @Property({ type: intArray(), nullable: true })
  markBoundaries: number[] | null = null;

  /** ЕГЭ: minimum test score (Russian 24, profile Maths 27). */
  @Property({ type: 'smallint', nullable: true })
  minimumTestScore: number | null = null;

  /** ЕГЭ: test score for each primary score (index = primary score). */
  @Property({ type: intArray(), nullable: true })
  testScale: number[] | null = null;

  @Property({ type: 'json', default: '[]' })
  tasks: AssessmentTask[] & Opt = [];

  /** When and by whom the scale above was confirmed as national (null for scales written directly, e.g. by the demo). */
  @Property({ type: 'timestamptz', nullable: true })
  scaleConfirmedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  scaleConfirmedBy: string | null = null;
}
