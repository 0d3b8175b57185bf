/** GraphQL of import profiles: list, save, delete; `startImport(input: { profile })` uses one (import.resolver.ts). */
import { GraphQLJSON } from 'graphql-scalars';
import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { AuditService } from '../../auth/audit.service';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { ImportPolicy } from '../batch/import-status';
import { ImportConstantsInput, ImportFileOptionsInput, parseLayout, parseMapping } from '../graphql/import.inputs';
import { ImportConstantsType } from '../graphql/import.types';
import { IMPORT_ROLES } from '../import-access';
import { givenReadOptions, ImportProfiles, type ImportProfile } from './import-profiles';

@ObjectType('ImportProfile', { description: 'Профиль загрузки: сохранённые формат, сопоставление столбцов, значения и параметры чтения файла (кодировка, разделитель, лист, путь к записям JSON, правило для ошибок) для файлов одного вида' })
export class ImportProfileType {
  @Field(() => ID) id!: string;
  @Field({ description: 'Название, по которому профиль указывают при загрузке (profile, --profile)' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Код региона; null — общий профиль хаба' }) regionCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Формат файла; null — определять по заголовку (mapped при сопоставлении)' }) layout!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Сопоставление столбцов (как mapping в startImport), со значениями полей values' }) mapping!: unknown;
  @Field(() => ImportConstantsType, { description: 'Значения для всего файла' }) constants!: ImportConstantsType;
  @Field(() => String, { nullable: true, description: 'Кодировка CSV; null — определяется сама' }) encoding!: string | null;
  @Field(() => String, { nullable: true, description: 'Разделитель CSV; null — определяется сам' }) separator!: string | null;
  @Field(() => String, { nullable: true, description: 'Лист XLSX; null — первый видимый' }) sheet!: string | null;
  @Field(() => String, { nullable: true, description: 'JSON: путь к массиву записей («result.records»); null — найти самому' }) recordsPath!: string | null;
  @Field(() => ImportPolicy, { nullable: true, description: 'Правило для строк с ошибками; null — REJECT_ALL, если запуск не укажет другое' }) policy!: ImportPolicy | null;
  @Field(() => Float, { nullable: true, description: 'Для ACCEPT_VALID: наибольшая доля строк с ошибками, 0–1' }) maxErrorShare!: number | null;
  @Field({ description: 'Кто сохранил' }) savedBy!: string;
  @Field(() => Date) updatedAt!: Date;
}

@InputType({ description: 'Профиль загрузки для сохранения (профиль с тем же названием в регионе заменяется); кодировка, разделитель, лист, путь к записям JSON и правило для ошибок применяются при загрузке, если запуск не укажет свои' })
export class SaveImportProfileInput extends ImportFileOptionsInput {
  @Field({ description: 'Название профиля' })
  @MaxLength(100)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Код региона (администратор; не указан — общий профиль хаба). Региональному центру — его регион' })
  @IsOptional()
  @MaxLength(20)
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Формат файла (как layout в startImport)' })
  @IsOptional()
  layout?: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Сопоставление столбцов (как mapping в startImport), со значениями полей values' })
  @IsOptional()
  mapping?: unknown;

  @Field(() => ImportConstantsInput, { nullable: true })
  @IsOptional()
  constants?: ImportConstantsInput | null;
}

const CONSTANT_KEYS = ['procedure', 'year', 'subjectName', 'grade', 'session'] as const;

function profileView(profile: ImportProfile): ImportProfileType {
  const c = profile.constants as Record<string, unknown>;
  return {
    id: String(profile.id),
    name: profile.name,
    regionCode: profile.regionCode,
    layout: profile.layout,
    mapping: profile.mapping,
    constants: {
      procedure: (c.procedure as string | undefined) ?? null,
      year: (c.year as number | undefined) ?? null,
      subjectName: (c.subjectName as string | undefined) ?? null,
      grade: (c.grade as number | undefined) ?? null,
      session: (c.session as string | undefined) ?? null,
    },
    encoding: profile.file.readOptions.encoding ?? null,
    separator: profile.file.readOptions.separator ?? null,
    sheet: profile.file.readOptions.sheet ?? null,
    recordsPath: profile.file.readOptions.recordsPath ?? null,
    policy: profile.file.policy,
    maxErrorShare: profile.file.maxErrorShare,
    savedBy: profile.savedBy,
    updatedAt: profile.updatedAt,
  };
}

@Resolver(() => ImportProfileType)
export class ImportProfileResolver {
  @Authorized(...IMPORT_ROLES)
  @Query(() => [ImportProfileType], { description: 'Профили загрузки: своего региона и общие (администратору — все)' })
  async importProfiles(@Ctx() ctx: RequestContext): Promise<ImportProfileType[]> {
    return (await new ImportProfiles(ctx.em.getKnex(), ctx.principal).list()).map(profileView);
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => ImportProfileType, { nullable: true, description: 'Сохранить профиль загрузки (с тем же названием — заменить); аудит importProfile.save' })
  async saveImportProfile(@Arg('input', () => SaveImportProfileInput) input: SaveImportProfileInput, @Ctx() ctx: RequestContext): Promise<ImportProfileType> {
    const layout = parseLayout(input.layout);
    const mapping = input.mapping === null || input.mapping === undefined ? null : parseMapping(input.mapping);
    if (layout !== null && layout !== 'mapped' && mapping !== null) throw badInput('Сопоставление столбцов задаётся только для формата mapped', 'input.mapping');
    if (layout === 'mapped' && mapping === null) throw badInput('Для формата mapped нужно сопоставление столбцов (mapping)', 'input.mapping');
    const given = (input.constants ?? {}) as Record<string, unknown>;
    const constants = Object.fromEntries(CONSTANT_KEYS.map((key) => [key, given[key]]).filter(([, value]) => value !== null && value !== undefined && value !== '')) as Record<string, string | number>;
    const file = { readOptions: givenReadOptions(input), policy: input.policy ?? null, maxErrorShare: input.maxErrorShare ?? null };
    const saved = await new ImportProfiles(ctx.em.getKnex(), ctx.principal).save(input.name, input.regionCode ?? null, { layout, mapping, constants, file });
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({
      action: 'importProfile.save',
      target: `importProfile:${saved.id}`,
      details: { name: saved.name, regionCode: saved.regionCode, layout: saved.layout, target: saved.mapping?.target ?? null },
    });
    return profileView(saved);
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => Boolean, { nullable: true, description: 'Удалить профиль загрузки (аудит importProfile.delete); false — такого не было' })
  async deleteImportProfile(
    @Arg('name') name: string,
    @Arg('regionCode', () => String, { nullable: true, description: 'Код региона (администратор); не указан — общий профиль хаба' }) regionCode: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const deleted = await new ImportProfiles(ctx.em.getKnex(), ctx.principal).delete(name, regionCode ?? null);
    if (deleted === null) return false;
    await new AuditService(ctx.em, ctx.principal, ctx.remoteAddress).record({ action: 'importProfile.delete', target: `importProfile:${deleted.id}`, details: { name: deleted.name, regionCode: deleted.regionCode } });
    return true;
  }
}
