import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ArrayMinSize, Matches, MaxLength, ValidateNested } from 'class-validator';

@ObjectType({ description: 'Источник меры в документах-основаниях' })
export class MeasureSourceType {
  @Field({ description: 'Документ (файл в seeds)' })
  seed!: string;

  @Field({ description: 'Пункт или раздел' })
  item!: string;

  @Field({ description: 'Цитата' })
  quote!: string;
}

@ObjectType({ description: 'Мера из каталога' })
export class CatalogueMeasureType {
  @Field()
  code!: string;

  @Field()
  section!: string;

  @Field()
  titleRu!: string;

  @Field()
  descriptionRu!: string;

  @Field({ description: 'MUNICIPALITY или SCHOOL' })
  level!: string;

  @Field(() => [String])
  responsible!: string[];

  @Field({ description: 'Срок, как его формулируют документы («до 15.03», «в дни проведения ВПР»)' })
  timingRu!: string;

  @Field()
  expectedResultRu!: string;

  @Field(() => [String], { description: 'Подтверждающие документы' })
  evidence!: string[];

  @Field(() => [MeasureSourceType])
  sources!: MeasureSourceType[];
}

@ObjectType({ description: 'Правило: от маркеров и зон к мерам' })
export class RecommendationRuleType {
  @Field()
  code!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  descriptionRu!: string;

  @Field(() => GraphQLJSON, { description: 'Условие: маркеры, зона, годы подряд, условия проведения' })
  condition!: unknown;

  @Field(() => [String])
  measures!: string[];

  @Field(() => Int)
  priority!: number;
}

@InputType({ description: 'Документ-основание меры: без него мера в каталог не добавляется' })
export class MeasureSourceInput {
  @Field({ description: 'Документ (название или файл)' })
  @MaxLength(500)
  seed!: string;

  @Field({ description: 'Пункт или раздел' })
  @MaxLength(200)
  item!: string;

  @Field({ description: 'Цитата' })
  @MaxLength(2000)
  quote!: string;
}

@InputType({ description: 'Новая мера каталога' })
export class CatalogueMeasureInput {
  @Field()
  @Matches(/^[A-Z][A-Z0-9_]*$/)
  code!: string;

  @Field()
  section!: string;

  @Field()
  @MaxLength(1000)
  titleRu!: string;

  @Field()
  @MaxLength(5000)
  descriptionRu!: string;

  @Field({ description: 'MUNICIPALITY или SCHOOL' })
  level!: string;

  @Field(() => [String])
  @ArrayMinSize(1)
  responsible!: string[];

  @Field(() => GraphQLJSON, { description: '{ kind, labelRu, month?, day? }' })
  timing!: Record<string, unknown>;

  @Field()
  expectedResultRu!: string;

  @Field(() => [String])
  @ArrayMinSize(1)
  evidence!: string[];

  @Field(() => [MeasureSourceInput], { description: 'Документы-основания (как у мер каталога v1): хотя бы один' })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  sources!: MeasureSourceInput[];
}
