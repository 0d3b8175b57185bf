/**
 * `mapped`: a regional file the hub has no layout for. The upload names which source column holds each
 * field and gives the rest as constants; rows become participant results or per-school marks.
 * Never auto-detected: chosen by `layout: 'mapped'` or by passing a mapping.
 */
import { ABSENT, isAbsentRow } from '../absence';
import { cellText, decimalsWritten } from '../cell-values';
import { FirstSeen } from '../fields';
import { normalizeHeader, type ColumnSpec, type HeaderMatch } from '../headers';
import { fileIssue } from '../issues';
import type { ColumnMapping } from '../options';
import { isPersonalHeader } from '../personal-data';
import type { RawRow } from '../raw-row';
import type { ParticipantResultRecord, SchoolMarksRecord, TaskDefinition } from '../records';
import { reasons } from '../row-issues';
import {
  bindHeader,
  checkFileYear,
  constantProcedure,
  emptyMetadata,
  ignoredColumns,
  personalColumns,
  readAssessmentKeys,
  requireKeySources,
  type FileKeys,
  type KeyColumns,
} from './common';
import { parseTaskHeader } from './fisoko-vpr-individual';
import type { BoundLayout, ImportMetadata, Layout, LayoutContext } from './layout';
import { markFor } from '../../../assessments/marks';
import { readSchoolHints } from './school-hints';
import { schoolResultRowMapper, type SchoolResultField } from './school-results';
import { markCountsFromShares } from './shares';

/** Every header the mapping names must exist in the file: the uploader said it does. */
function mappedSpecs(entries: readonly [string, string][]): ColumnSpec[] {
  return entries.map(([key, header]) => ({ key, header, required: true, type: 'text' }));
}

function fileKeysOf(context: LayoutContext): FileKeys {
  const { constants } = context;
  return {
    procedure: constantProcedure(context),
    year: constants.year ?? null,
    subjectName: constants.subjectName ?? null,
    grade: constants.grade ?? null,
  };
}

function keyColumns(columns: Partial<Record<string, number>>): KeyColumns {
  return { procedure: columns.procedure, year: columns.year, subjectName: columns.subjectName, grade: columns.grade };
}

/** "Зад. 4.1 (2б)" → number 4.1, max 2: regional headers carry the task in their own words. */
function taskFromHeader(header: string): { number: string | null; maxPoints: number | null } {
  const exact = parseTaskHeader(header);
  if (exact !== null) return exact;
  const max = /\(\s*(\d+)\s*(?:б|балл[а-я]*)\.?\s*\)\s*$/i.exec(header);
  const number = /(\d+(?:\.\d+)*)\s*(?:\(|$)/.exec(header);
  return { number: number?.[1] ?? null, maxPoints: max === null ? null : Number(max[1]) };
}

/**
 * Fields the upload gives as one value for every row (`mapping.values`: the school code of a single school's class
 * protocol): each becomes a column of its own after the file's columns, labelled with its value, so rows read and
 * report it like any cell.
 */
class ConstantCells {
  readonly cells = new Map<number, string>();
  private base = 0;

  bind(head: readonly RawRow[], entries: readonly [string, string][], context: LayoutContext, values: Partial<Record<string, string>>): HeaderMatch<string> {
    const fromFile = entries.filter(([field]) => values[field] === undefined);
    const match = bindHeader(head, mappedSpecs(fromFile), context, 'сопоставление столбцов');
    const headers = [...match.headers];
    this.base = headers.length;
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const index = headers.length;
      headers.push(`${field} = ${value} (значение при загрузке)`);
      (match.columns as Record<string, number>)[field] = index;
      this.cells.set(index, value);
    }
    context.issues.useHeaders(headers);
    return { ...match, headers };
  }

  /** The row with the constant cells after its own. */
  apply(row: RawRow): RawRow {
    if (this.cells.size === 0) return row;
    const cells = row.cells.slice(0, this.base);
    while (cells.length < this.base) cells.push(null);
    for (const value of this.cells.values()) cells.push(value);
    return { ...row, cells };
  }
}

