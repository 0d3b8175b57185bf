/**
 * Reading typed values out of raw cells the way regional files write them: decimal commas ("12,5"),
 * thousands spaces, "нет отметки", X / Х / «-» for tasks not done, да/нет, Russian names of procedures.
 * Functions return `INVALID` instead of throwing so the hot path allocates nothing for good values.
 */
import type { CellValue } from './raw-row';
import type {
  BenchmarkLevelCode,
  ObserverPresenceCode,
  ProcedureCode,
  RecheckCommissionCode,
  SchoolTypeCode,
  TaskLevelCode,
} from './records';

export const INVALID: unique symbol = Symbol('invalid cell value');
export type Invalid = typeof INVALID;

const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Spaces people and Excel put between thousands: space, no-break space, narrow no-break space. */
const GROUP_SEPARATORS = /[ \u00a0\u202f]/g;

/** Trimmed text of a cell; null when empty. Numbers become their plain text. */
export function cellText(value: CellValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return String(value);
  const text = value.trim();
  return text === '' ? null : text;
}

/** Text with inner runs of whitespace (including no-break spaces and line breaks) collapsed to one space. */
export function cellTextCollapsed(value: CellValue): string | null {
  const text = cellText(value);
  return text === null || !needsCollapsing(text) ? text : text.replace(/\s+/g, ' ');
}

/** Most cells have single plain spaces only; checking is cheaper than rewriting every one. */
function needsCollapsing(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      const next = text.charCodeAt(i + 1);
      if (next === 32 || (next < 32 && next > 8) || next === 0xa0) return true;
    } else if ((code < 32 && code > 8) || code === 0xa0 || code === 0x202f || code === 0x2028) {
      return true;
    }
  }
  return false;
}

/** The value as shown in messages: numbers with a decimal comma, as a Russian operator typed them. */
export function displayValue(value: CellValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return String(value).replace('.', ',');
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

/** A number written with a decimal comma or point, optionally with thousands spaces. */
export function parseDecimal(value: CellValue): number | null | Invalid {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
  const plain = plainInteger(value);
  if (plain >= 0) return plain;
  let text = value.trim();
  if (text === '') return null;
  if (text.indexOf(',') >= 0) {
    // "12,5" is a decimal; "1,234,5" is not a number anyone means.
    if (text.indexOf(',') !== text.lastIndexOf(',') || text.indexOf('.') >= 0) return INVALID;
    text = text.replace(',', '.');
  }
  if (/[ \u00a0\u202f]/.test(text)) text = text.replace(GROUP_SEPARATORS, '');
  if (!NUMBER_PATTERN.test(text)) return INVALID;
  return Number(text);
}

/**
 * Fast path for what most numeric cells hold, a short run of digits ("0", "17", "100234"):
 * returns the value, or -1 when the text is anything else and needs the general parser.
 */
function plainInteger(text: string): number {
  return plainIntegerAt(text, 0, text.length);
}

/** The same for text[start, end), read in place (the CSV fast path reads cells inside their line). */
export function plainIntegerAt(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 9) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A percentage: a decimal with an optional trailing "%". */
export function parsePercent(value: CellValue): number | null | Invalid {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.endsWith('%')) return parseDecimal(text.slice(0, -1));
  }
  return parseDecimal(value);
}

/** Digits after the decimal separator as written; tells the precision a share was rounded to. */
export function decimalsWritten(value: CellValue): number {
  if (value === null) return 0;
  const text = (typeof value === 'number' ? String(value) : value.trim().replace(/%$/, '')).replace(',', '.');
  if (/e/i.test(text)) return 6;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, text.length - dot - 1);
}

/** X (Latin or Cyrillic, any case) and dashes mean "task not done / not applicable", unlike 0. */
export function isNotDoneMarker(text: string): boolean {
  switch (text) {
    case 'X':
    case 'x':
    case 'Х':
    case 'х':
    case '-':
    case '–':
    case '—':
      return true;
    default:
      return false;
  }
}

/** "нет отметки" and friends: the participant has no mark. */
export function isNoMark(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) return false; // a digit: the common case, no need to normalise
  const normalized = text.toLowerCase().replace(/\s+/g, ' ').replace(/ё/g, 'е');
  return normalized === 'нет отметки' || normalized === 'нет оценки' || normalized === 'н/о' || normalized === 'нет';
}

/**
 * A year: 2024, "2024", or a school year "2023/2024", "2023-24" (the year it ends, when ВПР and ГИА happen).
 */
export function parseYear(value: CellValue): number | null | Invalid {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : INVALID;
  const text = value.trim();
  if (text === '') return null;
  const plain = /^(\d{4})(?:\s*(?:г\.?|год))?$/i.exec(text);
  if (plain) return Number(plain[1]);
  const schoolYear = /^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$/.exec(text);
  if (schoolYear) {
    const start = Number(schoolYear[1]);
    const end = schoolYear[2].length === 2 ? Math.floor(start / 100) * 100 + Number(schoolYear[2]) : Number(schoolYear[2]);
    return end === start + 1 ? end : INVALID;
  }
  return INVALID;
}

/** A grade 1–11 from "4", 4, "4 класс", or a class label "4А" / "11 Б". */
export function parseGrade(value: CellValue): number | null | Invalid {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : INVALID;
  const text = value.trim();
  if (text === '') return null;
  const match = /^(\d{1,2})(?:\s*(?:класс|кл\.?))?\s*[-\s]?[А-ЯЁA-Z]?$/i.exec(text);
  return match ? Number(match[1]) : INVALID;
}

