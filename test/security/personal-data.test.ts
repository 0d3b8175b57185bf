/**
 * No personal names through any door (issue 15, item 1), through the real upload → worker → PostgreSQL path:
 * a mapping cannot read a personal column, a participant code that is not shaped like a code is stored as the
 * keyed hash, and no row error, errors.csv or batch record echoes a name, whichever column it stood in.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { loadConfig } from '../../src/config/config';
import { createParticipantAnonymiser, HIDDEN_VALUE } from '../../src/imports/parsing/personal-data';
import { ImportHarness } from '../imports/support/import-harness';

const NAME = 'Бубликова Анна Петровна';
const SURNAME = 'Бубликова';
const BIRTH_DATE = '12.03.2013';
const SNILS = '123-456-789 01';
const VPR_MATH_5 = { procedure: 'ВПР', year: 2024, subjectName: 'Математика', grade: 5 };
/** The hub's own hash, with the secret the worker runs with: a stored code must be exactly this. */
const anonymise = createParticipantAnonymiser(loadConfig().participantCodeSecret);
/** The first import of a file starts the worker's import process: slow on a loaded machine. */
const IMPORT_MS = 120_000;

describe('personal data never stored or echoed, whatever the layout or mapping', () => {
  let hub: ImportHarness;
  let dir: string;
  let schoolKey: string;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    dir = await mkdtemp(join(tmpdir(), 'msoko-personal-'));
    schoolKey = (await new ApiKeyService(hub.db.orm.em.fork()).create({ name: 'СОШ № 1', role: Role.SCHOOL, schoolCode: 'sch661234' })).key;
    // Files without task maxima are held until their assessment has a scale: the region's centre loads them first.
    const scales = await importCsv(
      'scales.csv',
      [
        ['Процедура', 'Год', 'Предмет', 'Класс', 'Максимальный первичный балл', 'Граница «3»', 'Граница «4»', 'Граница «5»', 'Минимальный балл ЕГЭ', 'Задания'],
        ['ВПР', 2024, 'Математика', 5, 20, 3, 6, 10, '', ''],
        ['ВПР', 2024, 'Математика', 6, 20, 6, 10, 15, '', ''],
        ['ОГЭ', 2024, 'Математика', 9, 14, 5, 9, 12, '', '"1:Б:1;2:Б:1;3:Б:1;4:Б:1;5:Б:1;6:Б:1;7:Б:1;8:Б:1;9:П:2;10:П:2;11:В:2"'],
      ],
      {},
    );
    expect(scales.status).toBe('DONE');
  });
  afterAll(async () => {
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a CSV, uploads it with the regional importer's key, starts it and waits for the verdict. */
  async function importCsv(name: string, rows: (string | number)[][], input: Record<string, unknown>): Promise<any> {
    const path = join(dir, name);
    await writeFile(path, `${rows.map((row) => row.join(';')).join('\n')}\n`);
    const uploaded = await hub.upload(path, 'importer');
    expect(uploaded.status).toBe(201);
    const started = await hub.start(uploaded.body.id, input, 'importer');
    expect(started.errors).toBeUndefined();
    return hub.finished(uploaded.body.id, 'importer', IMPORT_MS);
  }

  /** Every row of the tables an import writes to, as text. */
  async function storedText(): Promise<string> {
    const tables = ['participant_result', 'recheck_result', 'import_batch', 'import_row_error', 'school', 'school_alias', 'assessment', 'job_request'];
    const parts = await Promise.all(tables.map((table) => hub.sql(`select row_to_json(t)::text as row from ${table} t`)));
    return parts.flat().map((r: { row: string }) => r.row).join('\n');
  }

  async function errorsCsv(batch: any): Promise<string> {
    const response = await fetch(`${hub.baseUrl}${batch.errorsCsvPath}`, { headers: { authorization: `Bearer ${hub.keys.importer}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Participant codes of sch661234 as its own SCHOOL key reads them (after the recompute the import requested). */
  async function codesSchoolSees(): Promise<string[]> {
    const query = `{ schools(first: 1) { edges { node { results { participantResults(first: 10) { edges { node { participantCode } } } } } } } }`;
    const deadline = Date.now() + IMPORT_MS;
    for (;;) {
      const response = await fetch(`${hub.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${schoolKey}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      const codes: string[] = body.data.schools.edges.flatMap((school: any) =>
        school.node.results.flatMap((result: any) => result.participantResults.edges.map((edge: any) => edge.node.participantCode)),
      );
      if (codes.length > 0) return codes.sort();
      if (Date.now() > deadline) throw new Error('the school never saw its results');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('a participant code mapped to «ФИО ученика» is stored as the keyed hash; the school sees no name', async () => {
    const batch = await importCsv(
      'regional-names.csv',
      [
        ['ОО', 'ФИО ученика', 'Дата рождения', 'СНИЛС', 'Балл', 'Оценка'],
        ['sch661234', NAME, BIRTH_DATE, SNILS, 7, 4],
        ['sch661234', 'Орлов Пётр Ильич', '01.02.2013', '123-456-789 02', 5, 3],
      ],
      {
        layout: 'mapped',
        // The mapping even asks for the birth date as the class: it must not be able to read it.
        mapping: { target: 'participant-result', columns: { schoolCode: 'ОО', participantCode: 'ФИО ученика', classLabel: 'Дата рождения', primaryScore: 'Балл', mark: 'Оценка' } },
        constants: VPR_MATH_5,
      },
    );
    expect(batch.status).toBe('DONE');
    expect(batch.counts).toMatchObject({ rowsRead: 2, accepted: 2, inserted: 2 });

    const stored = await hub.sql(`select participant_code, class_label from participant_result`);
    const expected = [anonymise([NAME, 'sch661234']), anonymise(['Орлов Пётр Ильич', 'sch661234'])].sort();
    expect(stored.sort((x, y) => (x.participant_code < y.participant_code ? -1 : 1))).toEqual(expected.map((code) => ({ participant_code: code, class_label: null })));
    expect(await codesSchoolSees()).toEqual(expected);

    // Dropped and reported, as headers only, with a notice in Russian.
    expect(batch.report.personalColumnHeaders.sort()).toEqual(['ФИО ученика', 'Дата рождения', 'СНИЛС'].sort());
    expect(batch.report.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Столбцы с персональными данными не загружены и нигде не сохранены'),
        'Столбец «ФИО ученика», указанный как код участника, содержит персональные данные: код участника построен из него как обезличенный хеш.',
        'Столбец «Дата рождения», указанный для поля «classLabel», содержит персональные данные: поле оставлено пустым.',
      ]),
    );
    const text = await storedText();
    for (const value of [SURNAME, 'Анна', 'Орлов', BIRTH_DATE, '01.02.2013', SNILS]) expect(text.includes(value) ? value : null).toBeNull();
  }, 3 * IMPORT_MS);

  it('a required field mapped to a personal column refuses the file without reading it', async () => {
    const batch = await importCsv(
      'score-is-snils.csv',
      [
        ['ОО', 'Код участника', 'СНИЛС', 'Балл'],
        ['sch661234', '20001', SNILS, 7],
      ],
      { layout: 'mapped', mapping: { target: 'participant-result', columns: { schoolCode: 'ОО', participantCode: 'Код участника', primaryScore: 'СНИЛС' } }, constants: VPR_MATH_5 },
    );
    expect(batch.status).toBe('REJECTED');
    expect(batch.fileError).toMatchObject({
      code: 'INVALID_OPTIONS',
      column: 'СНИЛС',
      messageRu: 'Столбец «СНИЛС» содержит персональные данные, и хаб его не читает, а сопоставлен обязательному полю «primaryScore». Сопоставьте этому полю другой столбец.',
    });
    expect((await storedText()).includes(SNILS)).toBe(false);
  });

  it('keeps codes shaped like codes, hashes anything else, in a mapped file and in a ФИС ОКО file', async () => {
    const mapped = await importCsv(
      'regional-codes.csv',
      [
        ['ОО', 'Код ученика', 'Балл'],
        ['sch661235', '1234-5678', 7],
        ['sch661235', 'ab12/34.5_x', 6],
        ['sch661235', NAME, 5],
      ],
      { layout: 'mapped', mapping: { target: 'participant-result', columns: { schoolCode: 'ОО', participantCode: 'Код ученика', primaryScore: 'Балл' } }, constants: { ...VPR_MATH_5, grade: 6 } },
    );
    expect(mapped.status).toBe('DONE');
    const fisoko = await importCsv(
      'vpr-with-a-name.csv',
      [
        ['ВПР 2024 Русский язык 4 класс'],
        ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', '1 (1б)', '2 (2б)', 'Первичный балл', 'Отметка'],
        ['sch661301', 'Каменский МР', 'МКОУ «Колчеданская ООШ»', '30001', '4А', 1, 1, 2, 3, 5],
        ['sch661301', 'Каменский МР', 'МКОУ «Колчеданская ООШ»', 'Орлова Вера', '4А', 1, 1, 1, 2, 4],
        ['sch661301', 'Каменский МР', 'МКОУ «Колчеданская ООШ»', SURNAME, '4А', 2, 0, 1, 1, 3],
      ],
      {},
    );
    expect(fisoko.status).toBe('DONE');
    const hashedNote = (count: number) =>
      `Строк, где код участника не похож на код (буквы, цифры и «-_/.» без пробелов), например там ФИО: ${count}. Такие коды заменены обезличенным хешем, сами значения не сохранены.`;
    expect(mapped.report.notes).toEqual([hashedNote(1)]);
    expect(fisoko.report.notes).toContain(hashedNote(2));
    const codes = async (login: string) =>
      (
        await hub.sql(`select participant_code from participant_result where school_id = ?`, [hub.schools[login].id])
      )
        .map((row: { participant_code: string }) => row.participant_code)
        .sort();
    expect(await codes('sch661235')).toEqual(['1234-5678', 'ab12/34.5_x', anonymise([NAME, 'sch661235'])].sort());
    expect(await codes('sch661301')).toEqual(['30001', anonymise(['Орлова Вера', 'sch661301']), anonymise([SURNAME, 'sch661301'])].sort());
    const text = await storedText();
    for (const value of [SURNAME, 'Орлова']) expect(text.includes(value) ? value : null).toBeNull();
  });

  it('a surname in «Код ОО» of a ГИА protocol never reaches import_row_error, importErrors or errors.csv', async () => {
    const batch = await importCsv(
      'gia-surname-as-school.csv',
      [
        ['Код МСУ', 'Код ОО', 'Класс', 'Фамилия', 'Имя', 'Отчество', 'Задания с кратким ответом', 'Задания с развёрнутым ответом', 'Первичный балл'],
        ['6608', '660123', '9А', 'Иванова', 'Алёна', 'Сергеевна', '++-+1-++', '2(2)1(2)0(2)', 9],
        ['6608', SURNAME, '9А', 'Петров', 'Кирилл', 'Андреевич', '+-------', '0(2)0(2)0(2)', 1],
        ['6608', NAME, '9Б', 'Сидоренко', 'Мария', 'Ильинична', '++++++++', '2(2)2(2)2(2)', 14],
      ],
      { constants: { procedure: 'ОГЭ', year: 2024, subjectName: 'Математика' } },
    );
    expect(batch.status).toBe('REJECTED');

    const raw = await hub.sql(`select row_number, column_header, cell, value, code, message_ru from import_row_error where batch_id = ? order by row_number`, [Number(batch.id)]);
    expect(raw.map((row: any) => [row.row_number, row.column_header, row.cell, row.value, row.code])).toEqual([
      [3, 'Код ОО', 'B3', HIDDEN_VALUE, 'SCHOOL_NOT_FOUND'],
      [4, 'Код ОО', 'B4', HIDDEN_VALUE, 'SCHOOL_NOT_FOUND'],
    ]);
    expect(raw[0].message_ru).toBe(
      `Строка 3, столбец «Код ОО» (B3): ОО не найдена: кода «${HIDDEN_VALUE}» нет в справочнике ОО хаба — проверьте код или загрузите справочник ОО (шаблон schools).`,
    );

    const errors = await hub.errors(batch.id, 'importer');
    expect(errors.map((error) => [error.row, error.cell, error.value])).toEqual([
      [3, 'B3', HIDDEN_VALUE],
      [4, 'B4', HIDDEN_VALUE],
    ]);
    const csv = await errorsCsv(batch);
    expect(csv).toContain(`;B3;${HIDDEN_VALUE};SCHOOL_NOT_FOUND;`);

    const everything = [JSON.stringify(raw), JSON.stringify(errors), csv, JSON.stringify(batch), await storedText()].join('\n');
    for (const value of [SURNAME, 'Иванова', 'Петров', 'Сидоренко', 'Алёна', 'Кирилл']) expect(everything.includes(value) ? value : null).toBeNull();
  });
});
