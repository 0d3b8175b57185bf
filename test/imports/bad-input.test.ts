/**
 * Bad input through the API, each case from a fixture: the batch says exactly what is wrong and where (file,
 * sheet, row, column, value, in Russian), the errors are downloadable, and the hub's data is unchanged.
 * (Over-the-limit uploads: upload.test.ts; a worker killed mid-merge: worker-killed.test.ts.)
 */
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { LAYOUT_NAMES } from '../../src/imports/parsing';
import { HIDDEN_VALUE } from '../../src/imports/parsing/personal-data';
import { containsPersonalValue, GIA_PEOPLE } from '../fixtures/imports/make-fixtures';
import { fixture, ImportHarness } from './support/import-harness';

describe('bad input through the API leaves the data as it was', () => {
  let hub: ImportHarness;

  /** Everything an import writes (recompute jobs write computed results and risk, which are not the import's). */
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        [
          'select * from participant_result order by id',
          'select * from assessment order by id',
          'select * from subject order by id',
          'select * from school order by id',
          'select * from school_alias order by id',
          'select * from municipality order by id',
          'select * from school_context order by id',
          'select * from conduct_conditions order by id',
          'select * from recheck_result order by id',
          `select * from benchmark_result where source = 'imported' order by id`,
          `select id, school_id, assessment_id, participants, count2, count3, count4, count5, histogram from school_result where source = 'IMPORTED' order by id`,
        ].map((sql) => hub.sql(sql)),
      ),
    );

  let before: string;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    // Data to keep: results, and the scales (ВПР Russian grade 4 with boundaries 3 / 5 / 8).
    expect((await hub.importFile('valid/fisoko-vpr-individual.csv')).status).toBe('DONE');
    expect((await hub.importFile('templates/assessment-scales.csv')).status).toBe('DONE');
  });
  afterAll(() => hub.stop());

  beforeEach(async () => {
    before = await snapshot();
  });

  /**
   * Imports a fixture expecting a refusal; checks that nothing changed and the upload is gone — unless only rows were
   * refused (no file error): then the file is kept for a re-run (rerunImport), and it is the only file left.
   */
  async function refused(file: string, input: Record<string, unknown> = {}): Promise<{ batch: any; errors: any[] }> {
    const batch = await hub.importFile(file, input);
    expect(batch.status).toBe('REJECTED');
    expect(batch.counts.inserted).toBe(0);
    expect(batch.recomputeJobs).toEqual([]);
    expect(await snapshot()).toBe(before);
    expect(await dropKeptFile(batch.id)).toBe(batch.fileError === null);
    return { batch, errors: await hub.errors(batch.id) };
  }

  /**
   * Whether the batch kept its file for a re-run, being the only file left; the file then goes, so that every case
   * starts from an empty import directory.
   */
  async function dropKeptFile(batchId: string): Promise<boolean> {
    const [{ stored_path: kept }] = await hub.sql(`select stored_path from import_batch where id = ?`, [Number(batchId)]);
    expect(await hub.uploadedFiles()).toEqual(kept === null ? [] : [basename(kept)]);
    if (kept === null) return false;
    await hub.sql(`update import_batch set stored_path = null where id = ?`, [Number(batchId)]);
    await rm(kept);
    return true;
  }

  const brief = (error: any) => ({ row: error.row, column: error.column, value: error.value, code: error.code });

  it('an empty file', async () => {
    const { batch, errors } = await refused('bad/empty.csv');
    expect(batch.fileError).toEqual({ code: 'EMPTY_FILE', messageRu: 'Файл пустой: в нём нет ни одной строки.', sheet: null, row: null, column: null, value: null });
    expect(batch.messageRu).toBe('Файл не загружен: Файл пустой: в нём нет ни одной строки.');
    expect(errors).toEqual([{ severity: 'ERROR', file: 'empty.csv', sheet: null, row: null, column: null, cell: null, value: null, code: 'EMPTY_FILE', messageRu: 'Файл пустой: в нём нет ни одной строки.' }]);
  });

  it('a header without data rows', async () => {
    const { batch } = await refused('bad/header-only.csv');
    expect(batch.fileError).toMatchObject({ code: 'HEADER_ONLY', row: 1, messageRu: 'В файле есть строка заголовка (строка 1), но нет ни одной строки с данными.' });
  });

  it('an unknown layout, listing every layout tried', async () => {
    const { batch } = await refused('bad/unknown-layout.csv');
    expect(batch.fileError.code).toBe('UNKNOWN_LAYOUT');
    for (const name of LAYOUT_NAMES.filter((layout) => layout !== 'mapped')) expect(batch.fileError.messageRu).toContain(`«${name}»`);
  });

  it('an unknown layout name given at start is refused before anything runs', async () => {
    const uploaded = await hub.upload(fixture('valid/aggregate-marks.csv'));
    const started = await hub.start(uploaded.body.id, { layout: 'vpr-old' });
    expect(started.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(started.errors![0].message).toBe(`Формат «vpr-old» не известен. Известные форматы: ${LAYOUT_NAMES.join(', ')}`);
    expect((await hub.batch(uploaded.body.id)).status).toBe('UPLOADED');
    // Never started: cancelling removes the waiting upload.
    const cancelled = await hub.gql(`mutation($id: ID!) { cancelImport(id: $id) { status messageRu } }`, { id: uploaded.body.id });
    expect(cancelled.data!.cancelImport).toEqual({ status: 'CANCELLED', messageRu: 'Загрузка отменена до начала обработки.' });
    expect(await hub.uploadedFiles()).toEqual([]);
  });

  it('a truncated XLSX', async () => {
    const { batch } = await refused('bad/truncated.xlsx');
    expect(batch.fileError).toMatchObject({ code: 'XLSX_CORRUPT', messageRu: 'Файл XLSX повреждён или загружен не полностью (обрезан). Загрузите файл ещё раз.' });
  });

  it('a file that is not UTF-8 or Windows-1251, without an encoding hint, and binary data named .csv', async () => {
    const utf16 = await refused('bad/utf16-no-bom.csv');
    expect(utf16.batch.fileError.code).toBe('ENCODING_UNDETECTED');
    expect(utf16.batch.fileError.messageRu).toContain('UTF-16');
    const binary = await refused('bad/binary.csv');
    expect(binary.batch.fileError.code).toBe('ENCODING_UNDETECTED');
    expect(binary.batch.fileError.messageRu).toContain('двоичные данные');
  });

  it('formulas in XLSX cells, with the cell address', async () => {
    const { batch, errors } = await refused('bad/vpr-formulas.xlsx');
    expect(batch.counts).toMatchObject({ rowsRead: 3, rejected: 2, accepted: 1, errors: 2 });
    expect(batch.messageRu).toBe('Строк с ошибками: 2 из 3. По правилу «отклонить весь файл» данные не загружены: исправьте ошибки из отчёта и загрузите файл снова.');
    expect(errors.map((e) => ({ ...brief(e), sheet: e.sheet, cell: e.cell }))).toEqual([
      { row: 7, column: 'Первичный балл', value: '9', code: 'FORMULA_NOT_ALLOWED', sheet: 'Результаты', cell: 'L7' },
      { row: 8, column: 'Первичный балл', value: '7', code: 'FORMULA_NOT_ALLOWED', sheet: 'Результаты', cell: 'L8' },
    ]);
    expect(errors[0].messageRu).toBe(
      'Строка 7, столбец «Первичный балл» (L7): ячейка L7 содержит формулу — формулы не допускаются, вставьте в ячейку значение.',
    );
  });

  it('quotes and embedded line breaks read as one cell; the row with a bad ИНН rejects the file', async () => {
    const { batch, errors } = await refused('bad/schools-quotes-newlines.csv');
    expect(batch.counts).toMatchObject({ rowsRead: 3, rejected: 1 });
    expect(errors.map(brief)).toEqual([{ row: 4, column: 'ИНН', value: '6612001235', code: 'INVALID_INN' }]);
  });

  it('"12,5" where a whole primary score belongs (while "12,5" as a share is 12.5 %)', async () => {
    const { errors } = await refused('bad/vpr-decimal-score.csv');
    expect(errors.map(brief)).toEqual([{ row: 5, column: 'Первичный балл', value: '12,5', code: 'NOT_AN_INTEGER' }]);
    expect(errors[0].messageRu).toBe('Строка 5, столбец «Первичный балл» (L5): ожидается целое число, указано «12,5».');
  });

  it('"нет отметки" is no mark and "Х" a task not done — stored as null, not as 0 or an error', async () => {
    const rows = await hub.sql(`select participant_code, task_scores, mark, journal_mark from participant_result where participant_code in ('10003', '10004') order by participant_code`);
    expect(rows).toEqual([
      { participant_code: '10003', task_scores: [1, null, 0, null, 2], mark: 3, journal_mark: null },
      { participant_code: '10004', task_scores: [0, 0, 0, 0, 0], mark: null, journal_mark: 2 },
    ]);
  });

  it('a negative score', async () => {
    const { errors } = await refused('bad/vpr-negative-score.csv');
    expect(errors.map(brief)).toEqual([{ row: 5, column: '2 (2б)', value: '-1', code: 'NEGATIVE_SCORE' }]);
    expect(errors[0].messageRu).toBe('Строка 5, столбец «2 (2б)» (H5): балл не может быть отрицательным, указано «-1».');
  });

  it('school codes that match nothing', async () => {
    const { errors } = await refused('bad/vpr-unknown-school.csv');
    expect(errors).toEqual([
      {
        severity: 'ERROR',
        file: 'vpr-unknown-school.csv',
        sheet: null,
        row: 5,
        column: 'ОО',
        cell: 'A5',
        value: 'sch669999',
        code: 'SCHOOL_NOT_FOUND',
        messageRu: 'Строка 5, столбец «ОО» (A5): ОО не найдена: кода «sch669999» нет в справочнике ОО хаба — проверьте код или загрузите справочник ОО (шаблон schools).',
      },
    ]);
  });

  it('the same participant twice', async () => {
    const { errors } = await refused('bad/vpr-duplicate-participant.csv');
    expect(errors.map(brief)).toEqual([{ row: 6, column: 'Код участника', value: '10001', code: 'DUPLICATE_PARTICIPANT' }]);
    expect(errors[0].messageRu).toContain('уже есть в строке 4');
  });

  it('a year outside the allowed range: in the title (the whole file) or in a row', async () => {
    const title = await refused('bad/vpr-year-out-of-range.csv');
    expect(title.batch.fileError).toMatchObject({ code: 'YEAR_OUT_OF_RANGE', row: 1, value: '2009' });
    const row = await refused('bad/aggregate-marks-year-out-of-range.csv');
    expect(row.errors.map((e) => ({ ...brief(e), severity: e.severity }))).toEqual([
      { row: 3, column: 'Год', value: '2009', code: 'YEAR_OUT_OF_RANGE', severity: 'ERROR' },
      // The other row would have been skipped anyway: the hub has this school's participant rows.
      { row: 2, column: 'Логин', value: 'sch661234', code: 'SUPERSEDED_BY_PARTICIPANT_RESULTS', severity: 'WARNING' },
    ]);
    expect(row.errors[0].messageRu).toBe(`Строка 3, столбец «Год» (A3): год «2009» вне допустимого диапазона 2015–${new Date().getFullYear() + 1}.`);
  });

  it('a mark that contradicts the scale the hub keeps for the assessment', async () => {
    const { errors } = await refused('bad/vpr-mark-against-scale.csv');
    expect(errors.map((e) => ({ ...brief(e), cell: e.cell }))).toEqual([{ row: 4, column: 'Отметка', value: '4', code: 'MARK_INCONSISTENT_WITH_SCALE', cell: 'M4' }]);
    expect(errors[0].messageRu).toBe('Строка 4, столбец «Отметка» (M4): отметка «4» не соответствует шкале: за первичный балл 9 полагается «5».');
  });

  it('a mark that contradicts the stored scale in a file whose rows name their own assessment', async () => {
    const { errors } = await refused('bad/gia-protocol-rows-against-scale.csv');
    expect(errors.map(brief)).toEqual([{ row: 2, column: 'Отметка', value: '5', code: 'MARK_INCONSISTENT_WITH_SCALE' }]);
    expect(errors[0].messageRu).toBe('Строка 2, столбец «Отметка» (J2): отметка «5» не соответствует шкале: за первичный балл 9 полагается «4».');
  });

  it('a missing required column of an explicitly chosen layout', async () => {
    const { batch } = await refused('bad/vpr-missing-column.csv', { layout: 'fisoko-vpr-individual' });
    expect(batch.fileError).toMatchObject({ code: 'MISSING_COLUMN', row: 2, column: 'Код участника' });
  });

  it('a ГИА protocol with a surname in a score column: the value is masked, no name reaches the report', async () => {
    const missing = await refused('bad/gia-protocol-names.csv');
    expect(missing.batch.fileError.code).toBe('METADATA_MISSING');
    const { batch, errors } = await refused('bad/gia-protocol-names.csv', { constants: { procedure: 'ЕГЭ', year: 2024, subjectName: 'Русский язык' } });
    expect(errors.map(brief)).toEqual([
      { row: 4, column: 'Первичный балл', value: HIDDEN_VALUE, code: 'NOT_A_NUMBER' },
      { row: 5, column: 'Фамилия', value: expect.stringMatching(/^P-[0-9a-f]{16}$/), code: 'DUPLICATE_PARTICIPANT' },
    ]);
    const csv = await (await fetch(`${hub.baseUrl}${batch.errorsCsvPath}`, { headers: { authorization: `Bearer ${hub.keys.admin}` } })).text();
    for (const person of GIA_PEOPLE) for (const part of person) expect(containsPersonalValue(csv, part) ? part : null).toBeNull();
  });

  it('ACCEPT_VALID loads the valid rows while errors stay under the stated share, and refuses above it', async () => {
    const over = await refused('bad/vpr-unknown-school.csv', { policy: 'ACCEPT_VALID', maxErrorShare: 0.4 });
    expect(over.batch.messageRu).toBe('Строк с ошибками: 1 из 2. Доля строк с ошибками 50 % больше допустимой (40 %): данные не загружены.');
    const under = await hub.importFile('bad/vpr-unknown-school.csv', { policy: 'ACCEPT_VALID', maxErrorShare: 0.5 }, 'admin', 'second-try.csv');
    expect(under).toMatchObject({ status: 'DONE', policy: 'ACCEPT_VALID', maxErrorShare: 0.5, counts: { rowsRead: 2, accepted: 1, rejected: 1, inserted: 1, errors: 1 } });
    expect(await hub.errors(under.id)).toHaveLength(1);
    // The row left out may load later (an alias confirmed, then rerunImport): the file is kept for that.
    expect(await dropKeptFile(under.id)).toBe(true);
    const math = await hub.sql(
      `select p.participant_code from participant_result p join assessment a on a.id = p.assessment_id join subject s on s.id = a.subject_id where s.code = 'MATH' and a.grade = 4`,
    );
    expect(math).toEqual([{ participant_code: '10001' }]);
  });

  it('the same participant twice under two codes of one school (ФИС ОКО login and РЦОИ code)', async () => {
    const { errors } = await refused('bad/vpr-duplicate-participant-two-codes.csv');
    expect(errors.map(brief)).toEqual([{ row: 6, column: 'Код участника', value: '10001', code: 'DUPLICATE_PARTICIPANT' }]);
    expect(errors[0].messageRu).toContain('участник «10001» этой ОО уже есть в строке 4 (ОО указана другим кодом)');
    // Accepting the valid rows leaves the second one out and replaces the school's results with the other two.
    const accepted = await hub.importFile('bad/vpr-duplicate-participant-two-codes.csv', { policy: 'ACCEPT_VALID', maxErrorShare: 0.5 }, 'admin', 'two-codes.csv');
    expect(accepted).toMatchObject({ status: 'DONE', counts: { rowsRead: 3, accepted: 2, rejected: 1, inserted: 2, errors: 1 } });
    expect(await dropKeptFile(accepted.id)).toBe(true);
    const math = await hub.sql(
      `select p.participant_code, p.school_id from participant_result p join assessment a on a.id = p.assessment_id join subject s on s.id = a.subject_id
       where s.code = 'MATH' and a.grade = 4 order by p.participant_code`,
    );
    expect(math).toEqual([
      { participant_code: '10001', school_id: hub.schools.sch661234.id },
      { participant_code: '10002', school_id: hub.schools.sch661234.id },
    ]);
  });

  it('the errors CSV lists every error with file, sheet, row, column, cell, value, code and message', async () => {
    const batch = await hub.importFile('bad/vpr-formulas.xlsx', {}, 'admin', 'formulas-again.xlsx');
    const response = await fetch(`${hub.baseUrl}/imports/${batch.id}/errors.csv`, { headers: { authorization: `Bearer ${hub.keys.admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="import-${batch.id}-errors.csv"`);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.split('\r\n')).toEqual([
      '\ufeffФайл;Лист;Строка;Столбец;Ячейка;Значение;Код;Вид;Сообщение',
      'formulas-again.xlsx;Результаты;7;Первичный балл;L7;9;FORMULA_NOT_ALLOWED;ошибка;Строка 7, столбец «Первичный балл» (L7): ячейка L7 содержит формулу — формулы не допускаются, вставьте в ячейку значение.',
      'formulas-again.xlsx;Результаты;8;Первичный балл;L8;7;FORMULA_NOT_ALLOWED;ошибка;Строка 8, столбец «Первичный балл» (L8): ячейка L8 содержит формулу — формулы не допускаются, вставьте в ячейку значение.',
      '',
    ]);
  });
});
