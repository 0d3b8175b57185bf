/**
 * Renders TEMPLATES.md from the template layouts' column specs, so the documentation is the code.
 * Regenerate after changing a template: node -r ts-node/register/transpile-only src/imports/parsing/templates-doc.ts
 * (a test fails while TEMPLATES.md is out of date).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnType } from './headers';
import { TEMPLATE_LAYOUTS } from './layouts';
import type { TemplateLayout } from './layouts/layout';

const TYPE_NAMES_RU: Record<ColumnType, string> = {
  text: 'текст',
  code: 'код (текст)',
  integer: 'целое число',
  decimal: 'число',
  percent: 'доля, %',
  year: 'год',
  grade: 'класс 1–11',
  mark: 'отметка',
  'yes-no': 'да / нет',
  enum: 'значение из списка',
  'task-list': 'список заданий',
  list: 'список',
};

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function renderTemplate(layout: TemplateLayout): string {
  const lines = [
    `### \`${layout.name}\` — ${layout.titleRu}`,
    '',
    layout.aboutRu,
    '',
    `Пример: \`test/fixtures/imports/templates/${layout.name}.csv\` и \`.xlsx\`.`,
    '',
    '| Столбец | Обязательный | Тип | Пример | Описание | Другие допустимые заголовки |',
    '|---|---|---|---|---|---|',
  ];
  for (const column of layout.columns) {
    if (column.descriptionRu === undefined || column.example === undefined) {
      throw new Error(`Template ${layout.name}: column "${column.header}" lacks a description or an example`);
    }
    lines.push(
      `| ${escapeCell(column.header)} | ${column.required ? 'да' : 'нет'} | ${TYPE_NAMES_RU[column.type]} | ${column.example === '' ? '—' : `\`${escapeCell(column.example)}\``} | ${escapeCell(column.descriptionRu)} | ${(column.aliases ?? []).map((alias) => escapeCell(alias)).join('; ') || '—'} |`,
    );
  }
  return lines.join('\n');
}

export function renderTemplatesMarkdown(): string {
  return [
    '<!-- Generated from src/imports/parsing/layouts/*.ts by templates-doc.ts. Do not edit by hand. -->',
    '',
    '## Шаблоны загрузки данных',
    '',
    'Хаб принимает свои шаблоны в CSV и XLSX. Общие правила для всех файлов:',
    '',
    '- **Заголовок** — первая строка (в файлах ФИС ОКО и РЦОИ над ним могут быть строка-название и строки метаданных). Порядок столбцов любой; регистр, буква «ё» и кавычки в заголовках не важны. Формат файла определяется по заголовку; его можно указать и явно.',
    '- **CSV**: кодировка UTF-8 (с BOM или без) или Windows-1251 определяется сама, другую нужно указать при загрузке; разделитель «;», «,» или табуляция определяется сам. Значения с разделителем, кавычками или переводом строки берутся в двойные кавычки, кавычка внутри удваивается: `"Школа ""Радуга""; корпус 2"`.',
    '- **XLSX**: читается первый видимый лист (или указанный при загрузке). Формулы не допускаются — вставьте значения («Специальная вставка → Значения»).',
    '- **Числа**: десятичная запятая или точка (`12,5`), пробелы между разрядами допустимы; доли — в процентах от 0 до 100, знак `%` можно не писать.',
    '- **Пустая ячейка** — «нет данных». **да / нет** — также `1`/`0`, `есть`/`отсутствует`, `+`/`-`. **Отметка** — 2, 3, 4, 5 или «нет отметки».',
    '- **Год** — `2024` или учебный год `2023/2024` (читается как 2024). **Процедура** — ВПР, НИКО, ОГЭ, ЕГЭ, ГВЭ, ВсОШ.',
    '- **Персональные данные** (ФИО, документы, дата рождения) в шаблоны не вносятся; если такие столбцы встретятся, хаб их отбросит, не сохраняя.',
    '- Ошибки в строке не мешают загрузке остальных строк: хаб сообщает номер строки, столбец и значение.',
    '',
    ...TEMPLATE_LAYOUTS.flatMap((layout) => [renderTemplate(layout), '']),
    '### Файлы региональных систем (без шаблона)',
    '',
    '- `fisoko-vpr-individual` — «Индивидуальные результаты» ФИС ОКО: строка «ВПР 2024 Русский язык 4 класс», строки метаданных, строка уровней заданий (Б/П/В), заголовок `ОО, Муниципалитет, Название ОО, Код участника, Класс, Вариант, 1 (1б), 2 (2б), …, Первичный балл, Отметка, Отметка по журналу`. В заданиях `X`, `Х`, `-` — «не выполнялось» (отличается от 0).',
    '- `aggregate-marks` — `Год, Класс, Предмет, Муниципалитет, Логин, ОО, Кол-во участников, 2, 3, 4, 5` (доли отметок, %); `aggregate-distribution` — те же ключи и `0, 1, …, N` (доли участников с каждым первичным баллом, %). Доли переводятся в количество участников.',
    '- `gia-protocol` — протоколы ГИА из РЦОИ: `Код МСУ, Код ОО, Класс, Код ППЭ, Аудитория, Фамилия, Имя, Отчество, [документ], Задания с кратким ответом, Задания с развёрнутым ответом, Первичный балл, Балл [, Отметка, Предмет, Год, Процедура]`. ФИО и документы не сохраняются: участник получает обезличенный код `P-…`.',
    '- `mapped` — любой другой файл: при загрузке указывается, какой столбец файла соответствует какому полю, а год, процедура, предмет и класс — значениями.',
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(join(__dirname, 'TEMPLATES.md'), renderTemplatesMarkdown());
}
