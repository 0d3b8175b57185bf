import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { AliasKind } from './enums';
import { School } from './school.entity';

/** A code by which some source refers to a school; any alias resolves the school. */
@ObjectType({ description: 'Код ОО в одном из источников данных' })
@Entity({ tableName: 'school_alias' })
@Unique({ properties: ['kind', 'value'] })
export class SchoolAlias {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @ManyToOne(() => School, { deleteRule: 'cascade' })
  school!: School;

  @Field(() => AliasKind)
  @Enum({ items: () => AliasKind, nativeEnumName: 'alias_kind' })
  kind!: AliasKind;

  @Field()
  @Index()
  @Property({ type: 'text' })
  value!: string;
}
