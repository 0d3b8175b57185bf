import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAlias } from './alias-command';
import { runImport } from './import-command';
import { runProfile, type ProfileCommand } from './profile-command';
import { runRerun } from './rerun-command';
import { runRevert } from './revert-command';
import { runTerritory, type TerritoryCommand } from './territory-command';

const USAGE = `Использование:
  msoko-hub import ФАЙЛ [--layout ФОРМАТ] [--policy REJECT_ALL|ACCEPT_VALID] [--max-error-share 0.05]
                       [--year 2025] [--procedure VPR] [--subject "Русский язык"] [--grade 4]
                       [--profile ПРОФИЛЬ] [--mapping сопоставление.json] [--constant поле=значение ...]
                       [--encoding koi8-r] [--separator ";"|","|tab] [--sheet ЛИСТ] [--json-records result.records]
      Загружает файл в хаб, показывает ход чтения, проверки и записи и печатает отчёт.
      --mapping: сопоставление столбцов (формат mapped), JSON { "target": …, "columns": { поле: "заголовок" } };
      --constant: значение для всего файла — year, procedure, subjectName, grade, session или любое поле
      сопоставления (например, --constant schoolCode=sch661234 для протокола одной ОО без столбца кода ОО);
      --json-records: путь к массиву записей в файле JSON, ключи через точку («result.records» у CKAN); без него
      читается массив верхнего уровня или единственный массив записей в объекте;
      --profile: сохранённый профиль загрузки региона (формат, сопоставление, значения, кодировка, разделитель, лист,
      путь к записям JSON, правило для ошибок; importProfiles); указанное в команде важнее.
  msoko-hub profiles
      Профили загрузки региона (и общие).
  msoko-hub profile save НАЗВАНИЕ [--layout ФОРМАТ] [--mapping сопоставление.json] [--constant поле=значение ...] [--region КОД]
                                 [--encoding …] [--separator …] [--sheet …] [--json-records …] [--policy …] [--max-error-share …]
  msoko-hub profile delete НАЗВАНИЕ [--region КОД]
      Сохраняет (заменяет) или удаляет профиль загрузки: формат, сопоставление столбцов, значения и параметры чтения
      файла (кодировка, разделитель, лист, путь к записям JSON, правило для строк с ошибками) для файлов одного вида.
  msoko-hub alias confirm КОД ID_ОО
      Подтверждает, что код ОО из файла (из списка «Коды ОО, которых нет в справочнике хаба» в отчёте загрузки) — это
      ОО с данным id: код становится её кодом-синонимом. Затем перезапустите загрузку (rerun) или загрузите файл снова.
  msoko-hub rerun ПАКЕТ
      Перезапускает завершённую загрузку новым пакетом: тот же файл с теми же параметрами — например, после
      «alias confirm». Файл загрузки, строки которой отклонены, хранится UPLOAD_RETENTION_HOURS ч (по умолчанию 24).
  msoko-hub revert ПАКЕТ
      Отменяет загрузку: возвращает то, что она заменила, и удаляет то, что она добавила (отмену тоже можно отменить).
  msoko-hub regions
      Регионы хаба.
  msoko-hub region create КОД "Наименование"          (администратор)
  msoko-hub region rename КОД "Новое наименование"    (администратор)
  msoko-hub municipality create КОД_РЕГИОНА КОД "Наименование"          (администратор)
  msoko-hub municipality rename КОД_РЕГИОНА КОД "Новое наименование"    (администратор)

Общие параметры: --url http://127.0.0.1:4000 (или переменная MSOKO_URL), --key КЛЮЧ (или переменная MSOKO_KEY).

Коды выхода:
  0 — сделано (файл записан или загрузка отменена; код ОО подтверждён; регион или муниципалитет заведён, переименован);
  1 — не удалось выполнить (неверный вызов, нет ключа, хаб недоступен, сбой импорта);
  2 — хаб отказал: файл отклонён или отменён, код уже занят, регион не найден, недостаточно прав и т. п.`;

