import { registerEnumType } from 'type-graphql';

/** Where an import batch is. Values are the database enum `import_status`. */
export enum ImportStatus {
  UPLOADED = 'UPLOADED',
  QUEUED = 'QUEUED',
  PARSING = 'PARSING',
  VALIDATING = 'VALIDATING',
  MERGING = 'MERGING',
  DONE = 'DONE',
  FAILED = 'FAILED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(ImportStatus, {
  name: 'ImportStatus',
  description: 'Состояние пакета загрузки',
  valuesConfig: {
    UPLOADED: { description: 'Файл принят и ждёт запуска загрузки (startImport)' },
    QUEUED: { description: 'Загрузка поставлена в очередь' },
    PARSING: { description: 'Файл читается и переносится в промежуточную таблицу' },
    VALIDATING: { description: 'Строки проверяются по справочникам и шкалам' },
    MERGING: { description: 'Данные заменяются в одной транзакции' },
    DONE: { description: 'Данные загружены (или файл уже был загружен — см. duplicateOf)' },
    FAILED: { description: 'Техническая ошибка; данные не изменены' },
    REJECTED: { description: 'Файл или строки с ошибками: данные не изменены, ошибки — в отчёте' },
    CANCELLED: { description: 'Загрузка отменена до начала обработки' },
  },
});

/** Statuses after which nothing happens to a batch any more. */
export const FINAL_STATUSES: readonly ImportStatus[] = [ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REJECTED, ImportStatus.CANCELLED];

/** Statuses a worker may (re)start from: a retried job finds its batch where the previous attempt stopped. */
export const RUNNABLE_STATUSES: readonly ImportStatus[] = [ImportStatus.QUEUED, ImportStatus.PARSING, ImportStatus.VALIDATING, ImportStatus.MERGING];

/** What happens to the valid rows of a file that also has invalid ones. */
export enum ImportPolicy {
  REJECT_ALL = 'REJECT_ALL',
  ACCEPT_VALID = 'ACCEPT_VALID',
}

registerEnumType(ImportPolicy, {
  name: 'ImportPolicy',
  description: 'Что делать с файлом, в котором есть строки с ошибками',
  valuesConfig: {
    REJECT_ALL: { description: 'Отклонить весь файл при любой ошибке (по умолчанию)' },
    ACCEPT_VALID: { description: 'Загрузить верные строки, если доля строк с ошибками не больше maxErrorShare' },
  },
});
