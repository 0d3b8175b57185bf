import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ApiKey } from './api-key.entity';
import { Role } from '../shared/role';

@InputType({ description: 'Новый ключ доступа: роль и область видимости' })
export class CreateApiKeyInput {
  @Field({ description: 'Кому и зачем выдан ключ' })
  @MaxLength(200)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Код региона (для REGIONAL_IMPORTER и BI_READER)' })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Код муниципалитета (для MUNICIPAL_ANALYST)' })
  municipalityCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Любой код ОО (для SCHOOL)' })
  schoolCode?: string | null;

  @Field(() => Date, { nullable: true, description: 'Срок действия; без срока — бессрочный' })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'Созданный ключ: сам ключ показывается только здесь, один раз' })
export class CreatedApiKeyType {
  @Field({ description: 'Ключ целиком: сохраните его, повторно он показан не будет' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@ArgsType()
export class AuditLogArgs {
  @Field(() => Int, { defaultValue: 100 })
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @Field(() => String, { nullable: true, description: 'Отбор по действию (например, apiKey.create)' })
  @IsOptional()
  action?: string | null;

  @Field(() => Date, { nullable: true, description: 'Записи не раньше этого момента' })
  since?: Date | null;
}

@ObjectType({ description: 'Кто обращается: роль и область видимости ключа' })
export class Me {
  @Field()
  actor!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Int, { nullable: true })
  regionId!: number | null;

  @Field(() => Int, { nullable: true })
  municipalityId!: number | null;

  @Field(() => Int, { nullable: true })
  schoolId!: number | null;
}