/** The territory command named by the positionals, or a Russian reason why none is. */
function territoryCommand(positionals: string[]): TerritoryCommand | string {
  const [noun, verb, ...rest] = positionals;
  if (noun === 'regions' && verb === undefined) return { kind: 'region-list' };
  if (noun === 'region') {
    if (verb === 'list' && rest.length === 0) return { kind: 'region-list' };
    if ((verb === 'create' || verb === 'rename') && rest.length === 2) return { kind: verb === 'create' ? 'region-create' : 'region-rename', code: rest[0], name: rest[1] };
    return `region ${verb ?? ''}: нужно «region create КОД "Наименование"» или «region rename КОД "Новое наименование"»`;
  }
  if (noun === 'municipality') {
    if ((verb === 'create' || verb === 'rename') && rest.length === 3) {
      return { kind: verb === 'create' ? 'municipality-create' : 'municipality-rename', regionCode: rest[0], code: rest[1], name: rest[2] };
    }
    return `municipality ${verb ?? ''}: нужно «municipality create КОД_РЕГИОНА КОД "Наименование"» или «municipality rename КОД_РЕГИОНА КОД "Новое наименование"»`;
  }
  return `неизвестная команда «${positionals.join(' ')}»`;
}

/**
 * `--encoding`, `--separator` (`tab` for a tab), `--sheet`, `--json-records` as the start's (or the profile's) read
 * options, or a Russian reason.
 */
function readOptions(values: {
  encoding?: string;
  separator?: string;
  sheet?: string;
  'json-records'?: string;
}): { encoding?: string; separator?: string; sheet?: string; recordsPath?: string } | string {
  const separator = values.separator === 'tab' || values.separator === '\\t' ? '\t' : values.separator;
  if (separator !== undefined && ![';', ',', '\t'].includes(separator)) return `--separator: «;», «,» или tab, указано «${values.separator}»`;
  const recordsPath = values['json-records'];
  return {
    ...(values.encoding ? { encoding: values.encoding } : {}),
    ...(separator ? { separator } : {}),
    ...(values.sheet ? { sheet: values.sheet } : {}),
    ...(recordsPath ? { recordsPath } : {}),
  };
}

/** Keys of `--constant` that are the upload's constants; any other key is a field of the mapping given as a value. */
const FILE_CONSTANTS: Record<string, 'number' | 'text'> = { year: 'number', grade: 'number', procedure: 'text', subjectName: 'text', session: 'text' };

