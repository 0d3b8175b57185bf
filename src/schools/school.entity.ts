import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { SchoolType } from './enums';
import { Municipality } from './municipality.entity';
import { Region } from './region.entity';

@ObjectType({ simpleResolvers: true, description: 'Общеобразовательная организация (ОО)' })
@Entity({ tableName: 'school' })
export class School {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** Denormalised so that region scoping and region-wide statistics need no join. */
  @Index()
  @ManyToOne(() => Region, { deleteRule: 'restrict' })
  region!: Region;

  @Index()
  @ManyToOne(() => Municipality, { deleteRule: 'restrict' })
  municipality!: Municipality;

  @Field({ description: 'Полное наименование ОО' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => SchoolType, { description: 'Текущий тип ОО (по годам — в контексте)' })
  @Enum({ items: () => SchoolType, nativeEnumName: 'school_type' })
  type!: SchoolType;

  @Field({ description: 'Городская (true) или сельская (false)' })
  @Property({ type: 'boolean' })
  urban!: boolean;
}
