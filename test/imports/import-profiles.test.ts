/**
 * Import profiles (issue 22): a region saves how it reads one kind of its files (layout, mapping, constants) under a
 * name and starts imports with it — through GraphQL and `msoko-hub import --profile`; another region neither sees nor
 * uses it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { fixture, FIXTURES, ImportHarness } from './support/import-harness';
import { runCli } from '../support/cli';


const SAVE = `mutation($input: SaveImportProfileInput!) { saveImportProfile(input: $input) { id name regionCode layout mapping constants { procedure year subjectName grade } savedBy } }`;
const OPEN_DATA = {
  name: 'ЕГЭ — открытые данные города',
  layout: 'mapped',
  mapping: {
    target: 'school-results',
    columns: { schoolCode: 'ИНН', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл', countTest80: 'Количество набравших 80 баллов и более' },
  },
  constants: { procedure: 'ЕГЭ' },
};

/** A KOI8-R file with «,» between values and one row of an unknown school: readable only with its encoding named. */
function koi8File(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-profile-')), 'ege-2022-koi8.csv');
  const lines = [
    'global_id,Наименование ОО,ИНН,Учебный год,Предмет,Количество сдававших,Средний балл,Количество набравших 80 баллов и более,Количество 100-балльников,Не преодолели минимальный порог',
    '4401,МАОУ СОШ № 1,6612001234,2021-2022,Русский язык,50,68,9,0,0',
    '4402,МАОУ СОШ № 1,6612001234,2021-2022,Химия,10,55,1,0,1',
    '4403,Школа без кода в хабе,6699999999,2021-2022,Русский язык,20,60,2,0,0',
  ];
  writeFileSync(path, iconv.encode(lines.join('\r\n'), 'koi8-r'));
  return relative(FIXTURES, path);
}