const HINT = 'Сопоставьте для них столбцы файла или укажите значения при загрузке.';

const REQUIRED_FIELDS: Record<ColumnMapping['target'], readonly string[]> = {
  'participant-result': ['schoolCode', 'primaryScore'],
  'school-marks': ['schoolCode', 'participants', 'mark2', 'mark3', 'mark4', 'mark5'],
  'school-results': ['schoolCode'],
};

/**
 * The mapping with every field that names a personal column taken away, whatever the uploader asked: such a
 * column is never read into a record. A participant code named that way becomes an identity column (read only
 * into the keyed hash); a required field or a task column is refused; any other field is left empty.
 */
function withoutPersonalTargets<M extends ColumnMapping>(context: LayoutContext, mapping: M): { mapping: M; notesRu: string[] } {
  const personal = (header: string) => isPersonalHeader(normalizeHeader(header));
  const refuse = (header: string, what: string) =>
    fileIssue(
      context.fileName,
      'INVALID_OPTIONS',
      `Столбец «${header}» содержит персональные данные, и хаб его не читает, а сопоставлен ${what}. Сопоставьте этому полю другой столбец.`,
      { column: header },
    );
  const notesRu: string[] = [];
  const columns: Partial<Record<string, string>> = {};
  const identityColumns = mapping.target === 'participant-result' ? [...(mapping.identityColumns ?? [])] : [];
  for (const [field, header] of Object.entries(mapping.columns as Partial<Record<string, string>>)) {
    if (header === undefined || !personal(header)) {
      columns[field] = header;
    } else if (mapping.target === 'participant-result' && field === 'participantCode') {
      identityColumns.unshift(header);
      notesRu.push(`Столбец «${header}», указанный как код участника, содержит персональные данные: код участника построен из него как обезличенный хеш.`);
    } else if (REQUIRED_FIELDS[mapping.target].includes(field)) {
      throw refuse(header, `обязательному полю «${field}»`);
    } else {
      notesRu.push(`Столбец «${header}», указанный для поля «${field}», содержит персональные данные: поле оставлено пустым.`);
    }
  }
  if (mapping.target !== 'participant-result') return { mapping: { ...mapping, columns }, notesRu };
  const taskColumn = mapping.taskColumns?.find(personal);
  if (taskColumn !== undefined) throw refuse(taskColumn, 'заданию');
  return { mapping: { ...mapping, columns, identityColumns: identityColumns.length > 0 ? identityColumns : undefined }, notesRu };
}

