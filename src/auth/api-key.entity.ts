import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { School } from '../territory/school.entity';
import { Role } from '../shared/role';

/** An API key: only a hash of its secret is stored; the key itself is shown once, at creation. */
@ObjectType({ description: 'Ключ доступа к API (сам ключ показывается один раз, при создании)' })
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field({ description: 'Назначение ключа (кому выдан)' })
  @Property({ type: 'text' })
  name!: string;

  /** The public part of the key, for lookup; the rest is secret. */
  @Field({ description: 'Начало ключа, по которому его можно узнать' })
  @Unique()
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'hub_role' })
  role!: Role;

  @ManyToOne(() => Region, { nullable: true, deleteRule: 'cascade' })
  region: Region | null = null;

  @ManyToOne(() => Municipality, { nullable: true, deleteRule: 'cascade' })
  municipality: Municipality | null = null;

  @ManyToOne(() => School, { nullable: true, deleteRule: 'cascade' })
  school: School | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Field()
  @Property({ type: 'text' })
  createdBy!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;
}
