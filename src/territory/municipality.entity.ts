import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Region } from './region.entity';

@ObjectType({ simpleResolvers: true, description: 'Муниципальное образование (МОУО)' })
@Entity({ tableName: 'municipality' })
@Unique({ properties: ['region', 'code'] })
export class Municipality {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @ManyToOne(() => Region, { deleteRule: 'restrict' })
  region!: Region;

  @Field({ description: 'Код МСУ' })
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;
}
