import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { SchoolType } from '../territory/enums';
import { School } from '../territory/school.entity';

/** Contextual data of a school for one year: the conditions its results should be read against. */
@ObjectType({ simpleResolvers: true, description: 'Контекстные данные ОО за год' })
@Entity({ tableName: 'school_context' })
@Unique({ properties: ['school', 'year'] })
export class SchoolContext {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => School, { deleteRule: 'cascade' })
  school!: School;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  year!: number;

  @Field(() => SchoolType)
  @Enum({ items: () => SchoolType, nativeEnumName: 'school_type' })
  type!: SchoolType;

  @Field({ description: 'Городская (true) или сельская (false)' })
  @Property({ type: 'boolean' })
  urban!: boolean;

  @Field(() => Int, { nullable: true, description: 'Численность обучающихся' })
  @Property({ type: 'integer', nullable: true })
  enrolment: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Количество классов-комплектов' })
  @Property({ type: 'integer', nullable: true })
  classes: number | null = null;

  @Field(() => Boolean, { description: 'Малокомплектная ОО' })
  @Property({ type: 'boolean', default: false })
  smallSchool: boolean & Opt = false;

  @Field(() => Boolean, { description: 'Углублённое изучение предметов' })
  @Property({ type: 'boolean', default: false })
  inDepthStudy: boolean & Opt = false;

  @Field(() => Float, { nullable: true, description: 'Доля обучающихся с ОВЗ (0–1)' })
  @Property({ type: 'double', nullable: true })
  shareDisabled: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Численность педагогических работников' })
  @Property({ type: 'integer', nullable: true })
  teachers: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Вакансии педагогов' })
  @Property({ type: 'integer', nullable: true })
  vacancies: number | null = null;

  @Field(() => Boolean, { nullable: true, description: 'Есть педагог-психолог' })
  @Property({ type: 'boolean', nullable: true })
  hasPsychologist: boolean | null = null;

  @Field(() => Boolean, { nullable: true, description: 'Есть учитель-дефектолог' })
  @Property({ type: 'boolean', nullable: true })
  hasDefectologist: boolean | null = null;

  @Field(() => Boolean, { nullable: true, description: 'Есть социальный педагог' })
  @Property({ type: 'boolean', nullable: true })
  hasSocialPedagogue: boolean | null = null;

  @Field(() => Float, { nullable: true, description: 'Стаж руководителя в должности, лет' })
  @Property({ type: 'double', nullable: true })
  headTenureYears: number | null = null;

  @Field(() => Float, { nullable: true, description: 'Индекс социального благополучия (0–1), если регион его ведёт' })
  @Property({ type: 'double', nullable: true })
  socialIndex: number | null = null;

  @Field(() => GraphQLJSONObject, { description: 'Дополнительные показатели региона (расширяемые)' })
  @Property({ type: 'json', default: '{}' })
  attributes: Record<string, unknown> & Opt = {};
}
