/** Template `benchmarks`: results of Russia, a region or a municipality to compare schools with. */
import { decimalsWritten, parseBenchmarkLevel, parseProcedure, PROCEDURE_NAMES_RU } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { BenchmarkRecord } from '../records';
import { reasons } from '../row-issues';
import { shareSumTolerance } from './shares';
import { defineTemplateLayout } from './template-layout';

type Key =
  | 'level'
  | 'territoryCode'
  | 'territoryName'
  | 'procedure'
  | 'year'
  | 'subjectName'
  | 'grade'
  | 'participants'
  | 'percent2'
  | 'percent3'
  | 'percent4'
  | 'percent5'
  | 'meanPercent'
  | 'meanTestScore'
  | 'percentBelowMinimum'
  | 'percentTest80'
  | 'percentTest100'
  | 'percentSum3_220';

const PROCEDURES_RU = Object.values(PROCEDURE_NAMES_RU);
const LEVELS_RU = ['Россия', 'регион', 'муниципалитет'];

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'level', header: 'Уровень', required: true, type: 'enum', descriptionRu: `Одно из: ${LEVELS_RU.join(', ')}`, example: 'регион' },
  { key: 'territoryCode', header: 'Код территории', aliases: ['Код'], required: false, type: 'code', descriptionRu: 'Код региона или муниципалитета; для России можно не заполнять (RU)', example: '66' },
  { key: 'territoryName', header: 'Территория', aliases: ['Наименование территории', 'Наименование'], required: false, type: 'text', descriptionRu: 'Наименование для людей', example: 'Свердловская область' },
  { key: 'procedure', header: 'Процедура', required: true, type: 'enum', descriptionRu: `Одно из: ${PROCEDURES_RU.join(', ')}`, example: 'ВПР' },
  { key: 'year', header: 'Год', required: true, type: 'year', descriptionRu: 'Год проведения', example: '2024' },
  { key: 'subjectName', header: 'Предмет', required: true, type: 'text', descriptionRu: 'Предмет; пусто — строка-итог территории по процедуре за год (только участники и «220 баллов и более по трём предметам, %»)', example: 'Русский язык' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: true, type: 'grade', descriptionRu: 'Класс 1–11; в строке-итоге без предмета — пусто', example: '4' },
  { key: 'participants', header: 'Количество участников', aliases: ['Кол-во участников', 'Участников'], required: false, type: 'integer', descriptionRu: 'Число участников', example: '45210' },
  { key: 'percent2', header: 'Доля «2», %', aliases: ['«2», %', 'Доля 2'], required: false, type: 'percent', descriptionRu: 'Доля участников с отметкой «2», %; для ЕГЭ (без отметок) доли можно не заполнять', example: '7,3' },
  { key: 'percent3', header: 'Доля «3», %', aliases: ['«3», %', 'Доля 3'], required: false, type: 'percent', descriptionRu: 'Доля «3», %', example: '33,1' },
  { key: 'percent4', header: 'Доля «4», %', aliases: ['«4», %', 'Доля 4'], required: false, type: 'percent', descriptionRu: 'Доля «4», %', example: '41,5' },
  { key: 'percent5', header: 'Доля «5», %', aliases: ['«5», %', 'Доля 5'], required: false, type: 'percent', descriptionRu: 'Доля «5», %', example: '18,1' },
  { key: 'meanPercent', header: 'Средний % выполнения', aliases: ['Средний процент выполнения'], required: false, type: 'percent', descriptionRu: 'Средний процент от максимального первичного балла', example: '62,4' },
  { key: 'meanTestScore', header: 'Средний тестовый балл', aliases: ['Средний балл ЕГЭ'], required: false, type: 'decimal', descriptionRu: 'ЕГЭ: средний тестовый балл, 0–100', example: '' },
  { key: 'percentBelowMinimum', header: 'Ниже минимального порога, %', aliases: ['Не преодолели минимальный порог, %', 'Ниже минимума, %'], required: false, type: 'percent', descriptionRu: 'Доля участников ниже минимального порога, % (ЕГЭ: тестовый балл ниже минимального)', example: '' },
  { key: 'percentTest80', header: '80 баллов и более, %', aliases: ['Доля 80 баллов и более', 'От 80 баллов, %'], required: false, type: 'percent', descriptionRu: 'ЕГЭ: доля участников с тестовым баллом 80 и выше, %', example: '' },
  { key: 'percentTest100', header: '100 баллов, %', aliases: ['Доля стобалльников', 'Стобалльники, %'], required: false, type: 'percent', descriptionRu: 'ЕГЭ: доля стобалльников, %', example: '' },
  {
    key: 'percentSum3_220',
    header: '220 баллов и более по трём предметам, %',
    aliases: ['Доля 220 баллов и более по трём предметам'],
    required: false,
    type: 'percent',
    descriptionRu: 'ЕГЭ, только в строке без предмета: доля выпускников, набравших 220 тестовых баллов и более по трём предметам, среди сдававших («Количество участников»), %',
    example: '',
  },
];