function bindParticipants(head: readonly RawRow[], context: LayoutContext, requested: Extract<ColumnMapping, { target: 'participant-result' }>, constants: ConstantCells): BoundLayout {
  const { mapping, notesRu } = withoutPersonalTargets(context, requested);
  const taskHeaders = mapping.taskColumns ?? [];
  const identityHeaders = mapping.identityColumns ?? [];
  if (mapping.columns.schoolCode === undefined || mapping.columns.primaryScore === undefined) {
    throw fileIssue(context.fileName, 'INVALID_OPTIONS', 'В сопоставлении столбцов нужны как минимум «код ОО» и «первичный балл».');
  }
  if (mapping.columns.participantCode === undefined && identityHeaders.length === 0) {
    throw fileIssue(context.fileName, 'INVALID_OPTIONS', 'В сопоставлении нужен столбец кода участника или столбцы, по которым его построить (ФИО, документ).');
  }
  const entries: [string, string][] = [
    ...Object.entries(mapping.columns).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ...taskHeaders.map((header, i): [string, string] => [`task:${i}`, header]),
    ...identityHeaders.map((header, i): [string, string] => [`identity:${i}`, header]),
  ];
  const match: HeaderMatch<string> = constants.bind(head, entries, context, requested.values ?? {});
  const c = match.columns;
  const fileKeys = fileKeysOf(context);
  requireKeySources(context, keyColumns(c), fileKeys, ['procedure', 'year', 'subjectName', 'grade'], HINT);
  checkFileYear(context, fileKeys.year, null);

  const taskColumns = taskHeaders.map((_, i) => c[`task:${i}`]!);
  const identityColumns = identityHeaders.map((_, i) => c[`identity:${i}`]!);
  const scaleTasks = context.scale?.tasks && context.scale.tasks.length === taskHeaders.length ? context.scale.tasks : null;
  const tasks: TaskDefinition[] = taskHeaders.map((header, i) => {
    const fromHeader = taskFromHeader(header);
    return {
      number: fromHeader.number ?? scaleTasks?.[i].number ?? String(i + 1),
      level: null,
      maxPoints: fromHeader.maxPoints ?? scaleTasks?.[i].maxPoints ?? null,
    };
  });
  const personal = personalColumns(match);
  // Personal columns are never read except the identity columns the mapping names, and those only into the hash.
  const dropped = new Set([...personal.indexes, ...identityColumns]);
  const metadata: ImportMetadata = {
    ...emptyMetadata('participant-result', match.row.rowNumber),
    ...fileKeys,
    session: context.constants.session ?? null,
    tasks: tasks.length > 0 ? tasks : null,
    ignoredColumns: ignoredColumns(match, dropped),
    anonymisedFrom: mapping.columns.participantCode === undefined ? 'mapped-identity' : null,
  };
  const { fields, issues, scale, anonymise } = context;
  const taskMaxSum = tasks.every((task) => task.maxPoints !== null) && tasks.length > 0 ? tasks.reduce((sum, task) => sum + task.maxPoints!, 0) : null;
  const maxPrimary = scale?.maxPrimary ?? taskMaxSum;
  const boundaries = scale?.markBoundaries ?? null;
  const seen = new FirstSeen();
  const identityColumnOf = identityColumns[0];
  const absenceColumns = { results: [c.primaryScore, c.mark, c.testScore], tasks: taskColumns, primaryScore: c.primaryScore! };

  return {
    metadata,
    personalColumns: [...dropped].map((index) => match.headers[index]),
    notesRu,
    mapRow(row) {
      if (isAbsentRow(row, absenceColumns)) return ABSENT;
      const keys = readAssessmentKeys(context, row, keyColumns(c), fileKeys);
      const schoolCode = fields.code(row, c.schoolCode, true);
      let participantCode: string | null;
      let codeColumn: number;
      if (c.participantCode !== undefined) {
        participantCode = fields.participantCode(row, c.participantCode, schoolCode);
        codeColumn = c.participantCode;
      } else {
        const identity = identityColumns.map((column) => cellText(row.cells[column] ?? null));
        if (identity.every((value) => value === null)) issues.cell('REQUIRED_VALUE_MISSING', identityColumnOf, reasons.required, null);
        participantCode = anonymise([...identity, schoolCode]);
        codeColumn = identityColumnOf;
      }
      const taskScores = taskColumns.map((column, i) => fields.taskScore(row, column, tasks[i].maxPoints, `за задание ${tasks[i].number}`));
      const tasksFailed = issues.failed;
      const primaryScore = fields.score(row, c.primaryScore!, maxPrimary, 'за работу', true);
      const mark = fields.mark(row, c.mark);
      const journalMark = fields.mark(row, c.journalMark);
      const testScore = c.testScore === undefined ? null : fields.score(row, c.testScore, 100, 'по стобалльной шкале', false);
      if (taskColumns.length > 0 && !tasksFailed && primaryScore !== null) {
        const sum = taskScores.reduce<number>((total, score) => total + (score ?? 0), 0);
        if (sum !== primaryScore) issues.cell('SCORE_SUM_MISMATCH', c.primaryScore!, (shown) => `первичный балл «${shown}» не равен сумме баллов за задания (${sum})`);
      }
      if (boundaries !== null && primaryScore !== null && mark !== null) {
        const expected = markFor(primaryScore, boundaries);
        if (expected !== mark) issues.cell('MARK_INCONSISTENT_WITH_SCALE', c.mark!, reasons.markInconsistent(primaryScore, expected));
      }
      if (schoolCode !== null && participantCode !== null) {
        const earlier = seen.checkPair(schoolCode, participantCode, row.rowNumber);
        if (earlier !== null) issues.cell('DUPLICATE_PARTICIPANT', codeColumn, reasons.duplicateParticipant(earlier), participantCode);
      }
      if (issues.failed || keys === null || schoolCode === null || participantCode === null || primaryScore === null) return null;
      const record: ParticipantResultRecord = {
        kind: 'participant-result',
        sourceRow: row.rowNumber,
        ...keys,
        schoolCode,
        schoolName: fields.text(row, c.schoolName),
        municipality: fields.text(row, c.municipality),
        participantCode,
        classLabel: fields.text(row, c.classLabel),
        variant: fields.code(row, c.variant),
        taskScores,
        primaryScore,
        mark,
        journalMark,
        testScore,
        examPointCode: null,
        auditorium: null,
      };
      return record;
    },
  };
}

