import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { SchoolType } from '../territory/enums';

@InputType({ description: 'Отбор ОО' })
export class SchoolFilter {
  @Field(() => String, { nullable: true, description: 'Код региона' })
  regionCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Коды муниципалитетов' })
  @IsOptional()
  @ArrayMaxSize(200)
  municipalityCodes?: string[] | null;

  @Field(() => [SchoolType], { nullable: true })
  types?: SchoolType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true — городские, false — сельские' })
  urban?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Часть наименования (без учёта регистра)' })
  @IsOptional()
  @MaxLength(200)
  nameContains?: string | null;
}