describe('import profiles', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    // ЕГЭ school results are read against a scale: without one they would be held (SCALE_MISSING).
    expect((await hub.importFile('scales/ege-2021-2025.csv')).status).toBe('DONE');
  }, 60_000);
  afterAll(() => hub.stop());

  it('a regional centre saves a profile for its region; the other region neither sees it nor starts with it', async () => {
    const saved = await hub.gql(SAVE, { input: OPEN_DATA }, 'importer');
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveImportProfile).toMatchObject({ name: OPEN_DATA.name, regionCode: '66', layout: 'mapped', mapping: OPEN_DATA.mapping, constants: { procedure: 'ЕГЭ', year: null } });
    const listed = await hub.gql(`{ importProfiles { name regionCode } }`, {}, 'importer');
    expect(listed.data!.importProfiles).toEqual([{ name: OPEN_DATA.name, regionCode: '66' }]);
    expect((await hub.gql(`{ importProfiles { name } }`, {}, 'otherImporter')).data!.importProfiles).toEqual([]);

    const uploaded = await hub.upload(fixture('open-data/ege-2024.csv'), 'otherImporter');
    const refused = await hub.start(uploaded.body.id, { profile: OPEN_DATA.name }, 'otherImporter');
    expect(refused.errors?.[0]).toMatchObject({ message: `Профиля загрузки «${OPEN_DATA.name}» нет у вашего региона. Сохраните его (saveImportProfile) или проверьте название (importProfiles).`, extensions: { code: 'NOT_FOUND' } });
    expect((await hub.gql(`mutation($id: ID!) { cancelImport(id: $id) { status } }`, { id: uploaded.body.id }, 'otherImporter')).data!.cancelImport).toEqual({ status: 'CANCELLED' });
  });

  it('a start with the profile reads the file with its layout, mapping and constants', async () => {
    const batch = await hub.importFile('open-data/ege-2024.csv', { profile: 'егэ — открытые данные города' }, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'mapped', recordKind: 'school-result', counts: { inserted: 2, errors: 0 } });
    expect(
      await hub.sql(`select a.procedure::text as procedure, sr.mean_test_score from school_result sr join assessment a on a.id = sr.assessment_id where sr.school_id = ? order by 2`, [
        hub.schools.sch661234.id,
      ]),
    ).toEqual([
      { procedure: 'EGE', mean_test_score: 61 },
      { procedure: 'EGE', mean_test_score: 70.4 },
    ]);
  });

  it('a profile that would not read is refused when saved, in Russian, and nothing is saved', async () => {
    const wrong = await hub.gql(SAVE, { input: { ...OPEN_DATA, name: 'Сломанный', mapping: { target: 'school-results', columns: { pupil: 'ФИО' } } } }, 'importer');
    expect(wrong.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Сопоставление столбцов \(mapping\): поле «pupil» не известно для school-results/), extensions: { code: 'BAD_USER_INPUT' } });
    const foreign = await hub.gql(SAVE, { input: { ...OPEN_DATA, name: 'Чужой', regionCode: '77' } }, 'importer');
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect((await hub.gql(`{ importProfiles { name } }`, {}, 'admin')).data!.importProfiles).toEqual([{ name: OPEN_DATA.name }]);
  });

  it('msoko-hub import --profile with a field given as a value: a class protocol of one school', async () => {
    const saved = await hub.gql(
      SAVE,
      {
        input: {
          name: 'Протокол класса',
          mapping: {
            target: 'participant-result',
            columns: { participantCode: 'Код участника', classLabel: 'Класс', primaryScore: 'Сумма баллов', mark: 'Отметка' },
            taskColumns: ['Зад. 1 (1б)', 'Зад. 2 (2б)', 'Зад. 3 (2б)'],
          },
          constants: { procedure: 'ВПР', year: 2024, subjectName: 'Окружающий мир', grade: 4 },
        },
      },
      'importer',
    );
    expect(saved.data!.saveImportProfile).toMatchObject({ layout: null, constants: { procedure: 'ВПР', year: 2024, subjectName: 'Окружающий мир', grade: 4 } });
    const run = await runCli(['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--profile', 'Протокол класса', '--constant', 'schoolCode=660124'], hub.keys.importer);
    expect(run.stdout).toMatch(/— готово \(формат mapped\)/);
    expect(run.code).toBe(0);
    expect(await hub.sql(`select count(*)::int as n from participant_result where school_id = ?`, [hub.schools.sch661235.id])).toEqual([{ n: 3 }]);

    const missing = await runCli(['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--profile', 'Нет такого'], hub.keys.importer);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Профиля загрузки «Нет такого» нет у вашего региона/);
    expect(await hub.uploadedFiles()).toEqual([]);
  }, 90_000);

  it('msoko-hub profile save / profiles / profile delete, and an import with the saved profile', async () => {
    const name = 'Открытые данные (CLI)';
    const save = await runCli(['profile', 'save', name, '--mapping', fixture('open-data/ege.mapping.json'), '--constant', 'procedure=ЕГЭ', '--url', hub.baseUrl], hub.keys.importer);
    expect(save).toMatchObject({ code: 0, stdout: `Профиль загрузки сохранён: «${name}» (регион 66)\n` });
    const list = await runCli(['profiles', '--url', hub.baseUrl], hub.keys.importer);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^Открытые данные \\(CLI\\) — регион 66; mapped → school-results; процедура ЕГЭ; сохранил key:\\d+$`, 'm'));
    const run = await runCli(['import', fixture('open-data/ege-2023.csv'), '--profile', name, '--url', hub.baseUrl], hub.keys.importer);
    expect(run.code).toBe(0);
    expect(await hub.sql(`select count(*)::int as n from school_result where year = 2023`)).toEqual([{ n: 2 }]);
    expect(await runCli(['profile', 'delete', name, '--url', hub.baseUrl], hub.keys.importer)).toMatchObject({ code: 0 });
    expect(await runCli(['profile', 'delete', name, '--url', hub.baseUrl], hub.keys.importer)).toMatchObject({ code: 2, stdout: `Профиля загрузки «${name}» нет\n` });
  }, 90_000);
  it('a profile keeps the file options (encoding, separator, sheet, error policy) and a start uses them unless it gives its own; saving and deleting are audited', async () => {
    const file = koi8File();
    const input = { ...OPEN_DATA, name: 'Открытые данные КОИ-8', encoding: 'koi8-r', separator: ',', policy: 'ACCEPT_VALID', maxErrorShare: 0.5 };
    const saved = await hub.gql(`mutation($input: SaveImportProfileInput!) { saveImportProfile(input: $input) { id name encoding separator sheet policy maxErrorShare } }`, { input }, 'importer');
    expect(saved.errors).toBeUndefined();
    const profile = saved.data!.saveImportProfile;
    expect(profile).toMatchObject({ encoding: 'koi8-r', separator: ',', sheet: null, policy: 'ACCEPT_VALID', maxErrorShare: 0.5 });
    expect(await hub.sql(`select action, target, details from audit_log where action like 'importProfile.%' and target = ?`, [`importProfile:${profile.id}`])).toEqual([
      { action: 'importProfile.save', target: `importProfile:${profile.id}`, details: { name: input.name, regionCode: '66', layout: 'mapped', target: 'school-results' } },
    ]);

    // Without the profile's encoding the file is read as another one: its headers are not found.
    const bare = await hub.importFile(file, { layout: 'mapped', mapping: OPEN_DATA.mapping, constants: OPEN_DATA.constants }, 'importer');
    expect(bare).toMatchObject({ status: 'REJECTED', fileError: { code: 'MISSING_COLUMN' } });
    // The start's own policy comes first: REJECT_ALL rejects the file for its one bad row.
    const strict = await hub.importFile(file, { profile: input.name, policy: 'REJECT_ALL' }, 'importer', 'ege-2022-koi8-strict.csv');
    expect(strict).toMatchObject({ status: 'REJECTED', policy: 'REJECT_ALL', report: { encoding: 'koi8-r', separator: ',' }, counts: { errors: 1 } });
    // With the profile alone: its encoding, separator and ACCEPT_VALID with its share.
    const batch = await hub.importFile(file, { profile: input.name }, 'importer', 'ege-2022-koi8.csv');
    expect(batch).toMatchObject({ status: 'DONE', policy: 'ACCEPT_VALID', maxErrorShare: 0.5, report: { encoding: 'koi8-r', separator: ',' }, counts: { accepted: 2, rejected: 1, inserted: 2 } });
    expect(await hub.sql(`select count(*)::int as n from school_result where year = 2022 and school_id = ?`, [hub.schools.sch661234.id])).toEqual([{ n: 2 }]);

    // ACCEPT_VALID needs its share in a profile too; a sheet is kept as given.
    const noShare = await hub.gql(SAVE, { input: { ...input, name: 'Без доли', maxErrorShare: null } }, 'importer');
    expect(noShare.errors?.[0]).toMatchObject({ message: 'Для правила ACCEPT_VALID укажите maxErrorShare — наибольшую долю строк с ошибками (0–1)', extensions: { code: 'BAD_USER_INPUT' } });
    const xlsx = await hub.gql(`mutation($input: SaveImportProfileInput!) { saveImportProfile(input: $input) { sheet policy maxErrorShare } }`, { input: { ...OPEN_DATA, name: 'Лист ЕГЭ', sheet: 'ЕГЭ 2022' } }, 'importer');
    expect(xlsx.data!.saveImportProfile).toEqual({ sheet: 'ЕГЭ 2022', policy: null, maxErrorShare: null });

    const deleted = await hub.gql(`mutation($name: String!) { deleteImportProfile(name: $name) }`, { name: input.name }, 'importer');
    expect(deleted.data!.deleteImportProfile).toBe(true);
    const again = await hub.gql(`mutation($name: String!) { deleteImportProfile(name: $name) }`, { name: input.name }, 'importer');
    expect(again.data!.deleteImportProfile).toBe(false);
    // One entry per change: the delete that found nothing is not one.
    expect(await hub.sql(`select action, details from audit_log where action = 'importProfile.delete' and target = ?`, [`importProfile:${profile.id}`])).toEqual([
      { action: 'importProfile.delete', details: { name: input.name, regionCode: '66' } },
    ]);
  }, 90_000);
  it('msoko-hub profile save keeps --encoding, --separator, --policy and --max-error-share; profiles shows them; import --profile applies them', async () => {
    const name = 'КОИ-8 (CLI)';
    const save = await runCli(
      ['profile', 'save', name, '--mapping', fixture('open-data/ege.mapping.json'), '--constant', 'procedure=ЕГЭ', '--encoding', 'koi8-r', '--separator', ',', '--policy', 'ACCEPT_VALID', '--max-error-share', '0.5', '--url', hub.baseUrl],
      hub.keys.importer,
    );
    expect(save).toMatchObject({ code: 0, stdout: `Профиль загрузки сохранён: «${name}» (регион 66)\n` });
    const list = await runCli(['profiles', '--url', hub.baseUrl], hub.keys.importer);
    expect(list.stdout).toMatch(/^КОИ-8 \(CLI\) — регион 66; mapped → school-results; процедура ЕГЭ; кодировка koi8-r, разделитель «,», строки с ошибками пропускаются, до 50 %; сохранил key:\d+$/m);
    const run = await runCli(['import', join(FIXTURES, koi8File()), '--profile', name, '--url', hub.baseUrl], hub.keys.importer);
    expect(run.stdout).toMatch(/— готово \(формат mapped\)/);
    expect(run.code).toBe(0);
    const bad = await runCli(['profile', 'save', name, '--separator', '|', '--url', hub.baseUrl], hub.keys.importer);
    expect(bad).toMatchObject({ code: 1, stderr: 'profile: --separator: «;», «,» или tab, указано «|»\n' });
  }, 90_000);
});
