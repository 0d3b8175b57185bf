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

  @Field(() => String, { nullable: true, description: 'Краткое наименование ОО (из справочника ОО); null — не указано' })
  @Property({ type: 'text', nullable: true })
  shortName: string | null = null;

  @Field(() => SchoolType, { nullable: true, description: 'Текущий тип ОО (по годам — в контексте); null — не указан в справочнике' })
  @Enum({ items: () => SchoolType, nativeEnumName: 'school_type', nullable: true })
  type!: SchoolType | null;

  @Field(() => Boolean, { nullable: true, description: 'Городская (true) или сельская (false); null — не указано в справочнике' })
  @Property({ type: 'boolean', nullable: true })
  urban!: boolean | null;
}