const MARK_FIELDS = ['mark2', 'mark3', 'mark4', 'mark5'] as const;

function bindMarks(head: readonly RawRow[], context: LayoutContext, requested: Extract<ColumnMapping, { target: 'school-marks' }>, constants: ConstantCells): BoundLayout {
  const { mapping, notesRu } = withoutPersonalTargets(context, requested);
  const missingFields = (['schoolCode', 'participants', ...MARK_FIELDS] as const).filter((field) => mapping.columns[field] === undefined);
  if (missingFields.length > 0) {
    throw fileIssue(context.fileName, 'INVALID_OPTIONS', `В сопоставлении для отметок по ОО не хватает полей: ${missingFields.join(', ')}.`);
  }
  const entries = Object.entries(mapping.columns).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const match: HeaderMatch<string> = constants.bind(head, entries, context, requested.values ?? {});
  const c = match.columns;
  const fileKeys = fileKeysOf(context);
  requireKeySources(context, keyColumns(c), fileKeys, ['procedure', 'year', 'subjectName', 'grade'], HINT);
  checkFileYear(context, fileKeys.year, null);
  const markColumns = MARK_FIELDS.map((field) => c[field]!);
  const asCounts = mapping.markValues === 'count';
  const personal = personalColumns(match);
  const { fields, issues } = context;
  const seen = new FirstSeen();

  return {
    metadata: {
      ...emptyMetadata('school-marks', match.row.rowNumber),
      ...fileKeys,
      session: context.constants.session ?? null,
      ignoredColumns: ignoredColumns(match, personal.indexes),
    },
    personalColumns: personal.headers,
    notesRu,
    mapRow(row) {
      const keys = readAssessmentKeys(context, row, keyColumns(c), fileKeys);
      const schoolCode = fields.code(row, c.schoolCode, true);
      const participants = fields.integer(row, c.participants, { required: true, min: 0 });
      const values = markColumns.map((column) => (asCounts ? fields.integer(row, column, { min: 0 }) : fields.percent(row, column)) ?? 0);
      if (keys !== null && schoolCode !== null) {
        const earlier = seen.check([keys.procedure, keys.year, keys.subjectName.toLowerCase(), keys.grade, schoolCode].join('\u0000'), row.rowNumber);
        if (earlier !== null) issues.row('DUPLICATE_ROW', `ОО «${schoolCode}» по этому предмету, классу и году уже есть в строке ${earlier}`, c.schoolCode!, schoolCode);
      }
      if (issues.failed || keys === null || schoolCode === null || participants === null) return null;

      let counts: number[];
      let percents: number[];
      if (asCounts) {
        counts = values;
        const total = counts.reduce((sum, count) => sum + count, 0);
        if (total !== participants) {
          issues.row('COUNTS_DO_NOT_SUM_TO_PARTICIPANTS', `сумма количеств отметок (${total}) не равна числу участников (${participants})`, c.participants!, String(participants));
          return null;
        }
        percents = counts.map((count) => (participants === 0 ? 0 : Math.round((count / participants) * 10000) / 100));
      } else {
        const decimals = Math.max(...markColumns.map((column) => decimalsWritten(row.cells[column] ?? null)));
        const converted = markCountsFromShares(issues, values, decimals, participants);
        if (converted === null) return null;
        counts = converted;
        percents = values;
      }
      const record: SchoolMarksRecord = {
        kind: 'school-marks',
        sourceRow: row.rowNumber,
        ...keys,
        schoolCode,
        ...readSchoolHints(fields, row, c),
        municipality: fields.text(row, c.municipality),
        participants,
        count2: counts[0],
        count3: counts[1],
        count4: counts[2],
        count5: counts[3],
        percent2: percents[0],
        percent3: percents[1],
        percent4: percents[2],
        percent5: percents[3],
      };
      return record;
    },
  };
}

