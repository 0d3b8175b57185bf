import { Entity, Enum, ManyToOne, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { School } from '../territory/school.entity';
import { Procedure, ObserverPresence } from './enums';
import { Subject } from './subject.entity';

/**
 * How a procedure was conducted and checked at a school in a year (optionally per subject and grade).
 * Context for risk zones, never proof.
 */
@ObjectType({ simpleResolvers: true, description: 'Условия проведения и проверки процедуры в ОО' })
@Entity({ tableName: 'conduct_conditions' })
export class ConductConditions {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => School, { deleteRule: 'cascade' })
  school!: School;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  year!: number;

  @Field(() => Procedure)
  @Enum({ items: () => Procedure, nativeEnumName: 'procedure' })
  procedure!: Procedure;

  /** Null: the conditions apply to every subject of the procedure. */
  @ManyToOne(() => Subject, { nullable: true, deleteRule: 'restrict' })
  subject: Subject | null = null;

  @Field(() => Int, { nullable: true, description: 'Класс; null — для всех классов процедуры' })
  @Property({ type: 'smallint', nullable: true })
  grade: number | null = null;

  @Field(() => ObserverPresence)
  @Enum({ items: () => ObserverPresence, nativeEnumName: 'observer_presence' })
  observers!: ObserverPresence;

  @Field({ description: 'Видеонаблюдение при проведении' })
  @Property({ type: 'boolean' })
  videoAtConduct!: boolean;

  @Field({ description: 'Видеонаблюдение при проверке' })
  @Property({ type: 'boolean' })
  videoAtChecking!: boolean;

  @Field({ description: 'Коллегиальная проверка без учителей класса' })
  @Property({ type: 'boolean' })
  collegialChecking!: boolean;

  @Field(() => Boolean, { description: 'ОО в федеральной выборке контроля объективности' })
  @Property({ type: 'boolean', default: false })
  federalControlSample: boolean & Opt = false;
}
