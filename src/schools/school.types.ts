import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination';
import { Municipality } from '../territory/municipality.entity';
import { School } from '../territory/school.entity';

@ObjectType()
export class SchoolConnection extends Connection(School) {}

@ObjectType()
export class MunicipalityConnection extends Connection(Municipality) {}

@ArgsType()
export class SchoolLookupArgs {
  @Field(() => String, { nullable: true, description: 'Любой код ОО: логин ФИС ОКО, код РЦОИ, ИНН' })
  code?: string | null;

  @Field(() => ID, { nullable: true, description: 'Внутренний идентификатор ОО в хабе' })
  id?: string | null;
}