/** `--mapping file.json` and `--constant key=value` into the start's mapping and constants, or a Russian reason. */
function importOptions(
  mappingFile: string | undefined,
  pairs: string[],
  constants: Record<string, string | number>,
  profile: string | undefined,
): { mapping?: Record<string, unknown>; fieldValues?: Record<string, string> } | string {
  let mapping: Record<string, unknown> | undefined;
  let fieldValues: Record<string, string> | undefined;
  if (mappingFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(mappingFile, 'utf8');
    } catch {
      return `файл сопоставления «${mappingFile}» не читается`;
    }
    try {
      mapping = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch (error) {
      return `файл сопоставления «${mappingFile}» — не JSON: ${(error as Error).message}`;
    }
    if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) return `файл сопоставления «${mappingFile}» должен содержать объект { "target": …, "columns": { … } }`;
  }
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return `--constant «${pair}»: нужно поле=значение (например, --constant schoolCode=sch661234)`;
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (key in FILE_CONSTANTS) {
      if (FILE_CONSTANTS[key] === 'number' && !/^\d+$/.test(value)) return `--constant ${key}: ожидается целое число, указано «${value}»`;
      constants[key] = FILE_CONSTANTS[key] === 'number' ? Number(value) : value;
    } else {
      if (mapping !== undefined) mapping = { ...mapping, values: { ...((mapping.values as Record<string, unknown> | undefined) ?? {}), [key]: value } };
      else if (profile !== undefined) fieldValues = { ...fieldValues, [key]: value };
      else return `--constant ${key}=…: поле «${key}» задаётся вместе с --mapping (сопоставлением столбцов) или --profile`;
    }
  }
  return { mapping, fieldValues };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' }, key: { type: 'string' }, layout: { type: 'string' }, policy: { type: 'string' },
      'max-error-share': { type: 'string' }, year: { type: 'string' }, procedure: { type: 'string' }, subject: { type: 'string' },
      grade: { type: 'string' }, mapping: { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' }, constant: { type: 'string', multiple: true }, help: { type: 'boolean' },
      encoding: { type: 'string' }, separator: { type: 'string' }, sheet: { type: 'string' }, 'json-records': { type: 'string' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const [command, file] = positionals;
  let territory: TerritoryCommand | null = null;
  if (command === 'revert' || command === 'rerun') {
    if (!file || positionals.length > 2 || !/^[1-9][0-9]{0,9}$/.test(file)) {
      process.stderr.write(`${command}: нужен номер пакета загрузки (например, msoko-hub ${command} 17)\n\n${USAGE}\n`);
      return 1;
    }
  } else if (command === 'alias') {
    const [, verb, code, schoolId, ...rest] = positionals;
    if (verb !== 'confirm' || !code || !schoolId || rest.length > 0 || !/^[1-9][0-9]{0,9}$/.test(schoolId)) {
      process.stderr.write(`alias: нужно «alias confirm КОД ID_ОО» (id ОО — из отчёта загрузки, например: msoko-hub alias confirm 77001 12)\n\n${USAGE}\n`);
      return 1;
    }
  } else if (command === 'profiles' || command === 'profile') {
    const [, verb, name, ...rest] = positionals;
    const ok = command === 'profiles' ? positionals.length === 1 : (verb === 'save' || verb === 'delete') && !!name && rest.length === 0;
    if (!ok) {
      process.stderr.write(`profile: нужно «profiles», «profile save НАЗВАНИЕ …» или «profile delete НАЗВАНИЕ»\n\n${USAGE}\n`);
      return 1;
    }
  } else if (command === 'import') {
    if (!file || positionals.length > 2) {
      process.stderr.write(`import: нужен ровно один файл\n\n${USAGE}\n`);
      return 1;
    }
  } else {
    const parsed = territoryCommand(positionals);
    if (typeof parsed === 'string') {
      process.stderr.write(`${parsed}\n\n${USAGE}\n`);
      return 1;
    }
    territory = parsed;
  }
  const key = values.key ?? process.env.MSOKO_KEY;
  if (!key) {
    process.stderr.write('Нужен ключ доступа: --key КЛЮЧ или переменная окружения MSOKO_KEY\n');
    return 1;
  }
  const url = values.url ?? process.env.MSOKO_URL ?? 'http://127.0.0.1:4000';
  const read = readOptions(values);
  if (typeof read === 'string') {
    process.stderr.write(`${command}: ${read}\n`);
    return 1;
  }
  const maxErrorShare = values['max-error-share'] !== undefined ? Number(values['max-error-share']) : undefined;
  if (territory !== null) return runTerritory(territory, url, key);
  if (command === 'profiles') return runProfile({ kind: 'profile-list' }, url, key);
  if (command === 'profile') {
    const name = positionals[2];
    if (positionals[1] === 'delete') return runProfile({ kind: 'profile-delete', name, regionCode: values.region }, url, key);
    const saved: Record<string, string | number> = {};
    if (values.year) saved.year = Number(values.year);
    if (values.grade) saved.grade = Number(values.grade);
    if (values.procedure) saved.procedure = values.procedure;
    if (values.subject) saved.subjectName = values.subject;
    const options = importOptions(values.mapping, values.constant ?? [], saved, undefined);
    if (typeof options === 'string') {
      process.stderr.write(`profile save: ${options}\n`);
      return 1;
    }
    const command: ProfileCommand = {
      kind: 'profile-save', name, layout: values.layout, mapping: options.mapping, constants: saved, regionCode: values.region,
      file: { ...read, ...(values.policy ? { policy: values.policy } : {}), ...(maxErrorShare !== undefined ? { maxErrorShare } : {}) },
    };
    return runProfile(command, url, key);
  }
  if (command === 'revert') return runRevert({ batchId: file, url, key });
  if (command === 'rerun') return runRerun({ batchId: file, url, key });
  if (command === 'alias') return runAlias({ code: positionals[2], schoolId: positionals[3] }, url, key);

  const constants: Record<string, string | number> = {};
  if (values.year) constants.year = Number(values.year);
  if (values.grade) constants.grade = Number(values.grade);
  if (values.procedure) constants.procedure = values.procedure;
  if (values.subject) constants.subjectName = values.subject;
  const options = importOptions(values.mapping, values.constant ?? [], constants, values.profile);
  if (typeof options === 'string') {
    process.stderr.write(`import: ${options}\n`);
    return 1;
  }
  return runImport({
    file,
    url,
    key,
    layout: values.layout ?? (options.mapping ? 'mapped' : undefined),
    mapping: options.mapping,
    profile: values.profile,
    fieldValues: options.fieldValues,
    policy: values.policy as 'REJECT_ALL' | 'ACCEPT_VALID' | undefined,
    maxErrorShare,
    readOptions: read,
    constants,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const cause = (error as { cause?: { code?: string } }).cause;
    const unreachable = error.message === 'fetch failed' || cause?.code === 'ECONNREFUSED';
    process.stderr.write(`msoko-hub: ${unreachable ? 'хаб недоступен — проверьте --url и что API запущен' : error.message}\n`);
    process.exit(1);
  },
);
