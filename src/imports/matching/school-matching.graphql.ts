/** GraphQL of school matching: the unknown codes of a batch with their candidates, and confirming one as an alias. */
import { MaxLength } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { AuditService } from '../../auth/audit.service';
import { ownRegionFragment } from '../../auth/scope';
import type { RequestContext } from '../../graphql/context';
import { badInput, hubError } from '../../graphql/errors';
import { ImportBatch } from '../graphql/import.types';
import { IMPORT_ROLES } from '../import-access';
import { unknownCodesOf } from './school-candidates';

@ObjectType('SchoolCandidate', { description: 'ОО хаба, которую может означать неизвестный код файла' })
export class SchoolCandidateType {
  @Field(() => ID) schoolId!: string;
  @Field() name!: string;
  @Field() municipality!: string;
  @Field(() => [String], { description: 'Коды ОО в хабе («вид:значение»: FISOKO_LOGIN:sch661234, INN:…)' }) codes!: string[];
  @Field(() => Float, { description: 'Сходство, 0–1' }) score!: number;
  @Field({ description: 'Почему предложена' }) reasonRu!: string;
}

@ObjectType('UnknownSchoolCode', { description: 'Код ОО из файла, которого нет в справочнике хаба, и ОО, которые он может означать' })
export class UnknownSchoolCodeType {
  @Field() code!: string;
  @Field(() => String, { nullable: true, description: 'Наименование ОО, как в файле' }) schoolName!: string | null;
  @Field(() => [Int], { description: 'Строки файла с этим кодом' }) rows!: number[];
  @Field(() => [SchoolCandidateType], { description: 'Кандидаты своего региона, лучшие первыми (пусто — похожих нет)' }) candidates!: SchoolCandidateType[];
}

@InputType({ description: 'Подтверждение: код из файла — это данная ОО (код становится её кодом-синонимом)' })
export class ConfirmSchoolAliasInput {
  @Field({ description: 'Код из файла' })
  @MaxLength(100)
  code!: string;

  @Field(() => ID, { description: 'id ОО (schoolId кандидата)' })
  schoolId!: string;
}

@ObjectType('SchoolAliasConfirmed', { description: 'Код-синоним, добавленный ОО' })
export class SchoolAliasConfirmedType {
  @Field(() => ID) schoolId!: string;
  @Field() schoolName!: string;
  @Field() code!: string;
  @Field({ description: 'Вид кода: FISOKO_LOGIN, RCOI_CODE, INN или OTHER' }) kind!: string;
}

/** The kind a confirmed code is kept as: a ФИС ОКО login, an ИНН, else a code of another source. */
function aliasKind(code: string): 'FISOKO_LOGIN' | 'INN' | 'OTHER' {
  if (/^sch\d+$/i.test(code)) return 'FISOKO_LOGIN';
  if (/^\d{10}$/.test(code)) return 'INN';
  return 'OTHER';
}

@Resolver(() => ImportBatch)
export class SchoolMatchingResolver {
  @FieldResolver(() => [UnknownSchoolCodeType], { description: 'Коды ОО, которых нет в справочнике хаба, с ОО своего региона, которые они могут означать' })
  async unknownSchoolCodes(@Root() batch: ImportBatch, @Ctx() ctx: RequestContext): Promise<UnknownSchoolCodeType[]> {
    const kept = await unknownCodesOf(ctx.em.getKnex(), Number(batch.id));
    return kept.map((entry) => ({ ...entry, candidates: entry.candidates.map((candidate) => ({ ...candidate, schoolId: String(candidate.schoolId) })) }));
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => SchoolAliasConfirmedType, {
    nullable: true,
    description: 'Подтвердить, что код из файла означает ОО: код становится её кодом-синонимом (аудит schoolAlias.confirm); затем загрузите файл снова',
  })
  async confirmSchoolAlias(@Arg('input', () => ConfirmSchoolAliasInput) input: ConfirmSchoolAliasInput, @Ctx() ctx: RequestContext): Promise<SchoolAliasConfirmedType> {
    const code = input.code.trim();
    const schoolId = Number(input.schoolId);
    if (code === '' || !Number.isInteger(schoolId)) throw badInput('Нужны код и id ОО', 'input');
    const knex = ctx.em.getKnex();
    // Another region's school is «not found», like an unknown one: candidates never cross the key's region.
    const region = ownRegionFragment(ctx.principal, 's');
    const { rows } = await knex.raw(`select s.id, s.name from school s where s.id = ? and ${region.sql}`, [schoolId, ...region.bindings]);
    const school = rows[0] as { id: number; name: string } | undefined;
    if (school === undefined) throw hubError('NOT_FOUND', `ОО с id ${input.schoolId} не найдена`);
    const { rows: taken } = await knex.raw(`select s.id, s.name from school_alias a join school s on s.id = a.school_id where a.value = ?`, [code]);
    if (taken.length > 0) {
      if (taken.some((row: { id: number }) => row.id === schoolId)) throw hubError('CONFLICT', `Код «${code}» уже принадлежит ОО «${school.name}»`);
      throw hubError('CONFLICT', `Код «${code}» уже принадлежит другой ОО: «${taken[0].name}». Один код не может означать две ОО.`);
    }
    const kind = aliasKind(code);
    await knex.raw(`insert into school_alias (school_id, kind, value) values (?, ?, ?)`, [schoolId, kind, code]);
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({ action: 'schoolAlias.confirm', target: `school:${schoolId}`, details: { code, kind } });
    return { schoolId: String(schoolId), schoolName: school.name, code, kind };
  }
}
