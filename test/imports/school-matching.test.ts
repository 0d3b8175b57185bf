/**
 * School matching (issue 22): open data whose school ids changed between versions — codes the hub does not know come
 * back in the batch with the schools of the key's region they may mean; a confirmed candidate becomes an alias and the
 * same file then goes in. Candidates never cross the key's region.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FIXTURES, ImportHarness } from './support/import-harness';

function written(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-matching-')), name);
  writeFileSync(path, '\ufeff' + content);
  return relative(FIXTURES, path);
}

const MAPPING = {
  target: 'school-results',
  columns: { schoolCode: 'ID ОО', schoolName: 'Наименование ОО', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл' },
};
const START = { layout: 'mapped', mapping: MAPPING, constants: { procedure: 'ЕГЭ' } };
const CANDIDATES = `query($id: ID!) { importBatch(id: $id) { status unknownSchoolCodes { code schoolName rows candidates { schoolId name municipality codes score reasonRu } } } }`;
const CONFIRM = `mutation($input: ConfirmSchoolAliasInput!) { confirmSchoolAlias(input: $input) { schoolId schoolName code kind } }`;

describe('school matching', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    // ЕГЭ school results are read against a scale: without one they would be held (SCALE_MISSING).
    expect((await hub.importFile('scales/ege-2021-2025.csv')).status).toBe('DONE');
  });
  afterAll(() => hub.stop());

  it('unknown codes come back with candidate schools of the region, a confirmed one becomes an alias, and the file goes in', async () => {
    const first = await hub.importFile('open-data/ege-2025-new-ids.csv', START, 'importer');
    expect(first.status).toBe('REJECTED');
    const { data, errors } = await hub.gql(CANDIDATES, { id: first.id }, 'importer');
    expect(errors).toBeUndefined();
    const codes = data!.importBatch.unknownSchoolCodes;
    expect(codes.map((entry: any) => [entry.code, entry.rows, entry.candidates[0]?.schoolId ?? null])).toEqual([
      ['77001', [2], String(hub.schools.sch661234.id)],
      ['77002', [3], String(hub.schools.sch661235.id)],
      // The only school so named is another region's: not offered.
      ['77003', [4], null],
    ]);
    const best = codes[0].candidates[0];
    expect(best).toMatchObject({ name: 'МАОУ «СОШ № 1»', municipality: 'Каменск-Уральский ГО', codes: expect.arrayContaining(['FISOKO_LOGIN:sch661234', 'INN:6612001234']) });
    expect(best.score).toBeGreaterThan(0.5);
    expect(best.reasonRu).toMatch(/^похожее наименование/);
    // «СОШ № 1» is not offered for «СОШ №2» above the real one.
    const second = codes[1].candidates;
    expect(second.find((candidate: any) => candidate.schoolId === String(hub.schools.sch661234.id))?.score ?? 0).toBeLessThan(second[0].score);
    expect(codes.flatMap((entry: any) => entry.candidates.map((candidate: any) => candidate.schoolId))).not.toContain(String(hub.schools.sch771001.id));

    // Another region's key cannot attach a code to this region's school; a code is one school's only.
    const foreign = await hub.gql(CONFIRM, { input: { code: '77001', schoolId: String(hub.schools.sch661234.id) } }, 'otherImporter');
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    for (const [code, school] of [['77001', hub.schools.sch661234], ['77002', hub.schools.sch661235]] as const) {
      const confirmed = await hub.gql(CONFIRM, { input: { code, schoolId: String(school.id) } }, 'importer');
      expect(confirmed.data!.confirmSchoolAlias).toEqual({ schoolId: String(school.id), schoolName: school.name, code, kind: 'OTHER' });
    }
    const taken = await hub.gql(CONFIRM, { input: { code: '77001', schoolId: String(hub.schools.sch661235.id) } }, 'importer');
    expect(taken.errors?.[0]).toMatchObject({ message: 'Код «77001» уже принадлежит другой ОО: «МАОУ «СОШ № 1»». Один код не может означать две ОО.', extensions: { code: 'CONFLICT' } });
    expect(await hub.sql(`select action, target from audit_log where action = 'schoolAlias.confirm' order by id`)).toHaveLength(2);

    // The same file again: two rows now resolve; the third stays unknown and is left out under ACCEPT_VALID.
    const again = await hub.importFile('open-data/ege-2025-new-ids.csv', { ...START, policy: 'ACCEPT_VALID', maxErrorShare: 0.5 }, 'importer', 'ege-2025-new-ids-again.csv');
    expect(again).toMatchObject({ status: 'DONE', counts: { accepted: 2, rejected: 1, inserted: 2 } });
    expect((await hub.gql(CANDIDATES, { id: again.id }, 'importer')).data!.importBatch.unknownSchoolCodes.map((entry: any) => entry.code)).toEqual(['77003']);
    expect(await hub.sql(`select school_id, mean_test_score from school_result order by school_id`)).toEqual([
      { school_id: hub.schools.sch661234.id, mean_test_score: 73.1 },
      { school_id: hub.schools.sch661235.id, mean_test_score: 69.8 },
    ]);
  });

  it('a ВПР file with a school’s new login: the participant rows’ unknown code comes back with its candidate', async () => {
    const batch = await hub.importFile('valid/vpr-changed-login.csv', {}, 'importer');
    expect(batch.status).toBe('REJECTED');
    const codes = (await hub.gql(CANDIDATES, { id: batch.id }, 'importer')).data!.importBatch.unknownSchoolCodes;
    expect(codes).toEqual([
      {
        code: 'sch661299',
        schoolName: 'МАОУ «Средняя общеобразовательная школа № 2»',
        rows: [4],
        candidates: [expect.objectContaining({ schoolId: String(hub.schools.sch661235.id), score: 1 })],
      },
    ]);
    expect((await hub.gql(CONFIRM, { input: { code: 'sch661299', schoolId: String(hub.schools.sch661235.id) } }, 'importer')).data!.confirmSchoolAlias.kind).toBe('FISOKO_LOGIN');
    const again = await hub.importFile('valid/vpr-changed-login.csv', {}, 'importer', 'vpr-changed-login-again.csv');
    expect(again).toMatchObject({ status: 'DONE', counts: { inserted: 2 } });
  });

  it('the directory keeps ОГРН and address; a file that gives them offers the school by them', async () => {
    const directory = await hub.importFile(
      written('schools.csv', [
        'Код региона;Код муниципалитета;Наименование ОО;Логин ФИС ОКО;ОГРН;Адрес ОО',
        '66;6620;МКОУ «Колчеданская ООШ»;sch661301;1026600001234;623451, Свердловская обл., Каменский р-н, с. Колчедан, ул. Ленина, д. 5',
      ].join('\r\n')),
      {},
      'importer',
    );
    expect(directory).toMatchObject({ status: 'DONE', layout: 'schools', counts: { replaced: 1 } });
    expect(await hub.sql(`select ogrn, address from school where id = ?`, [hub.schools.sch661301.id])).toEqual([
      { ogrn: '1026600001234', address: '623451, Свердловская обл., Каменский р-н, с. Колчедан, ул. Ленина, д. 5' },
    ]);
    const file = written('portal.csv', [
      'ID;Наименование;ОГРН;Адрес ОО;Год;Предмет;Сдавали;Средний балл',
      '5001;Колчеданская основная школа;1026600001234;;2024;Русский язык;9;61',
      '5002;;;с. Колчедан, ул. Ленина, 5;2024;Математика профильная;4;48',
    ].join('\r\n'));
    const batch = await hub.importFile(
      file,
      {
        layout: 'mapped',
        constants: { procedure: 'ЕГЭ' },
        mapping: { target: 'school-results', columns: { schoolCode: 'ID', schoolName: 'Наименование', ogrn: 'ОГРН', address: 'Адрес ОО', year: 'Год', subjectName: 'Предмет', participants: 'Сдавали', meanTestScore: 'Средний балл' } },
      },
      'importer',
    );
    expect(batch.status).toBe('REJECTED');
    const codes = (await hub.gql(CANDIDATES, { id: batch.id }, 'importer')).data!.importBatch.unknownSchoolCodes;
    expect(codes.map((entry: any) => [entry.code, entry.candidates[0]?.schoolId, entry.candidates[0]?.score, entry.candidates[0]?.reasonRu.split(' (')[0]])).toEqual([
      ['5001', String(hub.schools.sch661301.id), 1, 'ОГРН совпадает'],
      ['5002', String(hub.schools.sch661301.id), expect.any(Number), 'похожий адрес'],
    ]);
    expect(codes[1].candidates[0].score).toBeGreaterThan(0.4);
    // A malformed ОГРН in the directory is a row error with its cell.
    const wrong = await hub.importFile(written('schools-bad.csv', ['Код региона;Код муниципалитета;Наименование ОО;Логин ФИС ОКО;ОГРН', '66;6620;МКОУ «Колчеданская ООШ»;sch661301;10266'].join('\r\n')), {}, 'importer');
    expect(wrong.status).toBe('REJECTED');
    expect((await hub.errors(wrong.id, 'importer'))[0].messageRu).toBe('Строка 2, столбец «ОГРН» (E2): ОГРН «10266» неверен: нужно 13 цифр.');
  });
  it('every target that reads a school code keeps its unknown codes with candidates: aggregate marks and distributions, contexts, conduct conditions, re-checks', async () => {
    const files: [string, string[], string][] = [
      // ФИС ОКО shares of marks: the name in «ОО».
      ['aggregate-marks.csv', ['Год;Класс;Предмет;Муниципалитет;Логин;ОО;Кол-во участников;2;3;4;5', '2024;4;Русский язык;Каменск-Уральский ГО;sch661398;МАОУ «СОШ № 2»;8;12,5;37,5;37,5;12,5'], 'aggregate-marks'],
      // Score distribution with the school's ИНН beside its new login.
      ['aggregate-distribution.csv', ['Год;Класс;Предмет;Логин;ИНН;Кол-во участников;0;1;2;3', '2024;4;Русский язык;sch661399;6612001234;4;25;25;25;25'], 'aggregate-distribution'],
      // Contexts: the ИНН next to another code.
      ['contexts.csv', ['Код ОО;ИНН;Год;Численность обучающихся;Количество педагогов', 'ctx-901;6612001234;2024;812;48'], 'school-context'],
      ['conduct.csv', ['Код ОО;Наименование ОО;Год;Процедура;Наблюдатели;Видеонаблюдение при проведении;Видеонаблюдение при проверке;Коллегиальная проверка', 'cc-77;МКОУ Колчеданская ООШ;2024;ВПР;независимые;да;нет;да'], 'conduct-conditions'],
      ['rechecks.csv', ['Код ОО;Наименование ОО;Процедура;Год;Предмет;Класс;Код участника;Первичный балл (исходный);Первичный балл (перепроверка);Уровень комиссии', 'rc-5;МАОУ «СОШ № 1»;ВПР;2024;Русский язык;4;10001;9;8;муниципальная', 'rc-5;МАОУ «СОШ № 1»;ВПР;2024;Русский язык;4;10002;7;7;муниципальная'], 'rechecks'],
    ];
    const seen: unknown[] = [];
    for (const [name, lines, layout] of files) {
      const batch = await hub.importFile(written(name, lines.join('\r\n')), {}, 'importer');
      expect(batch).toMatchObject({ status: 'REJECTED', layout });
      const codes = (await hub.gql(CANDIDATES, { id: batch.id }, 'importer')).data!.importBatch.unknownSchoolCodes;
      seen.push(...codes.map((entry: any) => [entry.code, entry.schoolName, entry.rows, entry.candidates[0]?.schoolId, entry.candidates[0]?.reasonRu.split(' (')[0]]));
      // The row error stays: the code is still unknown until an alias is confirmed.
      expect((await hub.errors(batch.id, 'importer')).map((error: any) => error.code)).toContain('SCHOOL_NOT_FOUND');
    }
    expect(seen).toEqual([
      ['sch661398', 'МАОУ «СОШ № 2»', [2], String(hub.schools.sch661235.id), 'похожее наименование'],
      ['sch661399', null, [2], String(hub.schools.sch661234.id), 'ИНН совпадает'],
      ['ctx-901', null, [2], String(hub.schools.sch661234.id), 'ИНН совпадает'],
      ['cc-77', 'МКОУ Колчеданская ООШ', [2], String(hub.schools.sch661301.id), 'похожее наименование'],
      ['rc-5', 'МАОУ «СОШ № 1»', [2, 3], String(hub.schools.sch661234.id), 'похожее наименование'],
    ]);
  });
});