/** да / нет in the spellings operators use; booleans of XLSX arrive here as "да"/"нет". */
export function parseYesNo(value: CellValue): boolean | null | Invalid {
  if (value === null) return null;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : INVALID;
  const text = value.trim().toLowerCase().replace(/ё/g, 'е');
  if (text === '') return null;
  if (['да', 'д', 'есть', 'имеется', '+', '1', 'yes', 'y', 'true', 'истина'].includes(text)) return true;
  if (['нет', 'н', 'отсутствует', '-', '0', 'no', 'n', 'false', 'ложь'].includes(text)) return false;
  return INVALID;
}

function lookup<T>(table: Record<string, T>, value: CellValue): T | null | Invalid {
  const text = cellText(value);
  if (text === null) return null;
  const key = text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : INVALID;
}

const PROCEDURES: Record<string, ProcedureCode> = {
  впр: 'VPR',
  vpr: 'VPR',
  нико: 'NIKO',
  niko: 'NIKO',
  огэ: 'OGE',
  oge: 'OGE',
  егэ: 'EGE',
  ege: 'EGE',
  гвэ: 'GVE',
  'гвэ-9': 'GVE',
  'гвэ-11': 'GVE',
  gve: 'GVE',
  всош: 'VSOSH',
  вош: 'VSOSH',
  олимпиада: 'VSOSH',
  vsosh: 'VSOSH',
};

export function parseProcedure(value: CellValue): ProcedureCode | null | Invalid {
  return lookup(PROCEDURES, value);
}

export const PROCEDURE_NAMES_RU: Record<ProcedureCode, string> = {
  VPR: 'ВПР',
  NIKO: 'НИКО',
  OGE: 'ОГЭ',
  EGE: 'ЕГЭ',
  GVE: 'ГВЭ',
  VSOSH: 'ВсОШ',
};

const SCHOOL_TYPES: Record<string, SchoolTypeCode> = {
  ншо: 'NOSH',
  нош: 'NOSH',
  'начальная школа': 'NOSH',
  оош: 'OOSH',
  'основная школа': 'OOSH',
  сош: 'SOSH',
  'средняя школа': 'SOSH',
  лицей: 'LYCEUM',
  гимназия: 'GYMNASIUM',
  другое: 'OTHER',
  иное: 'OTHER',
};

export function parseSchoolType(value: CellValue): SchoolTypeCode | null | Invalid {
  return lookup(SCHOOL_TYPES, value);
}

const SETTLEMENTS: Record<string, boolean> = {
  городская: true,
  город: true,
  'городская местность': true,
  сельская: false,
  село: false,
  'сельская местность': false,
};

/** Words a directory uses for a value nobody filled in («не указано», «нет данных», «-»…). */
const UNKNOWN_WORDS = new Set(['не указано', 'не указан', 'не указана', 'нет данных', 'неизвестно', 'не известно', 'н/д', 'нд', '-', '—', '–', '?']);

/** True when the cell says the value is unknown (empty cells are null anyway). */
function isUnknownText(value: CellValue): boolean {
  const text = cellText(value);
  return text !== null && UNKNOWN_WORDS.has(text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' '));
}

/** A closed-list parser that reads «не указано» and its kin as no value (null) instead of an invalid one. */
export function orUnknown<T>(parse: (value: CellValue) => T | null | Invalid): (value: CellValue) => T | null | Invalid {
  return (value) => (isUnknownText(value) ? null : parse(value));
}

/** true = urban. */
export function parseSettlement(value: CellValue): boolean | null | Invalid {
  return lookup(SETTLEMENTS, value);
}

const OBSERVERS: Record<string, ObserverPresenceCode> = {
  нет: 'NONE',
  'не было': 'NONE',
  // "да" without more detail: public observers are what schools usually have.
  да: 'PUBLIC',
  общественные: 'PUBLIC',
  'общественный наблюдатель': 'PUBLIC',
  независимые: 'INDEPENDENT',
  'независимый наблюдатель': 'INDEPENDENT',
};

export function parseObservers(value: CellValue): ObserverPresenceCode | null | Invalid {
  return lookup(OBSERVERS, value);
}

const COMMISSIONS: Record<string, RecheckCommissionCode> = {
  школьная: 'SCHOOL',
  школьный: 'SCHOOL',
  муниципальная: 'MUNICIPAL',
  муниципальный: 'MUNICIPAL',
  региональная: 'REGIONAL',
  региональный: 'REGIONAL',
  федеральная: 'FEDERAL',
  федеральный: 'FEDERAL',
};

export function parseCommission(value: CellValue): RecheckCommissionCode | null | Invalid {
  return lookup(COMMISSIONS, value);
}

const BENCHMARK_LEVELS: Record<string, BenchmarkLevelCode> = {
  россия: 'RUSSIA',
  рф: 'RUSSIA',
  регион: 'REGION',
  субъект: 'REGION',
  муниципалитет: 'MUNICIPALITY',
  мо: 'MUNICIPALITY',
};

export function parseBenchmarkLevel(value: CellValue): BenchmarkLevelCode | null | Invalid {
  return lookup(BENCHMARK_LEVELS, value);
}

const TASK_LEVELS: Record<string, TaskLevelCode> = {
  б: 'BASIC',
  базовый: 'BASIC',
  п: 'ADVANCED',
  повышенный: 'ADVANCED',
  в: 'HIGH',
  высокий: 'HIGH',
  // A Latin "B" typed for the Cyrillic "В" (they look the same in the level row).
  b: 'HIGH',
};

export function parseTaskLevel(value: CellValue): TaskLevelCode | null | Invalid {
  return lookup(TASK_LEVELS, value);
}
