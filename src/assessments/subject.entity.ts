import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'Учебный предмет' })
@Entity({ tableName: 'subject' })
export class Subject {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field({ description: 'Код предмета (RUS, MATH, MATH_PROF, …)' })
  @Unique()
  @Property({ type: 'text' })
  code!: string;

  @Field({ description: 'Наименование предмета' })
  @Property({ type: 'text' })
  name!: string;
}
