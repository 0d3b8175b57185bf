import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { badInput, parseId } from '../../graphql/errors';
import { ImportPolicy, ImportStatus } from '../batch/import-status';
import { givenReadOptions, withProfile, type FileOptions, type ImportProfile } from '../profiles/import-profiles';
import { LAYOUT_NAMES, type ColumnMapping, type MappedMarksField, type MappedParticipantField, type SchoolResultField } from '../parsing';

@InputType({ description: 'Значения для всего файла, которых в нём нет (или которые нужно подтвердить)' })
export class ImportConstantsInput {
  @Field(() => String, { nullable: true, description: 'Процедура: ВПР, НИКО, ОГЭ, ЕГЭ, ГВЭ, ВсОШ (или VPR, OGE…)' })
  @IsOptional()
  @MaxLength(20)
  procedure?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(2000)
  @Max(2100)
  year?: number | null;

  @Field(() => String, { nullable: true, description: 'Предмет, как его называет файл («Русский язык»)' })
  @IsOptional()
  @MaxLength(200)
  subjectName?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(11)
  grade?: number | null;

  @Field(() => String, { nullable: true, description: 'Сессия: spring (ВПР весна, по умолчанию для ВПР и НИКО), autumn, main (по умолчанию для ГИА), reserve…' })
  @IsOptional()
  @MaxLength(40)
  session?: string | null;
}

/**
 * How the file is read and what happens to rows in error: given to a start, or kept in a profile (a start's own come
 * first, each on its own).
 */
@InputType({ description: 'Параметры чтения файла и правило для строк с ошибками' })
export class ImportFileOptionsInput {
  @Field(() => ImportPolicy, { nullable: true, description: 'Правило для строк с ошибками; при загрузке не указано — из профиля, иначе REJECT_ALL' })
  @IsOptional()
  policy?: ImportPolicy | null;

  @Field(() => Float, { nullable: true, description: 'Для ACCEPT_VALID: наибольшая доля строк с ошибками, 0–1 (0,05 = 5 %); при загрузке не указано — из профиля' })
  @IsOptional()
  @Min(0)
  @Max(1)
  maxErrorShare?: number | null;

  @Field(() => String, { nullable: true, description: 'Кодировка CSV, если она не определяется сама (windows-1251, koi8-r, utf-16le…)' })
  @IsOptional()
  @MaxLength(40)
  encoding?: string | null;

  @Field(() => String, { nullable: true, description: 'Разделитель CSV: «;», «,» или «\\t»' })
  @IsOptional()
  @IsIn([';', ',', '\t'])
  separator?: string | null;

  @Field(() => String, { nullable: true, description: 'Лист XLSX (по умолчанию — первый видимый)' })
  @IsOptional()
  @MaxLength(100)
  sheet?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'JSON: путь к массиву записей, ключи через точку («result.records» у CKAN, «data»); не указан — массив верхнего уровня или единственный массив записей в объекте (до 3 уровней)',
  })
  @IsOptional()
  @MaxLength(200)
  recordsPath?: string | null;
}

@InputType({ description: 'Запуск загрузки файла, принятого POST /imports' })
export class StartImportInput extends ImportFileOptionsInput {
  @Field(() => ID, { description: 'id пакета из ответа POST /imports' })
  batchId!: string;

  @Field(() => String, { nullable: true, description: `Формат файла, если его не нужно определять: ${LAYOUT_NAMES.join(', ')}` })
  @IsOptional()
  layout?: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'Сопоставление столбцов для формата mapped: { target: "participant-result" | "school-marks" | "school-results", columns: { поле: "заголовок в файле" }, values?: { поле: "значение для всех строк" }, taskColumns?, identityColumns?, markValues? }',
  })
  @IsOptional()
  mapping?: unknown;

  @Field(() => ImportConstantsInput, { nullable: true })
  @IsOptional()
  constants?: ImportConstantsInput | null;

  @Field(() => String, { nullable: true, description: 'Профиль загрузки (importProfiles): его формат, сопоставление, значения, кодировка, разделитель, лист, путь к записям JSON и правило для ошибок; указанное в запросе важнее' })
  @IsOptional()
  @MaxLength(100)
  profile?: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Значения полей сопоставления для всех строк ({ "schoolCode": "sch661234" }): дополняют values сопоставления из запроса или профиля' })
  @IsOptional()
  fieldValues?: unknown;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Пробный запуск: файл читается и проверяется, запись выполняется и откатывается; в preview — что заменилось бы и добавилось по ОО и процедурам. Данные не меняются, пакет снова ждёт запуска',
  })
  dryRun: boolean = false;
}

@ArgsType()
export class ImportBatchesArgs {
  @Field(() => [ImportStatus], { nullable: true, description: 'Только пакеты в этих состояниях' })
  @IsOptional()
  statuses?: ImportStatus[] | null;
}

const PARTICIPANT_FIELDS: readonly MappedParticipantField[] = [
  'schoolCode', 'schoolName', 'municipality', 'participantCode', 'classLabel', 'variant', 'primaryScore', 'mark', 'journalMark', 'testScore',
  'procedure', 'year', 'subjectName', 'grade',
];
const MARKS_FIELDS: readonly MappedMarksField[] = ['schoolCode', 'schoolName', 'inn', 'ogrn', 'address', 'municipality', 'participants', 'mark2', 'mark3', 'mark4', 'mark5', 'procedure', 'year', 'subjectName', 'grade'];

