import { BigIntType, Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** Who did what, when and from where: imports, recomputes, plan edits, key management. */
@ObjectType({ description: 'Запись журнала аудита' })
@Entity({ tableName: 'audit_log' })
export class AuditLogEntry {
  @Field(() => ID)
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date & Opt = new Date();

  @Field({ description: 'Кто: key:<id>, cli, system' })
  @Property({ type: 'text' })
  actor!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  role: string | null = null;

  @Field({ description: 'Действие, например apiKey.create, aggregates.recompute, import.start' })
  @Property({ type: 'text' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'Объект действия' })
  @Property({ type: 'text', nullable: true })
  target: string | null = null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  details: Record<string, unknown> & Opt = {};

  @Field(() => String, { nullable: true, description: 'Адрес, с которого пришёл запрос' })
  @Property({ type: 'text', nullable: true })
  remoteAddress: string | null = null;
}
