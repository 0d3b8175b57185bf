import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min } from 'class-validator';

@ObjectType('JobTicket', { description: 'Поставленная в очередь задача' })
export class JobTicketType {
  @Field(() => ID, { description: 'Идентификатор задачи: по нему запрос job() сообщает её состояние' })
  id!: string;

  @Field()
  queue!: string;

  @Field()
  name!: string;
}

@ObjectType({ description: 'Состояние фоновой задачи' })
export class JobStatus extends JobTicketType {
  @Field({ description: 'pending (запрос хранится в PostgreSQL, пока очередь его не примет — и если очередь его потеряла), waiting, active, completed, failed, delayed, …' })
  state!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Ход выполнения (этап, сделано, всего)' })
  progress!: unknown;

  @Field(() => Int)
  attemptsMade!: number;

  @Field(() => String, { nullable: true })
  failedReason!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  result!: unknown;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@InputType({ description: 'Что пересчитать: ОО (по id или любому коду) и годы' })
export class RecomputeInput {
  @Field(() => [String], { nullable: true, description: 'Коды или id ОО; не указано — все ОО' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  schools?: string[] | null;

  @Field(() => [Int])
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Min(2000, { each: true })
  @Max(2100, { each: true })
  years!: number[];
}
