import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { School } from '../territory/school.entity';
import { Assessment } from './assessment.entity';
import { RecheckCommission } from './enums';

/** One re-marked work: the school's original score against the commission's. */
@ObjectType({ description: 'Результат перепроверки работы' })
@Entity({ tableName: 'recheck_result' })
@Index({ properties: ['school', 'assessment'] })
export class RecheckResult {
  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => School, { deleteRule: 'cascade' })
  school!: School;

  @ManyToOne(() => Assessment, { deleteRule: 'restrict' })
  assessment!: Assessment;

  @Field()
  @Property({ type: 'text' })
  participantCode!: string;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  originalScore!: number;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  recheckScore!: number;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'smallint', nullable: true })
  originalMark: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'smallint', nullable: true })
  recheckMark: number | null = null;

  @Field(() => RecheckCommission)
  @Enum({ items: () => RecheckCommission, nativeEnumName: 'recheck_commission' })
  commission!: RecheckCommission;
}
