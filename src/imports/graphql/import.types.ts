import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { JobTicketType } from '../../graphql/job.types';
import { Connection } from '../../graphql/pagination';
import { ImportPolicy, ImportStatus } from '../batch/import-status';
import type { RevertableBatch } from '../undo/later-batches';

@ObjectType({ description: 'Ход загрузки: этап и сколько строк пройдено' })
export class ImportProgress {
  @Field(() => ImportStatus)
  stage!: ImportStatus;

  @Field(() => Int, { description: 'Строк данных прочитано на этом этапе' })
  rows!: number;

  @Field(() => Int, { description: 'Ошибок найдено' })
  errors!: number;
}

@ObjectType({ description: 'Сколько строк прочитано, принято, отклонено и что изменилось в базе' })
export class ImportCounts {
  @Field(() => Int, { description: 'Непустых строк данных в файле' })
  rowsRead!: number;

  @Field(() => Int, { description: 'Строк без ошибок, вошедших в загрузку' })
  accepted!: number;

  @Field(() => Int, { description: 'Строк с ошибками' })
  rejected!: number;

  @Field(() => Int, { description: 'Строк, пропущенных с предупреждением' })
  skipped!: number;

  @Field(() => Int, { description: 'Записей добавлено' })
  inserted!: number;

  @Field(() => Int, { description: 'Записей заменено (прежние данные той же области загрузки)' })
  replaced!: number;

  @Field(() => Int, { description: 'Ошибок в отчёте' })
  errors!: number;

  @Field(() => Int, { description: 'Предупреждений в отчёте' })
  warnings!: number;
}

@ObjectType({ description: 'Длительность этапов, мс' })
export class ImportTimings {
  @Field(() => Int, { nullable: true, description: 'Чтение файла и перенос в промежуточную таблицу' })
  parseMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'Проверки по справочникам и шкалам' })
  validateMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'Замена данных в одной транзакции' })
  mergeMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'От начала обработки до результата' })
  totalMs!: number | null;
}

@ObjectType({ description: 'Ошибка файла в целом: загрузка невозможна' })
export class ImportFileProblem {
  @Field()
  code!: string;

  @Field()
  messageRu!: string;

  @Field(() => String, { nullable: true })
  sheet!: string | null;

  @Field(() => Int, { nullable: true })
  row!: number | null;

  @Field(() => String, { nullable: true })
  column!: string | null;

  @Field(() => String, { nullable: true })
  value!: string | null;
}

@ObjectType({ description: 'Что хаб понял о файле' })
export class ImportReport {
  @Field({ description: 'csv или xlsx' })
  format!: string;

  @Field(() => String, { nullable: true, description: 'Кодировка CSV' })
  encoding!: string | null;

  @Field(() => String, { nullable: true, description: 'Разделитель CSV' })
  separator!: string | null;

  @Field(() => String, { nullable: true, description: 'Лист XLSX' })
  sheet!: string | null;

  @Field(() => Int, { description: 'Строка заголовка' })
  headerRow!: number;

  @Field(() => Float, { description: 'Уверенность определения формата (0–1)' })
  layoutConfidence!: number;

  @Field(() => String, { nullable: true, description: 'Строка-название файла («ВПР 2024 Русский язык 4 класс»)' })
  title!: string | null;

  @Field(() => String, { nullable: true })
  procedure!: string | null;

  @Field(() => Int, { nullable: true })
  year!: number | null;

  @Field(() => String, { nullable: true })
  subjectName!: string | null;

  @Field(() => Int, { nullable: true })
  grade!: number | null;

  @Field(() => Int, { description: 'Столбцов с персональными данными, отброшенных без сохранения' })
  personalColumnsDropped!: number;

  @Field(() => [String], { description: 'Заголовки отброшенных персональных столбцов (не их содержимое)' })
  personalColumnHeaders!: string[];

  @Field(() => [String], { description: 'Столбцы файла, которые формат не использует' })
  ignoredColumns!: string[];

  @Field(() => [String], { description: 'Что ещё сделала загрузка (например, шкала процедуры взята из файла)' })
  notes!: string[];

  @Field(() => Int, { description: 'Строк участников, не писавших работу («отсутствовал», «не явился», «н/я», NA, пустые результаты): они не записаны и ошибками не считаются (входят в counts.skipped)' })
  absentRows!: number;
}

@ObjectType('ImportConstants', { description: 'Значения, указанные при загрузке для всего файла' })
export class ImportConstantsType {
  @Field(() => String, { nullable: true })
  procedure!: string | null;

  @Field(() => Int, { nullable: true })
  year!: number | null;

  @Field(() => String, { nullable: true })
  subjectName!: string | null;

  @Field(() => Int, { nullable: true })
  grade!: number | null;

  @Field(() => String, { nullable: true })
  session!: string | null;
}

@ObjectType({ description: 'Пакет загрузки: один файл, кто и когда его загрузил, как он загружался и чем закончилось' })
export class ImportBatch {
  @Field(() => ID)
  id!: number;

  @Field(() => ImportStatus)
  status!: ImportStatus;

  @Field({ description: 'Имя файла, как его загрузили' })
  fileName!: string;

  @Field(() => Float, { description: 'Размер файла, байт' })
  fileSize!: number;

  @Field({ description: 'SHA-256 содержимого: тот же файл узнаётся по нему' })
  fileSha256!: string;

  @Field(() => String, { nullable: true, description: 'Формат (layout), с которым файл читался: определённый или указанный' })
  layout!: string | null;

  @Field(() => String, { nullable: true, description: 'Формат, указанный при запуске (null — определяется автоматически)' })
  layoutRequested!: string | null;