/** What a row without a subject (the territory's total over the procedure) may carry. */
const TOTAL_KEYS: readonly Key[] = ['participants', 'percentSum3_220'];
const SUBJECT_FIGURES: readonly Key[] = ['percent2', 'percent3', 'percent4', 'percent5', 'meanPercent', 'meanTestScore', 'percentBelowMinimum', 'percentTest80', 'percentTest100'];

const SHARE_KEYS = ['percent2', 'percent3', 'percent4', 'percent5'] as const;

export const benchmarksLayout = defineTemplateLayout<Key>({
  name: 'benchmarks',
  titleRu: 'Эталонные значения (Россия, регион, муниципалитет)',
  aboutRu:
    'Одна строка — результаты территории по процедуре, предмету и классу за год. Доли отметок в сумме дают 100 % (с точностью до округления). ' +
    'Строка без предмета и класса — итог территории по процедуре за год: «Количество участников» и «220 баллов и более по трём предметам, %» (ЕГЭ).',
  recordKind: 'benchmark',
  columns: COLUMNS,
  createRowMapper(match, { fields, issues }) {
    const c = match.columns;
    const seen = new FirstSeen();
    return (row) => {
      const level = fields.choice(row, c.level, parseBenchmarkLevel, LEVELS_RU, true);
      const givenCode = fields.code(row, c.territoryCode);
      const procedure = fields.choice(row, c.procedure, parseProcedure, PROCEDURES_RU, true);
      const year = fields.year(row, c.year, true);
      const subjectName = fields.text(row, c.subjectName);
      const grade = fields.grade(row, c.grade, subjectName !== null);
      const participants = fields.integer(row, c.participants, { min: 0 });
      const shares = SHARE_KEYS.map((key) => fields.percent(row, c[key]));
      const meanPercent = fields.percent(row, c.meanPercent);
      const meanTestScore = fields.decimal(row, c.meanTestScore, { min: 0, max: 100 });
      const percentBelowMinimum = fields.percent(row, c.percentBelowMinimum);
      const percentTest80 = fields.percent(row, c.percentTest80);
      const percentTest100 = fields.percent(row, c.percentTest100);
      const percentSum3_220 = fields.percent(row, c.percentSum3_220);
      const territoryCode = givenCode ?? (level === 'RUSSIA' ? 'RU' : null);
      if (territoryCode === null && level !== null) {
        if (c.territoryCode !== undefined) issues.cell('REQUIRED_VALUE_MISSING', c.territoryCode, reasons.required);
        else issues.row('REQUIRED_VALUE_MISSING', 'для региона и муниципалитета нужен столбец «Код территории»');
      }
      if (issues.failed || level === null || territoryCode === null || procedure === null || year === null) return null;
      const given = (key: Key) => c[key] !== undefined && (row.cells[c[key]!] ?? '').toString().trim() !== '';
      if (subjectName === null) {
        // The territory's total over the procedure: participants and the share ≥ 220 only, as school-results' total row.
        const extra = [...SUBJECT_FIGURES, 'grade' as const].find(given);
        if (extra !== undefined) {
          issues.cell('INVALID_VALUE', c[extra]!, () => 'в строке не указан предмет — это итог территории по процедуре за год: в ней бывают только «Количество участников» и «220 баллов и более по трём предметам, %»; укажите предмет или оставьте ячейку пустой');
          return null;
        }
        if (percentSum3_220 === null) {
          issues.row('REQUIRED_VALUE_MISSING', 'в строке не указан предмет, а «220 баллов и более по трём предметам, %» не заполнено — нечего загружать; укажите предмет или долю', c.subjectName ?? null, null);
          return null;
        }
        const earlier = seen.check([level, territoryCode, procedure, year, '', ''].join('\u0000'), row.rowNumber);
        if (earlier !== null) issues.row('DUPLICATE_ROW', `итог территории «${territoryCode}» без предмета за этот год уже есть в строке ${earlier}`);
        if (issues.failed) return null;
        return {
          kind: 'benchmark', sourceRow: row.rowNumber, level, territoryCode, territoryName: fields.text(row, c.territoryName), procedure, year,
          subjectName: null, grade: null, participants, percent2: null, percent3: null, percent4: null, percent5: null, meanPercent: null, meanTestScore: null,
          percentBelowMinimum: null, percentTest80: null, percentTest100: null, percentSum3_220,
        } satisfies BenchmarkRecord;
      }
      if (percentSum3_220 !== null) {
        issues.cell('INVALID_VALUE', c.percentSum3_220!, (shown) => `«220 баллов и более по трём предметам» («${shown}») — показатель территории в целом, а в строке указан предмет «${subjectName}»: дайте его отдельной строкой без предмета`);
        return null;
      }
      if (grade === null) return null;

      // Shares of marks: all four (ЕГЭ gives no marks, so there they may all be empty).
      const missingShare = SHARE_KEYS.find((_, i) => shares[i] === null);
      if (missingShare !== undefined && (procedure !== 'EGE' || shares.some((share) => share !== null))) {
        const column = c[missingShare];
        if (column !== undefined) issues.cell('REQUIRED_VALUE_MISSING', column, procedure === 'EGE' ? () => 'доли отметок даны не все: заполните «2», «3», «4» и «5» или оставьте все пустыми' : reasons.required);
        else issues.row('REQUIRED_VALUE_MISSING', `нет столбца «${COLUMNS.find((spec) => spec.key === missingShare)!.header}»: доли отметок обязательны (кроме ЕГЭ)`);
        return null;
      }
      const marks = missingShare === undefined ? (shares as number[]) : null;
      const [percent2, percent3, percent4, percent5] = marks ?? [null, null, null, null];
      const decimals = Math.max(...SHARE_KEYS.map((key) => (c[key] === undefined ? 0 : decimalsWritten(row.cells[c[key]!] ?? null))));
      const sum = marks === null ? 100 : marks.reduce((total, share) => total + share, 0);
      if (Math.abs(sum - 100) > shareSumTolerance(SHARE_KEYS.length, decimals)) {
        const shown = String(Math.round(sum * 1000) / 1000).replace('.', ',');
        issues.row('SHARES_SUM_MISMATCH', `доли отметок в сумме дают ${shown} %, а должны давать 100 % (с точностью до округления)`, null, shown);
      }
      const earlier = seen.check([level, territoryCode, procedure, year, subjectName.toLowerCase(), grade].join('\u0000'), row.rowNumber);
      if (earlier !== null) issues.row('DUPLICATE_ROW', `эти значения для территории «${territoryCode}» уже есть в строке ${earlier}`);
      if (issues.failed) return null;

      const record: BenchmarkRecord = {
        kind: 'benchmark',
        sourceRow: row.rowNumber,
        level,
        territoryCode,
        territoryName: fields.text(row, c.territoryName),
        procedure,
        year,
        subjectName,
        grade,
        participants,
        percent2,
        percent3,
        percent4,
        percent5,
        meanPercent,
        meanTestScore,
        percentBelowMinimum,
        percentTest80,
        percentTest100,
        percentSum3_220: null,
      };
      return record;
    };
  },
});