const SCHOOL_RESULT_FIELDS: readonly SchoolResultField[] = [
  'schoolCode', 'schoolName', 'municipality', 'procedure', 'year', 'subjectName', 'grade', 'participants', 'meanPrimary', 'meanTestScore',
  'mark2', 'mark3', 'mark4', 'mark5', 'belowMinimum', 'countTest80', 'countTest100', 'countSum3_220',
  'percentBelowMinimum', 'percentTest80', 'percentTest100', 'percentSum3_220', 'inn', 'ogrn', 'address',
];

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '');

/** `values`: fields given as one value for the whole file (a string or a number), each either a column or a value. */
function parseMappingValues(
  raw: unknown,
  allowed: readonly string[],
  columns: Record<string, unknown>,
  fail: (why: string) => Error,
): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw fail('values должен быть объектом { поле: значение }');
  const values: Record<string, string> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!allowed.includes(field)) throw fail(`поле «${field}» в values не известно; допустимо: ${allowed.join(', ')}`);
    if (columns[field] !== undefined) throw fail(`поле «${field}» задано и столбцом, и значением — оставьте одно`);
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') throw fail(`для поля «${field}» в values нужно значение (строка или число)`);
    values[field] = String(value).trim();
  }
  return Object.keys(values).length > 0 ? values : undefined;
}

/** The mapping as the upload form sent it, checked field by field (it is JSON from a client). */
export function parseMapping(raw: unknown): ColumnMapping {
  const fail = (why: string) => badInput(`Сопоставление столбцов (mapping): ${why}`, 'input.mapping');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('ожидается объект { target, columns, … }');
  const { target, columns, taskColumns, identityColumns, markValues, values: rawValues, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw fail(`неизвестные ключи: ${Object.keys(rest).join(', ')}`);
  if (target !== 'participant-result' && target !== 'school-marks' && target !== 'school-results') throw fail('target должен быть «participant-result», «school-marks» или «school-results»');
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) throw fail('columns должен быть объектом { поле: "заголовок столбца в файле" }');
  const allowed: readonly string[] = target === 'participant-result' ? PARTICIPANT_FIELDS : target === 'school-marks' ? MARKS_FIELDS : SCHOOL_RESULT_FIELDS;
  for (const [field, header] of Object.entries(columns)) {
    if (!allowed.includes(field)) throw fail(`поле «${field}» не известно для ${target}; допустимо: ${allowed.join(', ')}`);
    if (typeof header !== 'string' || header.trim() === '') throw fail(`для поля «${field}» нужен заголовок столбца (строка)`);
  }
  const values = parseMappingValues(rawValues, allowed, columns as Record<string, unknown>, fail);
  if (target === 'participant-result') {
    if (markValues !== undefined) throw fail('markValues задаётся только для school-marks');
    if (taskColumns !== undefined && !isStringList(taskColumns)) throw fail('taskColumns — список заголовков столбцов заданий');
    if (identityColumns !== undefined && !isStringList(identityColumns)) throw fail('identityColumns — список заголовков столбцов (ФИО, документ)');
    return { target, columns: columns as Record<string, string>, taskColumns: taskColumns as string[] | undefined, identityColumns: identityColumns as string[] | undefined, values };
  }
  if (taskColumns !== undefined || identityColumns !== undefined) throw fail('taskColumns и identityColumns задаются только для participant-result');
  if (markValues !== undefined && markValues !== 'percent' && markValues !== 'count') throw fail('markValues — «percent» (доли) или «count» (количества)');
  if (target === 'school-results') return { target, columns: columns as Record<string, string>, markValues: markValues as 'percent' | 'count' | undefined, values };
  return { target, columns: columns as Record<string, string>, markValues: markValues as 'percent' | 'count' | undefined, values };
}

/**
 * Layout, mapping, constants and file options of a start: what the request gives, over the profile it names
 * (`withProfile`), the merged mapping checked like a requested one.
 */
export function startOptions(
  input: StartImportInput,
  profile: ImportProfile | null,
): { layout: string | null; mapping: ColumnMapping | null; constants: Record<string, string | number>; file: FileOptions & { policy: ImportPolicy } } {
  const requested = input.mapping === null || input.mapping === undefined ? null : parseMapping(input.mapping);
  let fieldValues: Record<string, string> | null = null;
  if (input.fieldValues !== null && input.fieldValues !== undefined) {
    if (typeof input.fieldValues !== 'object' || Array.isArray(input.fieldValues)) throw badInput('fieldValues — объект { поле: значение }', 'input.fieldValues');
    fieldValues = Object.fromEntries(Object.entries(input.fieldValues as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
  }
  const constants = Object.fromEntries(Object.entries(input.constants ?? {}).filter(([, value]) => value !== null && value !== undefined && value !== '')) as Record<string, string | number>;
  const file: FileOptions = { readOptions: givenReadOptions(input), policy: input.policy ?? null, maxErrorShare: input.maxErrorShare ?? null };
  const merged = withProfile(profile, { layout: parseLayout(input.layout), mapping: requested, constants, fieldValues, file });
  return { layout: parseLayout(merged.layout), mapping: merged.mapping === null ? null : parseMapping(merged.mapping), constants: merged.constants, file: merged.file };
}

export function parseLayout(layout: string | null | undefined): string | null {
  if (layout === null || layout === undefined || layout.trim() === '') return null;
  if (!(LAYOUT_NAMES as readonly string[]).includes(layout)) throw badInput(`Формат «${layout}» не известен. Известные форматы: ${LAYOUT_NAMES.join(', ')}`, 'input.layout');
  return layout;
}

/** A batch id, or BAD_USER_INPUT naming the argument. */
export const parseBatchId = (id: string, argument: string): number => parseId(id, argument, 'пакета загрузки');