  @Field(() => String, { nullable: true, description: 'Вид записей: participant-result, school-marks, school, …' })
  recordKind!: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Сопоставление столбцов (формат mapped)' })
  mapping!: unknown;

  @Field(() => ImportConstantsType)
  constants!: ImportConstantsType;

  @Field(() => ImportPolicy)
  policy!: ImportPolicy;

  @Field(() => Float, { nullable: true, description: 'Для ACCEPT_VALID: наибольшая доля строк с ошибками (0–1)' })
  maxErrorShare!: number | null;

  @Field({ description: 'Кто загрузил (ключ доступа)' })
  actor!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  queuedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => ImportProgress, { nullable: true })
  progress!: ImportProgress | null;

  @Field(() => ImportCounts)
  counts!: ImportCounts;

  @Field(() => ImportTimings)
  timings!: ImportTimings;

  @Field(() => String, { nullable: true, description: 'Итог загрузки словами' })
  messageRu!: string | null;

  @Field(() => ImportFileProblem, { nullable: true, description: 'Почему файл не мог быть загружен целиком' })
  fileError!: ImportFileProblem | null;

  @Field(() => ImportReport, { nullable: true })
  report!: ImportReport | null;

  @Field(() => ID, { nullable: true, description: 'Пакет, которым этот же файл уже был загружен (данные не изменялись)' })
  duplicateOf!: number | null;

  @Field(() => Int, { description: 'Попыток обработки' })
  attempts!: number;

  @Field(() => [Int], { description: 'Годы, данные которых изменила загрузка' })
  affectedYears!: number[];

  @Field(() => Int, { description: 'Сколько ОО затронула загрузка' })
  affectedSchools!: number;

  @Field(() => JobTicketType, { nullable: true, description: 'Задача загрузки в очереди imports' })
  job!: JobTicketType | null;

  @Field(() => [JobTicketType], { description: 'Пересчёты, поставленные загрузкой (агрегаты → риски → рекомендации); состояние — запросом job(id)' })
  recomputeJobs!: JobTicketType[];

  @Field({ description: 'Адрес отчёта об ошибках в CSV (GET, с тем же ключом доступа)' })
  errorsCsvPath!: string;

  @Field(() => Date, { nullable: true, description: 'До какого момента загрузку можно отменить (revertImport): заменённое хранится IMPORT_UNDO_DAYS дней' })
  undoUntil!: Date | null;

  /** What revertible / revertBlockedReason decide from (ImportResolver; not a field of its own). */
  revertCheck!: RevertableBatch;

  @Field(() => ID, { nullable: true, description: 'Для отмены: какую загрузку она отменяет' })
  revertsBatchId!: number | null;

  @Field(() => ID, { nullable: true, description: 'Какой пакет отменил эту загрузку' })
  revertedByBatchId!: number | null;

  @Field(() => ID, { nullable: true, description: 'Для перезапуска (rerunImport): какую загрузку он повторяет — тот же файл с теми же параметрами' })
  rerunOfBatchId!: number | null;

  @Field({
    description:
      'Файл завершённой загрузки ещё хранится, и её можно перезапустить (rerunImport): так бывает, когда отклонены строки, а не файл целиком ' +
      '(неизвестный код ОО, нет шкалы…), — файл хранится UPLOAD_RETENTION_HOURS ч после завершения',
  })
  fileKept!: boolean;

  @Field(() => [ImportPreviewEntry], { nullable: true, description: 'Итог пробного запуска (startImport с dryRun: true): что заменилось бы и добавилось, по ОО и процедурам' })
  preview!: ImportPreviewEntry[] | null;
}

@ObjectType({ description: 'Что загрузка заменила бы и добавила в одной ОО по одной процедуре (или ОО × году…): пробный запуск' })
export class ImportPreviewEntry {
  @Field({ description: 'Таблица хаба: participant_result, school_result, school_context, …' })
  table!: string;

  @Field(() => ID, { nullable: true })
  schoolId!: number | null;

  @Field(() => String, { nullable: true })
  schoolName!: string | null;

  @Field(() => ID, { nullable: true })
  assessmentId!: number | null;

  @Field(() => String, { nullable: true, description: 'Процедура, год, предмет, класс' })
  assessment!: string | null;

  @Field(() => Int, { nullable: true })
  year!: number | null;

  @Field(() => Int, { description: 'Записей, которые были бы заменены (удалены или изменены)' })
  replaced!: number;

  @Field(() => Int, { description: 'Записей, которые были бы добавлены' })
  added!: number;
}

@ObjectType({ description: 'Ошибка или предупреждение по строке файла' })
export class ImportRowError {
  @Field(() => ID)
  id!: number;

  @Field({ description: 'ERROR — строка не загружена; WARNING — строка пропущена намеренно' })
  severity!: string;

  @Field()
  file!: string;

  @Field(() => String, { nullable: true })
  sheet!: string | null;

  @Field(() => Int, { nullable: true, description: 'Номер строки, как в Excel' })
  row!: number | null;

  @Field(() => String, { nullable: true, description: 'Заголовок столбца' })
  column!: string | null;

  @Field(() => String, { nullable: true, description: 'Адрес ячейки (G7)' })
  cell!: string | null;

  @Field(() => String, { nullable: true, description: 'Значение из файла (в файлах с персональными данными слова скрыты)' })
  value!: string | null;

  @Field()
  code!: string;

  @Field({ description: 'Сообщение для оператора' })
  messageRu!: string;
}

@ObjectType()
export class ImportBatchConnection extends Connection(ImportBatch) {}

@ObjectType()
export class ImportRowErrorConnection extends Connection(ImportRowError) {}