function bindSchoolResults(head: readonly RawRow[], context: LayoutContext, requested: Extract<ColumnMapping, { target: 'school-results' }>, constants: ConstantCells): BoundLayout {
  const { mapping, notesRu } = withoutPersonalTargets(context, requested);
  if (mapping.columns.schoolCode === undefined) {
    throw fileIssue(context.fileName, 'INVALID_OPTIONS', 'В сопоставлении для результатов ОО нужен столбец кода ОО (schoolCode).');
  }
  const entries = Object.entries(mapping.columns).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const match: HeaderMatch<string> = constants.bind(head, entries, context, requested.values ?? {});
  const c = match.columns as Partial<Record<SchoolResultField, number>>;
  const fileKeys = fileKeysOf(context);
  requireKeySources(context, keyColumns(c), fileKeys, ['procedure', 'year'], HINT);
  checkFileYear(context, fileKeys.year, null);
  const personal = personalColumns(match);
  return {
    metadata: {
      ...emptyMetadata('school-result', match.row.rowNumber),
      ...fileKeys,
      session: context.constants.session ?? null,
      ignoredColumns: ignoredColumns(match, personal.indexes),
    },
    personalColumns: personal.headers,
    notesRu,
    mapRow: schoolResultRowMapper(context, { columns: c, fileKeys, markValues: mapping.markValues === 'percent' ? 'percent' : 'count' }),
  };
}

export const mappedLayout: Layout = {
  name: 'mapped',
  titleRu: 'Файл по сопоставлению столбцов',
  detect: () => 0,
  missingColumns: () => [],
  bind(head, context) {
    const mapping = context.mapping;
    if (mapping === null) {
      throw fileIssue(context.fileName, 'INVALID_OPTIONS', 'Для формата «mapped» нужно указать сопоставление столбцов файла полям хаба.');
    }
    // The mapping arrives from an upload form, so its shape is checked here rather than trusted.
    const constants = new ConstantCells();
    // A field given as a value counts as mapped: the checks of required fields below see it like a column.
    const values = (mapping.values ?? {}) as Partial<Record<string, string>>;
    const withValues = { ...mapping, columns: { ...mapping.columns, ...Object.fromEntries(Object.keys(values).map((field) => [field, `=${field}`])) } } as ColumnMapping;
    let bound: BoundLayout | null = null;
    if (withValues.target === 'participant-result') bound = bindParticipants(head, context, withValues, constants);
    if (withValues.target === 'school-marks') bound = bindMarks(head, context, withValues, constants);
    if (withValues.target === 'school-results') bound = bindSchoolResults(head, context, withValues, constants);
    if (bound !== null) {
      const mapRow = bound.mapRow;
      return constants.cells.size === 0 ? bound : { ...bound, mapRow: (row) => mapRow(constants.apply(row)) };
    }
    throw fileIssue(context.fileName, 'INVALID_OPTIONS', 'Сопоставление столбцов должно быть для «participant-result», «school-marks» или «school-results».');
  },
};
