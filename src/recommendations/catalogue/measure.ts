/**
 * Shape of one measure in the catalogue. The catalogue is data drawn from the municipal seed documents
 * (orders, protocols, road maps); recommendation rules point at measures by `code`, so codes never change
 * once published — a reworded measure keeps its code, a different measure gets a new one.
 */

/**
 * Sections of a plan of measures. Each is a heading the seeds themselves use (see MEASURE_SECTION_SOURCES),
 * so a generated plan reads like the documents МОУО already write.
 */
export const MEASURE_SECTIONS = [
  'Нормативно-правовое обеспечение',
  'Контроль организации и проведения ВПР',
  'Анализ причин необъективности',
  'Методическое обеспечение подготовки и проведения ВПР',
  'Информационно-разъяснительная работа',
  'Работа с обучающимися и родителями',
  'Управленческие решения',
] as const;
export type MeasureSection = (typeof MEASURE_SECTIONS)[number];

/** Where each section heading comes from (seed file and its wording), for the report and for reviewers. */
const MEASURE_SECTION_SOURCES: Record<MeasureSection, string> = {
  'Нормативно-правовое обеспечение':
    '002, раздел 1 «Мероприятия по формированию нормативно-правового обеспечения проведения оценочных процедур»',
  'Контроль организации и проведения ВПР':
    '002, раздел 2 «Контроль организации и проведения ВПР»; 003, раздел «Контроль за организацией и проведением процедур оценки качества образования на муниципальном уровне»',
  'Анализ причин необъективности':
    '003, раздел «Мероприятия, предусматривающие анализ причин необъективности результатов оценочных процедур в каждой ОУ»',
  'Методическое обеспечение подготовки и проведения ВПР':
    '002, раздел 3 «Методическое обеспечение подготовки и проведения ВПР»',
  'Информационно-разъяснительная работа':
    '003, раздел «Проведение информационно-разъяснительной работы, формирование позитивного отношения к объективной оценке»; 002, раздел 4 «Информационное сопровождение мероприятий»',
  'Работа с обучающимися и родителями':
    '001, пп. 10–11 «Организация работы с родителями…», «Организация работы с обучающимися…» (отдельного заголовка в семенах нет)',
  'Управленческие решения': '002, раздел 5 «Мероприятия. Меры. Управленческие решения»',
};

/** Who carries a measure out. A municipal measure is run by МОУО or its methodical centre, not by the school. */
export type MeasureLevel = 'MUNICIPALITY' | 'SCHOOL';
export const MEASURE_LEVELS: readonly MeasureLevel[] = ['MUNICIPALITY', 'SCHOOL'];

export const RESPONSIBLE_BODIES = ['МОУО', 'ОО', 'ИМЦ/ЦДО', 'РМО/ШМО', 'Руководитель ОО'] as const;
export type ResponsibleBody = (typeof RESPONSIBLE_BODIES)[number];

/**
 * When a measure is due within the plan's school year (see rules/due-date.ts for how a date is derived).
 * - BEFORE_DATE: a fixed deadline («до 15.03»); month/day required.
 * - DURING_ASSESSMENT: on the days of the spring ВПР.
 * - SCHOOL_YEAR: continuously, through the school year.
 * - QUARTERLY: recurring once a quarter; the due date is the first occurrence.
 * - AFTER_RESULTS: as soon as the results that triggered it are known.
 * month/day, when given, override the kind's default deadline.
 */
export const TIMING_KINDS = ['BEFORE_DATE', 'DURING_ASSESSMENT', 'SCHOOL_YEAR', 'QUARTERLY', 'AFTER_RESULTS'] as const;
export type TimingKind = (typeof TIMING_KINDS)[number];

export interface MeasureTiming {
  kind: TimingKind;
  /** As the seeds word it: «до 15.03», «в дни проведения ВПР», «в течение учебного года». */
  labelRu: string;
  month?: number;
  day?: number;
}

/** Where a measure appears in the seeds. Several seeds may back one measure. */
interface SeedSource {
  /** File name in the shared seeds folder, e.g. '004_0148007e95c2a7e6.txt'. */
  seed: string;
  /** Item number and/or heading in that document. */
  item: string;
  /** A short verbatim fragment of the seed (whitespace may be normalised). */
  quote: string;
}

export interface Measure {
  /** Stable identifier, UPPER_SNAKE_CASE. */
  code: string;
  section: MeasureSection;
  titleRu: string;
  descriptionRu: string;
  level: MeasureLevel;
  responsible: ResponsibleBody[];
  timing: MeasureTiming;
  expectedResultRu: string;
  /** Documents that prove the measure was carried out (приказ, протокол, лист регистрации…). */
  evidence: string[];
  sources: SeedSource[];
  /**
   * A school-level measure the МОУО names schools for in its own road map (as the Томск 2023 plan lists
   * the schools under observers, video and collegial checking). Municipal-level measures are always listed.
   */
  namedInMunicipalPlan?: boolean;
}
