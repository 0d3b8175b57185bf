import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Новый регион: код субъекта РФ и наименование' })
export class CreateRegionInput {
  @Field({ description: 'Код региона (например, 66): буквы, цифры, «-», «_», «.», без пробелов, до 20 знаков' })
  code!: string;

  @Field({ description: 'Наименование (например, «Свердловская область»)' })
  name!: string;
}

@InputType({ description: 'Новое наименование региона' })
export class RenameRegionInput {
  @Field({ description: 'Код региона' })
  code!: string;

  @Field({ description: 'Новое наименование' })
  name!: string;
}

@InputType({ description: 'Новый муниципалитет региона: код МСУ и наименование' })
export class CreateMunicipalityInput {
  @Field({ description: 'Код региона, в котором заводится муниципалитет' })
  regionCode!: string;

  @Field({ description: 'Код муниципалитета (МСУ): буквы, цифры, «-», «_», «.», без пробелов, до 20 знаков' })
  code!: string;

  @Field({ description: 'Наименование (например, «Каменск-Уральский ГО»)' })
  name!: string;
}

@InputType({ description: 'Новое наименование муниципалитета' })
export class RenameMunicipalityInput {
  @Field({ description: 'Код региона' })
  regionCode!: string;

  @Field({ description: 'Код муниципалитета (МСУ)' })
  code!: string;

  @Field({ description: 'Новое наименование' })
  name!: string;
}
